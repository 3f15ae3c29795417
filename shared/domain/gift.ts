/**
 * The gift document: one document holds a gift's whole state, including the side effects its
 * transitions recorded (the outbox). Every change is a version compare-and-set of this document.
 */

/** Gift ids are `g_` + URL-safe characters (nanoid, or a hash for idempotent creates). */
export const GIFT_ID_PATTERN = /^[A-Za-z0-9_-]{4,64}$/;
export const isGiftId = (id: string): boolean => GIFT_ID_PATTERN.test(id);

export const GIFT_STATUSES = ['awaiting_payment', 'sent', 'claimed', 'accepted', 'declined', 'expired', 'canceled'] as const;
export type GiftStatus = (typeof GIFT_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<GiftStatus> = new Set(['accepted', 'declined', 'expired', 'canceled']);

/** Shipping address entered by the recipient. Readable only by the recipient and the fulfillment handoff. */
export interface Address {
  name: string;
  /** E.164, e.g. +8613800138000. */
  phone: string;
  /** 6-digit GB/T 2260 district code. */
  regionCode: string;
  /** Province / city / district names resolved from regionCode. */
  province: string;
  city: string;
  district: string;
  detail: string;
}

export interface SwapRecord {
  fromSkuId: string;
  toSkuId: string;
  at: string;
}

export const EFFECT_KINDS = ['handoff', 'refund', 'notify'] as const;
export type EffectKind = (typeof EFFECT_KINDS)[number];
/** `canceled`: no longer wanted (a reminder for a gift accepted meanwhile); never attempted again. */
export type EffectStatus = 'pending' | 'done' | 'failed' | 'canceled';

export type RefundReason = 'declined' | 'expired' | 'canceled';
/**
 * Notices: to the giver when the gift is claimed, accepted, refunded, thanked; to the recipient before the 24 hours run
 * out.
 * `gift_declined` / `gift_expired` were recorded by earlier versions (before refunds were confirmed) and still go out.
 */
export type NotificationEvent =
  | 'gift_claimed'
  | 'gift_accepted'
  | 'gift_refunded'
  | 'gift_expiring'
  | 'gift_thanked'
  | 'gift_declined'
  | 'gift_expired';

interface EffectBase {
  /** Unique within the gift: 'handoff', 'refund', 'notify:gift_claimed', ... */
  id: string;
  /** Sent to the receiver; the same key on every attempt, so the receiver can drop duplicates. */
  idempotencyKey: string;
  status: EffectStatus;
  attempts: number;
  /** When the next attempt may start. Also acts as the lease of a running attempt. */
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  completedAt: string | null;
  /** Receiver's reference (refund id, fulfillment reference), once done. */
  receipt: string | null;
  /**
   * The version of the document whose write recorded this effect: how the image of a write tells the effects that write
   * recorded from older ones (dispatch-effects.ts, firstDeliveries), even when two writes share an instant. Absent on
   * effects stored before it was kept: their createdAt stands in.
   */
  recordedIn?: number;
}

export interface HandoffEffect extends EffectBase {
  kind: 'handoff';
}
export interface RefundEffect extends EffectBase {
  kind: 'refund';
  reason: RefundReason;
  amountFen: number;
  /**
   * The payment to refund. Null when the gift was canceled before a payment was recorded: the dispatcher closes the
   * order first, and refunds only if the provider answers that it was paid after all.
   */
  paymentId: string | null;
  /**
   * What the provider last said of the refund request: `processing` (accepted, money on its way: confirmed by the
   * refund notification or a query), `abnormal` / `closed` (it did not go through: the effect is failed, for an
   * operator). Absent until a request was answered.
   */
  providerStatus?: RefundProviderStatus;
  /**
   * Once done: `refunded` (money went back) or `payment_closed` (nothing had been charged; the payment order was
   * closed so it never can be). Absent while pending, and on documents written before it was recorded.
   */
  outcome?: RefundOutcome;
}
export type RefundOutcome = 'refunded' | 'payment_closed';
export type RefundProviderStatus = 'processing' | 'succeeded' | 'abnormal' | 'closed';
export interface NotifyEffect extends EffectBase {
  kind: 'notify';
  event: NotificationEvent;
  /** Who it goes to: the giver, or for `gift_expiring` the recipient. */
  userId: string;
  /** `gift_refunded`: the amount that went back. */
  amountFen?: number;
  reason?: RefundReason;
}
export type Effect = HandoffEffect | RefundEffect | NotifyEffect;

/** Shipping progress the merchant reports back through the signed callback (no address here). */
export interface Shipment {
  status: 'shipped' | 'delivered';
  carrier: string | null;
  trackingNumber: string | null;
  shippedAt: string | null;
  deliveredAt: string | null;
}

/** The recipient's one thank-you note to the giver, sent after accepting. */
export interface Thanks {
  message: string;
  sentAt: string;
}

export interface Payment {
  /** The provider's id of the payment (WeChat Pay's transaction_id). */
  paymentId: string;
  amountFen: number;
  paidAt: string;
}

export interface Gift {
  id: string;
  /** Incremented by every write; the compare-and-set guard. */
  version: number;
  giverId: string;
  /**
   * The giver's display name when the gift was created (a snapshot: renaming later does not change sent gifts). Null
   * when none was set; optional so documents written before names were kept still read.
   */
  giverName?: string | null;
  productId: string;
  productTitle: string;
  category: string;
  /** Current style (changes on swap). */
  skuId: string;
  skuAttrs: Record<string, string>;
  originalSkuId: string;
  /** The giver's choice as it was; optional so documents written before it was kept still read. */
  originalSkuAttrs?: Record<string, string>;
  /** Price of the original style at purchase, integer fen. Never shown to the recipient. */
  priceFen: number;
  message: string | null;
  status: GiftStatus;
  createdAt: string;
  updatedAt: string;
  /** An unpaid gift is canceled at this instant. */
  paymentDueAt: string;
  payment: Payment | null;
  /** SHA-256 of the claim token; the token itself is never stored. */
  claimTokenHash: string | null;
  /**
   * The claim token is derived from the gift id and this number (an HMAC with the deployment's key), so the giver's
   * page can show the live link again without it being stored. A new link increments it. Absent on gifts whose link
   * was random (earlier versions): their link cannot be shown again, only replaced.
   */
  linkVersion?: number;
  sentAt: string | null;
  /** sentAt + GIFT_TTL_SECONDS. */
  expiresAt: string | null;
  recipientId: string | null;
  claimedAt: string | null;
  address: Address | null;
  swaps: SwapRecord[];
  acceptedAt: string | null;
  declinedAt: string | null;
  expiredAt: string | null;
  canceledAt: string | null;
  effects: Effect[];
  /** Optional so documents written before shipment tracking still read. */
  shipment?: Shipment | null;
  /** The recipient's thank-you note, once sent (at most one); optional so earlier documents still read. */
  thanks?: Thanks | null;
  /** Ids of merchant callback events already applied (newest last, bounded): a replay is refused. */
  merchantEventIds?: string[];
  /** Set when created with an Idempotency-Key: a retry with the same key must carry the same request. */
  idempotency: { key: string; requestHash: string } | null;
}
