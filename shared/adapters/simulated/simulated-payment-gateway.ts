import { createHash } from 'node:crypto';
import { ChargeRefusedError, type PaymentGateway } from '../../ports/payments';
import { firstPerKey, JsonlJournal } from './jsonl-journal';

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

/** Payment and refund ids follow from the idempotency key, as the provider's own ids for an out_trade_no would. */
const idFor = (prefix: 'pay' | 'rf', idempotencyKey: string) =>
  `${prefix}_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 16)}`;

/**
 * The local mode's payment provider: charges always succeed; charges and refunds are idempotent on their
 * keys, like WeChat Pay's out_trade_no / out_refund_no, and are journaled (to disk in local mode).
 *
 * The records live only in the journal. Memory holds the amounts of the last `maxCharges` charges by payment id
 * (~90 bytes each) and the keys of closed orders (rare); a refund of an older charge finds it in the journal (a read
 * of the whole file, only once more than `maxCharges` charges were made). With no file and `retainRecords: false`
 * (a deployed demo, whose warm instance would otherwise keep every charge for its lifetime) there is nothing to read
 * back: a refund of a charge it no longer knows answers as if another instance had taken it (nothing to refund
 * here), as it already does across instances.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  /** Amount captured per payment id, for the most recent `maxCharges` charges (Map order: oldest first). */
  private readonly chargedFen = new Map<string, number>();
  /** Charge keys of closed orders (gifts canceled before any payment was recorded: rare). */
  private readonly closed = new Set<string>();
  /** Payment ids of charges journaled before ids followed from keys, by charge key. */
  private readonly legacyPaymentIds = new Map<string, string>();
  private readonly journal: JsonlJournal<SimulatedCharge | SimulatedRefund | SimulatedClose>;
  private readonly maxCharges: number;
  /** Whether a charge was ever dropped from chargedFen (until then, a miss means "never charged"). */
  private forgotten = false;

  constructor(
    file: string | null,
    private readonly now: () => Date = () => new Date(),
    opts: { retainRecords?: boolean; maxCharges?: number } = {},
  ) {
    this.journal = new JsonlJournal(file, { retain: opts.retainRecords });
    this.maxCharges = opts.maxCharges ?? Infinity;
    for (const r of this.journal.load()) {
      if (r.type === 'close') this.closed.add(r.idempotencyKey);
      if (r.type !== 'charge' || this.chargedFen.has(r.paymentId)) continue;
      if (r.paymentId !== idFor('pay', r.idempotencyKey)) this.legacyPaymentIds.set(r.idempotencyKey, r.paymentId);
      this.remember(r.paymentId, r.amountFen);
    }
  }

  async charge(req: Parameters<PaymentGateway['charge']>[0]) {
    const paymentId = this.paymentIdOf(req.idempotencyKey);
    if (!this.chargedFen.has(paymentId)) {
      if (this.closed.has(req.idempotencyKey)) throw new ChargeRefusedError(req.giftId);
      this.remember(paymentId, req.amountFen);
      this.journal.append({
        type: 'charge',
        paymentId,
        idempotencyKey: req.idempotencyKey,
        giftId: req.giftId,
        payerId: req.payerId,
        amountFen: req.amountFen,
        at: this.now().toISOString(),
      });
    }
    return { paymentId };
  }

  /** Every request is journaled; the first per key is the refund, the repeats only count (see listRefunds). */
  async refund(req: Parameters<PaymentGateway['refund']>[0]) {
    const paymentId = req.paymentId ?? this.paymentIdOf(req.chargeIdempotencyKey);
    const chargedFen = this.chargedFen.get(paymentId) ?? this.chargedFenInJournal(paymentId);
    if (chargedFen === undefined) {
      // No separate await between the check and the close: a concurrent charge sees one or the other.
      if (!req.paymentId && !this.closed.has(req.chargeIdempotencyKey)) {
        this.closed.add(req.chargeIdempotencyKey);
        this.journal.append({ type: 'close', idempotencyKey: req.chargeIdempotencyKey, giftId: req.giftId, at: this.now().toISOString() });
      }
      return { outcome: 'nothing_to_refund' as const, refundId: null };
    }
    const refundId = idFor('rf', req.idempotencyKey);
    this.journal.append({
      type: 'refund',
      refundId,
      idempotencyKey: req.idempotencyKey,
      giftId: req.giftId,
      paymentId,
      amountFen: Math.min(req.amountFen, chargedFen),
      reason: req.reason,
      at: this.now().toISOString(),
      requests: 1,
    });
    return { outcome: 'refunded' as const, refundId };
  }

  listCharges(): SimulatedCharge[] {
    const charges = this.journal.load().filter((r): r is SimulatedCharge => r.type === 'charge');
    return firstPerKey(charges, (c) => c.idempotencyKey).map(({ first }) => first);
  }

  /** One per key: the first request's refund, with how many requests carried the key. */
  listRefunds(): SimulatedRefund[] {
    const refunds = this.journal.load().filter((r): r is SimulatedRefund => r.type === 'refund');
    return firstPerKey(refunds, (r) => r.idempotencyKey).map(({ first, count }) => ({ ...first, requests: count }));
  }

  private paymentIdOf(chargeKey: string): string {
    return this.legacyPaymentIds.get(chargeKey) ?? idFor('pay', chargeKey);
  }

  private remember(paymentId: string, amountFen: number): void {
    this.chargedFen.set(paymentId, amountFen);
    if (this.chargedFen.size > this.maxCharges) {
      this.chargedFen.delete(this.chargedFen.keys().next().value!);
      this.forgotten = true;
    }
  }

  private chargedFenInJournal(paymentId: string): number | undefined {
    if (!this.forgotten) return undefined;
    for (const r of this.journal.load()) if (r.type === 'charge' && r.paymentId === paymentId) return r.amountFen;
    return undefined;
  }
}
