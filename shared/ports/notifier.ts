import type { NotificationEvent, RefundReason } from '../domain/gift';

/**
 * A notice to one WeChat user (a subscription message, 服务通知). Payloads carry what the notice shows and nothing
 * more: never the recipient's address, and nothing about the price in a notice to the recipient.
 */
export interface Notice {
  /** The same on every attempt: a receiver that already sent it answers `sent` again without sending. */
  idempotencyKey: string;
  /** The openid it goes to. */
  userId: string;
  event: NotificationEvent;
  giftId: string;
  productTitle: string;
  /** When it happened (claimed, accepted, refunded), or for `gift_expiring` the instant the gift expires. */
  at: string;
  /** `gift_refunded`: the amount that went back, fen. */
  amountFen?: number;
  /** `gift_refunded`: why. */
  reason?: RefundReason;
  /** `gift_thanked`: the recipient's note. */
  thanks?: string;
  /** `gift_expiring`, `gift_thanked`: the name the giver gave the gift (null: none was set). */
  giverName?: string | null;
}

/** `skipped`: deliberately not sent, for good (no template configured, the user did not subscribe). */
export type NoticeOutcome = { status: 'sent' } | { status: 'skipped'; reason: string };

export interface Notifier {
  notify(notice: Notice): Promise<NoticeOutcome>;
}
