import { isoOfMs } from '../../domain/time';
import { type AttemptLimiter, attemptWindow } from '../../ports/attempt-limiter';
import { KeyedLock } from './keyed-lock';
import type { LevelDb } from './open-leveldb';

const PREFIX = 'limit\u0000';

/**
 * Counters in the same LevelDB as the gifts, keyed `limit\0<window end>\0<window id>`: the window end first,
 * so spent windows are one range delete (LevelDB has no TTL).
 *
 * Every claim-link request reads its caller's counter, and almost all of them read 0: a counter once read (or
 * written) is mirrored in memory, so the next reads are a Map lookup instead of a native LevelDB get. That is exact
 * because one process holds the database (LevelDB's LOCK file) and every write of a counter goes through this
 * limiter, which updates the mirror once its write is on disk.
 *
 * Opened with `open`, the limiter first loads every counter on disk (failed attempts in windows not yet spent: few).
 * From then on the mirror holds them all, so a counter it lacks is 0 without a read (each caller's first read in a
 * window was a native get of a key that is not there), and zeros are not kept. Should the mirror overflow, it
 * starts over and reads from disk again.
 */
export class LevelDbAttemptLimiter implements AttemptLimiter {
  private readonly lock = new KeyedLock();
  private purgedBefore = '';
  private readonly mirror = new Map<string, number>();
  /** True while the mirror holds every counter on disk (after `open`, until an overflow). */
  private complete = false;

  /** `mirrorCapacity`: counters held in memory at most; past it the mirror starts over (dropped ones are read again). */
  constructor(
    private readonly db: LevelDb,
    private readonly mirrorCapacity = 50_000,
  ) {}

  /** A limiter that knows every counter on disk: reads of counters never written need no LevelDB get. */
  static async open(db: LevelDb, mirrorCapacity?: number): Promise<LevelDbAttemptLimiter> {
    const limiter = new LevelDbAttemptLimiter(db, mirrorCapacity);
    // Complete once loaded, unless more counters than the mirror takes made it start over (remember): then reads go to disk.
    limiter.complete = true;
    for await (const [counter, n] of db.iterator({ gt: PREFIX, lt: `${PREFIX}\uffff` })) limiter.remember(counter, Number(n));
    return limiter;
  }

  async failures(key: string, now: string, windowSeconds: number): Promise<number> {
    return this.failuresNow(key, now, windowSeconds);
  }

  failuresNow(key: string, now: string, windowSeconds: number): number {
    return this.read(this.counterKey(key, now, windowSeconds));
  }

  recordFailure(key: string, now: string, windowSeconds: number): Promise<number> {
    const counter = this.counterKey(key, now, windowSeconds);
    return this.lock.run(counter, async () => {
      const n = this.read(counter) + 1;
      await this.db.put(counter, String(n));
      this.remember(counter, n);
      await this.purgeSpent(now);
      return n;
    });
  }

  /** Counters held in memory (tests). */
  get mirrored(): number {
    return this.mirror.size;
  }

  private read(counter: string): number {
    const known = this.mirror.get(counter);
    if (known !== undefined) return known;
    if (this.complete) return 0;
    const n = Number(this.db.getSync(counter) ?? 0);
    this.remember(counter, n);
    return n;
  }

  private remember(counter: string, n: number): void {
    if (this.mirror.size >= this.mirrorCapacity && !this.mirror.has(counter)) {
      this.mirror.clear();
      this.complete = false;
    }
    this.mirror.set(counter, n);
  }

  private counterKey(key: string, now: string, windowSeconds: number): string {
    const w = attemptWindow(key, now, windowSeconds);
    return `${PREFIX}${isoOfMs(w.endsAt.getTime())}\u0000${w.id}`;
  }

  /** At most once a minute: drops every window that ended before now, on disk and in the mirror. */
  private async purgeSpent(now: string): Promise<void> {
    const minute = now.slice(0, 16);
    if (minute <= this.purgedBefore) return;
    this.purgedBefore = minute;
    const spentBelow = `${PREFIX}${now}`;
    await this.db.clear({ gt: PREFIX, lt: spentBelow });
    // After the delete: a read while it ran may have mirrored a counter it was deleting.
    for (const counter of this.mirror.keys()) if (counter < spentBelow) this.mirror.delete(counter);
  }
}
