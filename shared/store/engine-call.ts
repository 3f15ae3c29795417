import { StoreUnavailableError } from '../ports/gift-store';

/** What an engine call threw, as the store reports it: the engine's failure, i.e. the store being unavailable. */
export const engineFailure = (operation: string, e: unknown): StoreUnavailableError =>
  e instanceof StoreUnavailableError ? e : new StoreUnavailableError(operation, e);

/** Runs an engine call; whatever it throws is the engine's failure, reported as the store being unavailable. */
export async function engineCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    throw engineFailure(operation, e);
  }
}
