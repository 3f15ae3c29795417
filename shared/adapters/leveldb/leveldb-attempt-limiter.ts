import { type AttemptLimiter, attemptWindow } from '../../ports/attempt-limiter';
import { KeyedLock } from './keyed-lock';
import type { LevelDb } from './open-leveldb';

const PREFIX = 'limit\u0000';

/**
 * Counters in the same LevelDB as the gifts, keyed `limit\0<window end>\0<window id>`: the window end first,
 * so spent windows are one range delete (LevelDB has no TTL).
 */
export class LevelDbAttemptLimiter implements AttemptLimiter {
  private readonly lock = new KeyedLock();
  private purgedBefore = '';

  constructor(private readonly db: LevelDb) {}

  async failures(key: string, now: string, windowSeconds: number): Promise<number> {
    return Number(this.db.getSync(this.counterKey(key, now, windowSeconds)) ?? 0);
  }

  recordFailure(key: string, now: string, windowSeconds: number): Promise<number> {
    const counter = this.counterKey(key, now, windowSeconds);
    return this.lock.run(counter, async () => {
      const n = Number(this.db.getSync(counter) ?? 0) + 1;
      await this.db.put(counter, String(n));
      await this.purgeSpent(now);
      return n;
    });
  }

  private counterKey(key: string, now: string, windowSeconds: number): string {
    const w = attemptWindow(key, now, windowSeconds);
    return `${PREFIX}${w.endsAt.toISOString()}\u0000${w.id}`;
  }

  /** At most once a minute: drops every window that ended before now. */
  private async purgeSpent(now: string): Promise<void> {
    const minute = now.slice(0, 16);
    if (minute <= this.purgedBefore) return;
    this.purgedBefore = minute;
    await this.db.clear({ gt: PREFIX, lt: `${PREFIX}${now}` });
  }
}
