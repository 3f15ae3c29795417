import { type OutboxDocument, outboxKeyOf } from '../shared/use-cases/dispatch-effects';

/**
 * Documents the local server's change feed dispatches at once (the day replay runs it the same). 16 left a day's
 * queue behind the users' steps (a 1,000,000-gift replay spent ~25 s finishing it after them, 1.5 s at 64) and met more
 * stale images; each dispatch is a few receiver calls, so 64 at once is well within what one process handles.
 */
export const CHANGE_FEED_CONCURRENCY = 64;

export interface DispatchQueueOptions {
  /** Documents dispatched at once. */
  concurrency: number;
  /** A dispatch that threw (the store failed): logged; the scheduled pass retries what it left. */
  onError(doc: OutboxDocument, error: unknown): void;
}

/**
 * The local change feed's queue: documents committed with an effect due, dispatched right after the commit with at
 * most `concurrency` at once. One entry per document: a document queued again before it started keeps the newest
 * copy; one queued again while it runs (its own settling write recorded a new effect, a refund's notice) runs again
 * after. Nothing here is durable: a process that dies with a queue leaves the effects pending for the scheduled pass.
 */
export class DispatchQueue {
  private readonly waiting = new Map<string, OutboxDocument>();
  private readonly running = new Set<string>();
  private readonly again = new Map<string, OutboxDocument>();
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(
    private readonly dispatch: (doc: OutboxDocument) => Promise<unknown>,
    private readonly opts: DispatchQueueOptions,
  ) {}

  push(doc: OutboxDocument): void {
    if (this.closed) return;
    const key = outboxKeyOf(doc);
    if (this.running.has(key)) this.again.set(key, doc);
    else this.waiting.set(key, doc);
    this.pump();
  }

  /** Documents queued or in flight. */
  get size(): number {
    return this.waiting.size + this.running.size;
  }

  /** Resolves once nothing is queued or in flight. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Takes no more documents and waits for those in flight (queued ones are dropped: the scheduled pass has them). */
  async close(): Promise<void> {
    this.closed = true;
    this.waiting.clear();
    this.again.clear();
    await this.idle();
  }

  private pump(): void {
    while (this.running.size < this.opts.concurrency && this.waiting.size > 0) {
      const [key, doc] = this.waiting.entries().next().value as [string, OutboxDocument];
      this.waiting.delete(key);
      this.running.add(key);
      void this.dispatch(doc)
        .catch((e: unknown) => this.opts.onError(doc, e))
        .finally(() => {
          this.running.delete(key);
          const next = this.again.get(key);
          if (next) {
            this.again.delete(key);
            if (!this.closed) this.waiting.set(key, next);
          }
          this.pump();
          if (this.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
  }
}
