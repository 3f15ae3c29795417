/**
 * Tokens already verified, so a caller's next request skips the signature check: a bounded LRU keyed by the token
 * string itself, or by the whole header carrying it (so a changed byte is a miss). A hit is accepted only while the token's own
 * `exp` is after `now` (the clock the verifier uses), so a cached token never outlives its expiry.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { sub: string; expMs: number; placed: number }>();
  /** Insertions so far: an entry's `placed` says how many came after it, i.e. how near it is to eviction. */
  private placements = 0;

  constructor(private readonly capacity = 10_000) {}

  /** The subject of a verified, unexpired token, or undefined (not seen, evicted or expired). */
  get(token: string, nowMs: number): string | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    if (hit.expMs <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    // Moved to the most recently used end only once it has drifted halfway to eviction: a caller's every request
    // would otherwise pay a delete and an insert, and an entry used within half the capacity is never evicted.
    if (this.placements - hit.placed >= this.capacity / 2) {
      this.entries.delete(token);
      this.place(token, hit);
    }
    return hit.sub;
  }

  /** Remembers a token the verifier accepted; `exp` is the JWT claim (seconds). */
  set(token: string, sub: string, exp: number): void {
    this.entries.delete(token);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.place(token, { sub, expMs: exp * 1000, placed: 0 });
  }

  private place(token: string, entry: { sub: string; expMs: number; placed: number }): void {
    entry.placed = this.placements++;
    this.entries.set(token, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}
