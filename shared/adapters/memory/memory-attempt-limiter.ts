import { type AttemptLimiter, attemptWindow } from '../../ports/attempt-limiter';

/**
 * In-process counters (tests, benchmarks, LOCAL_STORE=memory). A window's counters are dropped by the first
 * failure recorded after it ended, so the map holds the counters of the current windows only.
 */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly counts = new Map<string, { n: number; endsAt: number }>();
  /** When the earliest window held here ends (ms): nothing to drop before then. */
  private nextEnd = Infinity;

  async failures(key: string, now: string, windowSeconds: number): Promise<number> {
    return this.failuresNow(key, now, windowSeconds);
  }

  failuresNow(key: string, now: string, windowSeconds: number): number {
    // Every claim-link read asks; with no miss counted anywhere (the usual case) there is no window to work out.
    if (this.counts.size === 0) return 0;
    return this.counts.get(attemptWindow(key, now, windowSeconds).id)?.n ?? 0;
  }

  async recordFailure(key: string, now: string, windowSeconds: number): Promise<number> {
    const w = attemptWindow(key, now, windowSeconds);
    this.dropEnded(Date.parse(now));
    const entry = this.counts.get(w.id) ?? { n: 0, endsAt: w.endsAt.getTime() };
    entry.n++;
    this.counts.set(w.id, entry);
    this.nextEnd = Math.min(this.nextEnd, entry.endsAt);
    return entry.n;
  }

  /** Number of counters held (tests). */
  get size(): number {
    return this.counts.size;
  }

  private dropEnded(now: number): void {
    if (now < this.nextEnd) return;
    this.nextEnd = Infinity;
    for (const [id, c] of this.counts) {
      if (c.endsAt <= now) this.counts.delete(id);
      else this.nextEnd = Math.min(this.nextEnd, c.endsAt);
    }
  }
}
