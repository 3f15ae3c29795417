import { StoreUnavailableError } from '../ports/gift-store';

/** Runs an engine call; whatever it throws is the engine's failure, reported as the store being unavailable. */
export async function engineCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof StoreUnavailableError) throw e;
    throw new StoreUnavailableError(operation, e);
  }
}
