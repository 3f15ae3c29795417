import type { GiftDocument } from '../domain/gift-document';
import { msOfIso } from '../domain/time';

/**
 * Counts failed attempts per key in fixed time windows (claim-link lookups that matched nothing, per
 * caller). Shared across instances through the store, so a guesser cannot spread over warm functions.
 */
export interface AttemptLimiter {
  /** Failures recorded for `key` in the window that contains `now`. */
  failures(key: string, now: string, windowSeconds: number): Promise<number>;
  /** `failures` at once, where the counters are held in this process (absent on limiters across the network). */
  failuresNow?(key: string, now: string, windowSeconds: number): number;
  /** Records one failure and returns the window's new count. */
  recordFailure(key: string, now: string, windowSeconds: number): Promise<number>;
  /**
   * `failures` and the gift store's claim-link match (GiftStore.getByClaim) in one store request, where the counters
   * live in the gifts' own table (DynamoDB: one BatchGetItem). A wrong secret reads as an unknown gift (null) and is
   * never decoded. Absent: the two reads run in parallel.
   */
  failuresWithClaim?(
    key: string,
    now: string,
    windowSeconds: number,
    claim: { giftId: string; claimTokenHash: string },
  ): Promise<{ failures: number; gift: GiftDocument | null }>;
}

/** Identifies the window containing `now`; its end tells stores when the counter may be deleted. */
export function attemptWindow(key: string, now: string, windowSeconds: number): { id: string; endsAt: Date } {
  const index = Math.floor(msOfIso(now) / 1000 / windowSeconds);
  return { id: `limit#${key}#${index}`, endsAt: new Date((index + 1) * windowSeconds * 1000) };
}
