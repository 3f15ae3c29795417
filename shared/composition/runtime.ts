import type { Deps } from '../ports/deps';

/** What a warm function instance keeps: the wired dependencies and the few edge settings the HTTP app needs. */
export interface Runtime {
  deps: Deps;
  /** Verifies merchant callbacks; null → those routes answer 403. */
  callbackSecret: string | null;
}

export type RuntimeFactory = () => Promise<Runtime>;
