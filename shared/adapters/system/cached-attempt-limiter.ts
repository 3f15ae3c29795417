import { attemptWindow, type AttemptLimiter } from '../../ports/attempt-limiter';

/**
 * Remembers the failure counts this instance last read or wrote for up to `maxAgeMs`, so an honest caller's
 * claim-link requests skip the counter read. Another instance's failures show up here at most that late: a
 * guesser gains a second's worth of tries per instance, against 192-bit secrets.
 */
export class CachedAttemptLimiter implements AttemptLimiter {
  private readonly cache = new Map<string, { count: number; readAt: number }>();

  constructor(
    private readonly inner: AttemptLimiter,
    private readonly maxAgeMs = 1_000,
    private readonly maxEntries = 50_000,
  ) {}

  async failures(key: string, now: string, windowSeconds: number): Promise<number> {
    const id = attemptWindow(key, now, windowSeconds).id;
    const at = Date.parse(now);
    const hit = this.cache.get(id);
    if (hit && at - hit.readAt < this.maxAgeMs) return hit.count;
    const count = await this.inner.failures(key, now, windowSeconds);
    this.remember(id, count, at);
    return count;
  }

  async recordFailure(key: string, now: string, windowSeconds: number): Promise<number> {
    const count = await this.inner.recordFailure(key, now, windowSeconds);
    this.remember(attemptWindow(key, now, windowSeconds).id, count, Date.parse(now));
    return count;
  }

  private remember(id: string, count: number, at: number): void {
    if (this.cache.size >= this.maxEntries) this.cache.clear(); // crude but bounded; a miss only costs one read
    this.cache.set(id, { count, readAt: at });
  }
}
