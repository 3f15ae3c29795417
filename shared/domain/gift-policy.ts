/** Rules of the 送礼物 feature that are numbers or lists, injected so tests and deploys can set them. */
export interface GiftPolicy {
  /** A sent gift not accepted within this many seconds is expired and refunded. */
  giftTtlSeconds: number;
  /** An unpaid gift is canceled after this many seconds. */
  paymentTtlSeconds: number;
  /** Original price limit of the style, fen (¥10,000). */
  maxPriceFen: number;
  excludedCategories: readonly string[];
  /** A caller whose claim-link lookups miss this many times in a window gets 429 until the window ends. */
  claimLookupMaxFailures: number;
  claimLookupWindowSeconds: number;
  /** The recipient's reminder goes this long before the acceptance window closes. */
  reminderBeforeExpirySeconds: number;
}

/** Retry schedule for side effects (handoff, refund, notification). */
export interface DispatchPolicy {
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  /** After this many failed attempts an effect is marked failed (still visible, re-drivable). */
  maxAttempts: number;
  /** How long a started attempt owns the effect; longer than any receiver call may take. */
  leaseSeconds: number;
  /** A refund the provider is still processing is asked about again after this long (WeChat Pay: ~1 minute). */
  refundConfirmSeconds: number;
  /**
   * Where a change stream (AWS) or change feed (local) delivers each effect right after the write that recorded it:
   * how long that first delivery is left to it (no lease write) before a scheduled pass may take it. Shorter than
   * the lease. 0 or absent: no stream (CloudBase), the scheduled passes lease every attempt.
   */
  firstDeliverySeconds?: number;
}

export const DEFAULT_GIFT_POLICY: GiftPolicy = {
  giftTtlSeconds: 86_400,
  paymentTtlSeconds: 1_800,
  maxPriceFen: 1_000_000,
  excludedCategories: ['jewelry', 'education'],
  claimLookupMaxFailures: 20,
  claimLookupWindowSeconds: 600,
  reminderBeforeExpirySeconds: 7_200,
};

export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = {
  baseDelaySeconds: 5,
  maxDelaySeconds: 3_600,
  maxAttempts: 20,
  leaseSeconds: 60,
  refundConfirmSeconds: 60,
};
