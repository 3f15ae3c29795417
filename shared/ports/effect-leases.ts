/**
 * Where a dispatcher holds the effects it is delivering, on stores only one process can open (the memory store,
 * embedded LevelDB): in that process's memory instead of a compare-and-set on the document. A crash loses such a lease
 * exactly as an expired one is lost: the effect is still pending in the document and is delivered again under its
 * same idempotency key. Stores several processes share (DynamoDB, CloudBase) have none: their leases are written.
 */
export interface EffectLeases {
  /**
   * Holds the listed effects of one document until `until` (an instant, like a written lease's nextAttemptAt);
   * returns those it took, leaving out any another dispatcher of this process holds and has not let expire by `now`.
   */
  hold(docId: string, effectIds: readonly string[], now: string, until: string): string[];
  /** Lets go of effects this dispatcher held (its settle is written, or it gave up). */
  release(docId: string, effectIds: readonly string[]): void;
}
