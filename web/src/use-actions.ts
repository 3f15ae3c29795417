import { useRef, useState } from 'preact/hooks';

export interface Failure {
  /** Which action failed, so its error shows next to it and 重试 runs it again (with what is typed now). */
  action: string;
  error: unknown;
}

/**
 * One request at a time for a page's buttons: which action is under way (its button shows progress, the others wait)
 * and the last failure. `onError` sees the error too (e.g. to read the card again after a 409).
 */
export function useActions(onError?: (e: unknown) => void) {
  const [pending, setPending] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const running = useRef(false);
  const run = async (action: string, work: () => Promise<void>): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    setPending(action);
    setFailure(null);
    try {
      await work();
      return true;
    } catch (error) {
      setFailure({ action, error });
      onError?.(error);
      return false;
    } finally {
      running.current = false;
      setPending(null);
    }
  };
  /** The last failure if it was one of `actions` ('variant:' stands for every 'variant:<id>'). */
  const failureOf = (...actions: string[]) =>
    failure && actions.some((a) => (a.endsWith(':') ? failure.action.startsWith(a) : failure.action === a)) ? failure : null;
  return { pending, failureOf, run };
}
