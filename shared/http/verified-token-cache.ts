/**
 * Tokens already verified, so a caller's next request skips the signature check: a bounded LRU keyed by the token
 * string itself (the whole signed string, so a changed byte is a miss). A hit is accepted only while the token's own
 * `exp` is after `now` (the clock the verifier uses), so a cached token never outlives its expiry.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, { sub: string; expMs: number }>();

  constructor(private readonly capacity = 10_000) {}

  /** The subject of a verified, unexpired token, or undefined (not seen, evicted or expired). */
  get(token: string, nowMs: number): string | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    this.entries.delete(token);
    if (hit.expMs <= nowMs) return undefined;
    this.entries.set(token, hit); // most recently used last
    return hit.sub;
  }

  /** Remembers a token the verifier accepted; `exp` is the JWT claim (seconds). */
  set(token: string, sub: string, exp: number): void {
    this.entries.delete(token);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { sub, expMs: exp * 1000 });
  }

  get size(): number {
    return this.entries.size;
  }
}
