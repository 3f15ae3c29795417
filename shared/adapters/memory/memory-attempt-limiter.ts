import { type AttemptLimiter, attemptWindow } from '../../ports/attempt-limiter';

/** In-process counters (tests, benchmarks); old windows are dropped as new ones open. */
export class MemoryAttemptLimiter implements AttemptLimiter {
  private readonly counts = new Map<string, { n: number; endsAt: number }>();

  async failures(key: string, now: string, windowSeconds: number): Promise<number> {
    return this.counts.get(attemptWindow(key, now, windowSeconds).id)?.n ?? 0;
  }

  async recordFailure(key: string, now: string, windowSeconds: number): Promise<number> {
    const w = attemptWindow(key, now, windowSeconds);
    if (this.counts.size > 10_000) for (const [id, c] of this.counts) if (c.endsAt <= Date.parse(now)) this.counts.delete(id);
    const entry = this.counts.get(w.id) ?? { n: 0, endsAt: w.endsAt.getTime() };
    entry.n++;
    this.counts.set(w.id, entry);
    return entry.n;
  }
}
