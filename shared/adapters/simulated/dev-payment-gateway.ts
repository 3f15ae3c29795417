import { refundNoOf } from '../../domain/payment-numbers';
import { sha256 } from '../../domain/sha256';
import { iso } from '../../domain/time';
import {
  type ConfirmedPayment,
  NotificationRejectedError,
  type OrderState,
  type PaymentGateway,
  type PaymentNotifications,
  type PaymentOrder,
  PaymentRefusedError,
  type RefundRequest,
  type RefundState,
} from '../../ports/payments';
import { firstPerKey, JsonlJournal } from './jsonl-journal';

/** An order the dev provider opened and paid at once. */
export interface DevCharge {
  type: 'charge';
  orderNo: string;
  paymentId: string;
  giftId: string;
  payerId: string;
  amountFen: number;
  at: string;
}

/** An order closed before anything was paid: a later prepare is refused. */
export interface DevClose {
  type: 'close';
  orderNo: string;
  at: string;
}

export interface DevRefund {
  type: 'refund';
  /** The gift whose order this refunds (the order number is the gift id). */
  giftId: string;
  refundNo: string;
  refundId: string;
  orderNo: string;
  paymentId: string;
  amountFen: number;
  reason: string;
  at: string;
  /** How many requests carried this refund number (a retried delivery counts again; the money moves once). */
  requests: number;
}

/** Records of earlier versions, keyed by idempotency key (`songli:<giftId>:charge`, `songli:<giftId>:refund`). */
interface LegacyRecord {
  type: 'charge' | 'close' | 'refund';
  idempotencyKey: string;
  giftId: string;
  paymentId?: string;
  refundId?: string;
  payerId?: string;
  amountFen?: number;
  reason?: string;
  at: string;
}

type DevRecord = DevCharge | DevClose | DevRefund;

/** Payment and refund ids follow from the order and refund numbers, as the provider's own ids would. */
const idFor = (prefix: 'pay' | 'rf', no: string) => `${prefix}_${sha256(no, 'base64url').slice(0, 16)}`;

/** Reads a journal line of this version or of an earlier one (keyed by idempotency key) as this version's record. */
function upgrade(r: DevRecord | LegacyRecord): DevRecord {
  if (!('idempotencyKey' in r)) return r;
  const effectId = r.idempotencyKey.split(':')[2] ?? 'refund';
  if (r.type === 'close') return { type: 'close', orderNo: r.giftId, at: r.at };
  if (r.type === 'charge') {
    const { paymentId = idFor('pay', r.giftId), payerId = '', amountFen = 0 } = r;
    return { type: 'charge', orderNo: r.giftId, paymentId, giftId: r.giftId, payerId, amountFen, at: r.at };
  }
  const refundNo = refundNoOf(r.giftId, effectId);
  return {
    type: 'refund',
    giftId: r.giftId,
    refundNo,
    refundId: r.refundId ?? idFor('rf', refundNo),
    orderNo: r.giftId,
    paymentId: r.paymentId ?? '',
    amountFen: r.amountFen ?? 0,
    reason: r.reason ?? '',
    at: r.at,
    requests: 1,
  };
}

/**
 * The local `dev` payment provider (also a deployed demo's, never for real money): `prepare` takes the money at once,
 * so `POST /gifts/:id/pay` answers `sent` with the link, and refunds succeed at once. Orders, closes and refunds are
 * keyed by the same numbers WeChat Pay uses (out_trade_no, out_refund_no), behave as its API does (one order per
 * number, a closed order cannot be paid, closing a paid order answers paid, one refund per number, never more than was
 * paid), and are journaled (to disk in local mode).
 *
 * Memory holds the last `maxCharges` payments by order number; older ones are read back from the journal (only once
 * more than that were made). With no file and `retainRecords: false` (a deployed demo, whose warm instance would
 * otherwise keep every charge) a payment it no longer knows reads as unpaid, as one taken by another instance does.
 */
export class DevPaymentGateway implements PaymentGateway {
  readonly provider = 'dev';
  readonly chargesOnPrepare = true;
  private readonly paid = new Map<string, ConfirmedPayment>();
  /** Order numbers in `paid`, oldest first from paidHead (kept only when memory is bounded). */
  private readonly paidOrder: string[] = [];
  private paidHead = 0;
  private readonly closed = new Set<string>();
  private readonly refunds = new Map<string, DevRefund>();
  private readonly journal: JsonlJournal<DevRecord | LegacyRecord>;
  private readonly maxCharges: number;
  private forgotten = false;
  /** Charges taken and refunds made (the first request per number it knew of then): see moneyMoved. */
  private readonly moved = { charges: 0, refunds: 0 };

  constructor(
    file: string | null,
    private readonly now: () => Date = () => new Date(),
    opts: { retainRecords?: boolean; maxCharges?: number } = {},
  ) {
    this.journal = new JsonlJournal(file, { retain: opts.retainRecords });
    this.maxCharges = opts.maxCharges ?? Infinity;
    for (const line of this.journal.load()) {
      const r = upgrade(line);
      if (r.type === 'close') this.closed.add(r.orderNo);
      else if (r.type === 'charge' && !this.paid.has(r.orderNo)) this.remember(r);
      else if (r.type === 'refund' && !this.refunds.has(r.refundNo) && this.refunds.size < this.maxCharges) this.refunds.set(r.refundNo, r);
    }
  }

