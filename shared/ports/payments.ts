import type { RefundReason } from '../domain/gift';

/**
 * The giver's payment provider, two-phase as WeChat Pay is: `prepare` opens (or reopens) the order for a gift and
 * answers what the giver's wallet must confirm; the payment is known only from a verified notification or a query.
 * Every call is keyed by stable numbers derived from the gift (the order number, the refund number), so a retry
 * never opens a second order or refunds twice. Adapters: `wechatpay` (API v3) and the local `dev` provider.
 */

/** What the client passes to `wx.requestPayment` (JSAPI / mini program). */
export interface PayParams {
  /** The appid paySign signs: H5 pages pass it to getBrandWCPayRequest; wx.requestPayment takes none. */
  appId: string;
  /** Seconds since the epoch, 10 digits, as a string. */
  timeStamp: string;
  /** ≤ 32 characters. */
  nonceStr: string;
  /** `prepay_id=…` */
  package: string;
  signType: 'RSA';
  paySign: string;
}

export interface PaymentOrder {
  /** out_trade_no: the same for every attempt to pay one gift. */
  orderNo: string;
  giftId: string;
  payerId: string;
  amountFen: number;
  description: string;
  /** After this instant the provider refuses to take the money (time_expire). */
  expiresAt: string;
}

/** A payment the provider confirmed (a verified notification or a query), with the provider's own id. */
export interface ConfirmedPayment {
  orderNo: string;
  /** transaction_id */
  paymentId: string;
  amountFen: number;
  /** The payer's openid as the provider reports it, when it does. */
  payerId: string | null;
  paidAt: string;
}

export type Prepared =
  /** The dev provider takes the money at once. */
  | { kind: 'paid'; payment: ConfirmedPayment }
  /** The giver confirms in WeChat; the payment arrives by notification (or is found by a query). */
  | { kind: 'confirm'; payParams: PayParams };

export type OrderState =
  /** Paid (SUCCESS), or paid and since refunded (REFUND). */
  | { state: 'paid'; payment: ConfirmedPayment }
  /** Not paid yet (NOTPAY, USERPAYING, PAYERROR), or never opened. */
  | { state: 'unpaid' }
  /** Closed or revoked: it can no longer be paid. */
  | { state: 'closed' };

export interface RefundRequest {
  /** out_refund_no: the same on every retry (a new one would refund twice). */
  refundNo: string;
  orderNo: string;
  paymentId: string;
  totalFen: number;
  refundFen: number;
  /** Why (the adapter words it for the payer's refund record). */
  reason: RefundReason;
}

export type RefundStatus = 'succeeded' | 'processing' | 'abnormal' | 'closed';

export interface RefundState {
  refundNo: string;
  status: RefundStatus;
  /** The provider's refund id, once it has one. */
  refundId: string | null;
  amountFen: number;
  settledAt: string | null;
}

/** A verified, decrypted notification from the provider. */
export type PaymentEvent =
  | { type: 'payment'; orderNo: string; paid: true; payment: ConfirmedPayment }
  /** A transaction notification for a state other than paid: acknowledged, nothing to apply. */
  | { type: 'payment'; orderNo: string; paid: false; state: string }
  | { type: 'refund'; orderNo: string; refund: RefundState };

export interface PaymentGateway {
  /** Which provider this is (`dev`, `wechatpay`): shown to operators, never to users. */
  readonly provider: string;
  /**
   * Whether `prepare` takes the money by itself (the dev provider). When false (WeChat Pay), opening an order changes
   * nothing until the payer confirms, so an order may be opened as soon as its gift exists.
   */
  readonly chargesOnPrepare: boolean;
  /** Opens the order, or answers for the one already open with the same number and terms. */
  prepare(order: PaymentOrder): Promise<Prepared>;
  query(orderNo: string): Promise<OrderState>;
  /**
   * Closes an unpaid order so it can never be paid. `paid`: the money had already arrived (WeChat Pay's ORDER_PAID):
   * the caller must refund it. Closing an order that was never opened answers `closed`.
   */
  close(orderNo: string): Promise<'closed' | 'paid'>;
  /** Requests the refund; repeating it with the same refundNo answers for the same refund. */
  refund(req: RefundRequest): Promise<RefundState>;
  /** The refund's state, or null when the provider has none under this number (the request never arrived). */
  queryRefund(refundNo: string): Promise<RefundState | null>;
}

/**
 * The provider's notifications, apart from the gateway: only the function they are posted to reads them, so the
 * others neither wire nor carry their verification (shared/composition/adapter-factories.ts).
 */
export interface PaymentNotifications {
  /**
   * Verifies, decrypts and reads a notification the provider POSTed. Throws NotificationRejectedError (forged, stale,
   * a probe, another merchant's) so the edge refuses it; providers without notifications always throw.
   */
  parseNotification(req: { header(name: string): string | undefined; body: string }): Promise<PaymentEvent>;
}

/** The provider refused an order's terms for good (closed, already paid with other terms): no retry can help. */
export class PaymentRefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'PaymentRefusedError';
  }
}

/** A notification that must change nothing: refused with 4xx so WeChat Pay (or whoever sent it) sees it failed. */
export class NotificationRejectedError extends Error {
  constructor(
    readonly reason: 'signature' | 'stale' | 'signtest' | 'unknown_serial' | 'malformed' | 'mismatch' | 'unsupported',
    message: string,
    opts: { cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'NotificationRejectedError';
  }
}
