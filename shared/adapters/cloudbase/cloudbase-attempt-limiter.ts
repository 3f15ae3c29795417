import { type AttemptLimiter, attemptWindow } from '../../ports/attempt-limiter';
import { type CloudbaseDb, DUPLICATE_WRITE_CODE } from './cloudbase-db';

/** Counters in their own collection: `$inc` on the window's document, created on the first failure. */
export class CloudbaseAttemptLimiter implements AttemptLimiter {
  constructor(
    private readonly db: CloudbaseDb,
    private readonly collectionName = 'songli_limits',
  ) {}

  async failures(key: string, now: string, windowSeconds: number): Promise<number> {
    const { id } = attemptWindow(key, now, windowSeconds);
    const { data } = await this.db.collection(this.collectionName).doc(id).get();
    return Number((data?.[0] as { hits?: number } | undefined)?.hits ?? 0);
  }

  async recordFailure(key: string, now: string, windowSeconds: number): Promise<number> {
    const { id, endsAt } = attemptWindow(key, now, windowSeconds);
    const coll = this.db.collection(this.collectionName);
    for (let attempt = 0; attempt < 3; attempt++) {
      const { updated } = await coll.where({ _id: id }).update({ hits: this.db.command.inc(1) });
      if (updated) return this.failures(key, now, windowSeconds);
      try {
        // expireAt lets a TTL index on the collection delete spent windows.
        await coll.add({ _id: id, hits: 1, expireAt: endsAt });
        return 1;
      } catch (e) {
        if ((e as { code?: string }).code !== DUPLICATE_WRITE_CODE) throw e; // another instance created it: increment again
      }
    }
    return this.failures(key, now, windowSeconds);
  }
}