  async prepare(order: PaymentOrder): Promise<{ kind: 'paid'; payment: ConfirmedPayment }> {
    const known = this.payment(order.orderNo);
    if (known) return { kind: 'paid', payment: known };
    if (this.closed.has(order.orderNo)) throw new PaymentRefusedError('ORDER_CLOSED', `order ${order.orderNo} is closed`);
    const charge: DevCharge = {
      type: 'charge',
      orderNo: order.orderNo,
      paymentId: idFor('pay', order.orderNo),
      giftId: order.giftId,
      payerId: order.payerId,
      amountFen: order.amountFen,
      at: iso(this.now()),
    };
    this.journal.append(charge);
    this.moved.charges++;
    return { kind: 'paid', payment: this.remember(charge) };
  }

  async query(orderNo: string): Promise<OrderState> {
    const payment = this.payment(orderNo);
    if (payment) return { state: 'paid', payment };
    return this.closed.has(orderNo) ? { state: 'closed' } : { state: 'unpaid' };
  }

  /** No await between the check and the close: a concurrent prepare sees one or the other. */
  async close(orderNo: string): Promise<'closed' | 'paid'> {
    if (this.payment(orderNo)) return 'paid';
    if (!this.closed.has(orderNo)) {
      this.closed.add(orderNo);
      this.journal.append({ type: 'close', orderNo, at: iso(this.now()) });
    }
    return 'closed';
  }

  /** Every request is journaled; the first per number is the refund, the repeats only count (see listRefunds). */
  async refund(req: RefundRequest): Promise<RefundState> {
    const paid = this.payment(req.orderNo);
    const existing = this.refunds.get(req.refundNo);
    const record: DevRefund = existing ?? {
      type: 'refund',
      giftId: req.orderNo,
      refundNo: req.refundNo,
      refundId: idFor('rf', req.refundNo),
      orderNo: req.orderNo,
      paymentId: req.paymentId,
      amountFen: Math.min(req.refundFen, paid?.amountFen ?? req.refundFen),
      reason: req.reason,
      at: iso(this.now()),
      requests: 1,
    };
    if (!existing) this.moved.refunds++;
    if (!existing && this.refunds.size < this.maxCharges) this.refunds.set(req.refundNo, record);
    this.journal.append({ ...record, at: iso(this.now()) });
    return this.stateOf(record);
  }

  async queryRefund(refundNo: string): Promise<RefundState | null> {
    const r = this.refunds.get(refundNo) ?? this.journalRefund(refundNo);
    return r ? this.stateOf(r) : null;
  }

  listCharges(): DevCharge[] {
    const charges = this.journal
      .load()
      .map(upgrade)
      .filter((r): r is DevCharge => r.type === 'charge');
    return firstPerKey(charges, (c) => c.orderNo).map(({ first }) => first);
  }

  /** One per refund number: the first request's refund, with how many requests carried the number. */
  listRefunds(): DevRefund[] {
    const refunds = this.journal
      .load()
      .map(upgrade)
      .filter((r): r is DevRefund => r.type === 'refund');
    return firstPerKey(refunds, (r) => r.refundNo).map(({ first, count }) => ({ ...first, requests: count }));
  }

  /**
   * How many charges this instance took and refunds it made since it started (not read back from a journal). A repeated
   * request for a number it still holds moves nothing and is not counted; one for a number it no longer holds (beyond
   * maxCharges) is counted again, so a reconciliation of these counts can show a repeat but never hide one.
   */
  moneyMoved(): { charges: number; refunds: number } {
    return { ...this.moved };
  }

  private stateOf(r: DevRefund): RefundState {
    return { refundNo: r.refundNo, status: 'succeeded', refundId: r.refundId, amountFen: r.amountFen, settledAt: r.at };
  }

  private payment(orderNo: string): ConfirmedPayment | undefined {
    const known = this.paid.get(orderNo);
    if (known || !this.forgotten) return known;
    for (const line of this.journal.load()) {
      const r = upgrade(line);
      if (r.type === 'charge' && r.orderNo === orderNo) return this.confirmed(r);
    }
    return undefined;
  }

  private journalRefund(refundNo: string): DevRefund | undefined {
    for (const line of this.journal.load()) {
      const r = upgrade(line);
      if (r.type === 'refund' && r.refundNo === refundNo) return r;
    }
    return undefined;
  }

  private confirmed(c: DevCharge): ConfirmedPayment {
    return { orderNo: c.orderNo, paymentId: c.paymentId, amountFen: c.amountFen, payerId: c.payerId || null, paidAt: c.at };
  }

  private remember(c: DevCharge): ConfirmedPayment {
    const payment = this.confirmed(c);
    if (!this.paid.has(c.orderNo) && this.maxCharges !== Infinity) this.paidOrder.push(c.orderNo);
    this.paid.set(c.orderNo, payment);
    if (this.paid.size > this.maxCharges) {
      // The oldest by a queue, not by `keys().next()`: a Map's iterator steps over every deleted slot at its front.
      this.paid.delete(this.paidOrder[this.paidHead++]!);
      if (this.paidHead > this.maxCharges) {
        this.paidOrder.splice(0, this.paidHead);
        this.paidHead = 0;
      }
      this.forgotten = true;
    }
    return payment;
  }
}

/** The dev provider posts no notifications: any that arrives is refused. */
export const devPaymentNotifications: PaymentNotifications = {
  async parseNotification() {
    throw new NotificationRejectedError('unsupported', 'the dev payment provider sends no notifications');
  },
};
