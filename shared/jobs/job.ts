import type { Deps } from '../ports/deps';

/** What a run of a scheduled function knows about itself. */
export interface JobContext {
  /**
   * Epoch milliseconds by which the run should have finished its work (the platform's timeout minus a margin): jobs
   * that drain a backlog start nothing new after it. Absent: the job's own fixed bound applies.
   */
  deadline?: number;
}

/** A scheduled function: EventBridge on AWS, a timer trigger on CloudBase, a setInterval locally. */
export interface Job<R = unknown> {
  name: string;
  run(deps: Deps, ctx?: JobContext): Promise<R>;
}

export const job = <R>(name: string, run: (deps: Deps, ctx?: JobContext) => Promise<R>): Job<R> => ({ name, run });

/** Time kept back from a platform's timeout: the last page in flight settles and the report is logged. */
export const deadlineWithin = (startedAt: number, budgetMs: number): number =>
  startedAt + Math.max(budgetMs / 2, budgetMs - Math.max(10_000, budgetMs * 0.15));
