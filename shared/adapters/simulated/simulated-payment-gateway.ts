import { nanoid } from 'nanoid';
import { ChargeRefusedError, type PaymentGateway } from '../../ports/payments';
import { JsonlJournal } from './jsonl-journal';

export interface SimulatedCharge {
  type: 'charge';
  paymentId: string;
  idempotencyKey: string;
  giftId: string;
  payerId: string;
  amountFen: number;
  at: string;
}
/** An order closed before anything was captured: later charges with its key are refused. */
export interface SimulatedClose {
  type: 'close';
  idempotencyKey: string;
  giftId: string;
  at: string;
}

export interface SimulatedRefund {
  type: 'refund';
  refundId: string;
  idempotencyKey: string;
  giftId: string;
  paymentId: string;
  amountFen: number;
  reason: string;
  at: string;
  /** How many refund requests carried this key (a retried delivery counts again; the money moves once). */
  requests: number;
}

/**
 * A simulated payment provider: the local server's (journaled to disk) and a DEMO_MERCHANT deploy's (in memory, never
 * for real money). Charges always succeed; charges and refunds are idempotent on their keys, like WeChat Pay's
 * out_trade_no / out_refund_no.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  private readonly charges = new Map<string, SimulatedCharge>();
  private readonly refunds = new Map<string, SimulatedRefund>();
  private readonly closed = new Map<string, SimulatedClose>();
  /** Refunds look charges up by payment id; a scan would make a day of refunds quadratic. */
  private readonly byPaymentId = new Map<string, SimulatedCharge>();
  private readonly journal: JsonlJournal<SimulatedCharge | SimulatedRefund | SimulatedClose>;

  constructor(
    file: string | null,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.journal = new JsonlJournal(file);
    for (const r of this.journal.load())
      (r.type === 'charge' ? this.charges : r.type === 'close' ? this.closed : this.refunds).set(r.idempotencyKey, r as never);
    for (const c of this.charges.values()) this.byPaymentId.set(c.paymentId, c);
  }

  async charge(req: Parameters<PaymentGateway['charge']>[0]) {
    let charge = this.charges.get(req.idempotencyKey);
    if (!charge && this.closed.has(req.idempotencyKey)) throw new ChargeRefusedError(req.giftId);
    if (!charge) {
      charge = {
        type: 'charge',
        paymentId: `pay_${nanoid(16)}`,
        idempotencyKey: req.idempotencyKey,
        giftId: req.giftId,
        payerId: req.payerId,
        amountFen: req.amountFen,
        at: this.now().toISOString(),
      };
      this.charges.set(req.idempotencyKey, charge);
      this.byPaymentId.set(charge.paymentId, charge);
      this.journal.append(charge);
    }
    return { paymentId: charge.paymentId };
  }

  async refund(req: Parameters<PaymentGateway['refund']>[0]) {
    const existing = this.refunds.get(req.idempotencyKey);
    if (existing) {
      existing.requests++;
      this.journal.append(existing);
      return { outcome: 'refunded' as const, refundId: existing.refundId };
    }
    const charge = req.paymentId ? this.byPaymentId.get(req.paymentId) : this.charges.get(req.chargeIdempotencyKey);
    if (!charge) {
      // No separate await between the check and the close: a concurrent charge sees one or the other.
      if (!req.paymentId && !this.closed.has(req.chargeIdempotencyKey)) {
        const close: SimulatedClose = {
          type: 'close',
          idempotencyKey: req.chargeIdempotencyKey,
          giftId: req.giftId,
          at: this.now().toISOString(),
        };
        this.closed.set(close.idempotencyKey, close);
        this.journal.append(close);
      }
      return { outcome: 'nothing_to_refund' as const, refundId: null };
    }
    const refund: SimulatedRefund = {
      type: 'refund',
      refundId: `rf_${nanoid(16)}`,
      idempotencyKey: req.idempotencyKey,
      giftId: req.giftId,
      paymentId: charge.paymentId,
      amountFen: Math.min(req.amountFen, charge.amountFen),
      reason: req.reason,
      at: this.now().toISOString(),
      requests: 1,
    };
    this.refunds.set(req.idempotencyKey, refund);
    this.journal.append(refund);
    return { outcome: 'refunded' as const, refundId: refund.refundId };
  }

  listCharges(): SimulatedCharge[] {
    return [...this.charges.values()];
  }

  listRefunds(): SimulatedRefund[] {
    return [...this.refunds.values()];
  }
}
