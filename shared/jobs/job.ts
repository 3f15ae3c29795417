import type { Deps } from '../ports/deps';

/** A scheduled function: EventBridge on AWS, a timer trigger on CloudBase, a setInterval locally. */
export interface Job<R = unknown> {
  name: string;
  run(deps: Deps): Promise<R>;
}

export const job = <R>(name: string, run: (deps: Deps) => Promise<R>): Job<R> => ({ name, run });
