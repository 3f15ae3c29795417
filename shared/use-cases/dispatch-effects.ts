import {
  awaitRefund,
  beginAttempt,
  completeAttempt,
  dueEffects,
  type EffectDocument,
  type EffectResult,
  failAttempt,
  failFinally,
  setRefundPayment,
} from '../domain/effects';
import { AppError } from '../domain/errors';
import type { Effect, EffectKind, Gift, NotifyEffect, Payment, RefundEffect } from '../domain/gift';
import { isGroupOrder } from '../domain/gift-document';
import { refundLatePayment } from '../domain/gift-transitions';
import type { GroupOrder } from '../domain/group-order';
import type { GroupUnit } from '../domain/group-units';
import { orderNoOf, refundNoOf } from '../domain/payment-numbers';
import { iso } from '../domain/time';
import { mapLimit } from '../lib/map-limit';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import { FinalDeliveryError } from '../ports/final-delivery-error';
import type { FulfillmentHandoff } from '../ports/fulfillment';
import type { RefundState } from '../ports/payments';
import { updateGift, updateOrder, updateUnit } from './update-gift';

export interface DispatchReport {
  attempted: number;
  succeeded: number;
  failed: number;
  /** Effects that used their last attempt in this run. */
  gaveUp: number;
}

export function handoffOf(gift: Gift): FulfillmentHandoff {
  if (!gift.address || !gift.recipientId || !gift.acceptedAt) throw new Error(`gift ${gift.id} is not ready for handoff`);
  return {
    giftId: gift.id,
    is_present: true,
    present_giver_openid: gift.giverId,
    openid: gift.recipientId,
    present_note: gift.message,
    productId: gift.productId,
    skuId: gift.skuId,
    originalSkuId: gift.originalSkuId,
    skuAttrs: gift.skuAttrs,
    priceFen: gift.priceFen,
    paymentId: gift.payment?.paymentId ?? null,
    address: gift.address,
    acceptedAt: gift.acceptedAt,
  };
}

/** How an attempt ended, decided by the receiver's answer; applied to the gift by the settling compare-and-set. */
type Outcome =
  | { kind: 'done'; result: EffectResult }
  /** A refund accepted but still processing: asked about again later (or settled by its notification). */
  | { kind: 'processing'; refundId: string | null }
  /** Refused for good (a refund ABNORMAL or CLOSED, an error no retry can fix): failed at once, for an operator. */
  | { kind: 'failed'; error: string; providerStatus?: 'abnormal' | 'closed' };

interface Attempt {
  outcome: Outcome;
  /** A payment learnt on the way (the order of a canceled gift was paid after all): recorded in the same write. */
  learnt?: Payment;
}

function refundOutcome(state: RefundState): Outcome {
  switch (state.status) {
    case 'succeeded':
      return { kind: 'done', result: { receipt: state.refundId, refundOutcome: 'refunded' } };
    case 'processing':
      return { kind: 'processing', refundId: state.refundId };
    default:
      return { kind: 'failed', error: `refund ${state.status.toUpperCase()} at the payment provider`, providerStatus: state.status };
  }
}

/**
 * A refund, in the provider's steps. Unpaid (canceled) gifts: close the order; only if the provider answers that it
 * was paid after all, refund what was paid. A refund already accepted and processing is asked about (the query is
 * final; none found means the request never arrived, so it is sent again). The refund number is derived from the
 * gift and the effect, so every request of every attempt is the same request: WeChat Pay refunds at most once. A group
 * order's batches are partial refunds of its one payment (`<orderId>-r<batchNo>`).
 */
async function performRefund(deps: Deps, gift: { id: string; payment: Payment | null }, effect: RefundEffect): Promise<Attempt> {
  const orderNo = orderNoOf(gift.id);
  const refundNo = refundNoOf(gift.id, effect.id);
  let payment: Payment | undefined;
  let paymentId = effect.paymentId;
  let amountFen = effect.amountFen;
  if (paymentId === null) {
    if ((await deps.payments.close(orderNo)) === 'closed') {
      return { outcome: { kind: 'done', result: { receipt: null, refundOutcome: 'payment_closed' } } };
    }
    const state = await deps.payments.query(orderNo);
    if (state.state !== 'paid')
      throw new DependencyError('payments', `order ${orderNo} was reported paid on close but ${state.state} by query`);
    payment = { paymentId: state.payment.paymentId, amountFen: state.payment.amountFen, paidAt: state.payment.paidAt };
    paymentId = payment.paymentId;
    amountFen = payment.amountFen;
  }
  if (effect.providerStatus === 'processing') {
    const known = await deps.payments.queryRefund(refundNo);
    if (known) return { outcome: refundOutcome(known), learnt: payment };
  }
  const state = await deps.payments.refund({
    refundNo,
    orderNo,
    paymentId,
    totalFen: gift.payment?.amountFen ?? amountFen,
    refundFen: amountFen,
    reason: effect.reason,
  });
  return { outcome: refundOutcome(state), learnt: payment };
}

/** What a notice says about its gift (a 1:1 gift, a group order, or the order of a unit). */
interface NoticeSubject {
  id: string;
  productTitle: string;
  expiresAt: string | null;
  giverName?: string | null;
  thanks?: { message: string } | null;
}

async function sendNotice(deps: Deps, subject: NoticeSubject, effect: NotifyEffect): Promise<Attempt> {
  const sent = await deps.notifier.notify({
    idempotencyKey: effect.idempotencyKey,
    userId: effect.userId,
    event: effect.event,
    giftId: subject.id,
    productTitle: subject.productTitle,
    at: effect.event === 'gift_expiring' ? (subject.expiresAt ?? effect.createdAt) : effect.createdAt,
    ...(effect.amountFen === undefined ? {} : { amountFen: effect.amountFen }),
    ...(effect.reason === undefined ? {} : { reason: effect.reason }),
    ...(effect.event === 'gift_thanked' && subject.thanks ? { thanks: subject.thanks.message } : {}),
    ...(effect.event === 'gift_thanked' || effect.event === 'gift_expiring' ? { giverName: subject.giverName ?? null } : {}),
  });
  return { outcome: { kind: 'done', result: { receipt: sent.status === 'sent' ? null : `skipped: ${sent.reason}` } } };
}

const skipped = (why: string): Attempt => ({ outcome: { kind: 'done', result: { receipt: `skipped: ${why}` } } });

/** How the dispatcher reads, writes and delivers one kind of document's effects. */
interface DocumentOps<D extends EffectDocument> {
  update(deps: Deps, doc: D, decide: (d: D, now: string) => D, current?: D): Promise<D>;
  /** Calls the receiver; the effect's idempotency key (and for money, its numbers) make a repeat harmless. */
  perform(deps: Deps, doc: D, effect: Effect): Promise<Attempt>;
  /** Records a payment learnt on the way (the order of a canceled gift was paid after all). */
  learn(doc: D, payment: Payment, effectId: string, now: string): D;
}

const giftOps: DocumentOps<Gift> = {
  update: (deps, doc, decide, current) => updateGift(deps, doc.id, decide, { current }),
  async perform(deps, gift, effect) {
    switch (effect.kind) {
      case 'handoff': {
        const { reference } = await deps.fulfillment.handOff({ idempotencyKey: effect.idempotencyKey, handoff: handoffOf(gift) });
        return { outcome: { kind: 'done', result: { receipt: reference } } };
      }
      case 'refund':
        return performRefund(deps, gift, effect);
      case 'notify':
        // A reminder is only for a gift still waiting to be accepted (the settling write cancels it; this is a last check).
        if (effect.event === 'gift_expiring' && gift.status !== 'claimed') return skipped('gift no longer waiting');
        return sendNotice(deps, gift, effect);
    }
  },
  learn: (gift, payment, _effectId, now) => refundLatePayment(gift, payment, now),
};

const orderOps: DocumentOps<GroupOrder> = {
  update: (deps, doc, decide, current) => updateOrder(deps, doc.id, decide, { current }),
  async perform(deps, order, effect) {
    if (effect.kind === 'refund') return performRefund(deps, order, effect);
    if (effect.kind === 'notify') return sendNotice(deps, order, effect);
    throw new FinalDeliveryError('UNEXPECTED_EFFECT', `a group order has no ${effect.kind} effect`);
  },
  learn: (order, payment, effectId, _now) => ({ ...setRefundPayment(order, effectId, payment.paymentId, payment.amountFen), payment }),
};

/** The fulfillment handoff of one accepted unit of a group order: its own id, style and address, the order's payment. */
export function handoffOfUnit(order: GroupOrder, unit: GroupUnit): FulfillmentHandoff {
  if (!unit.address || !unit.recipientId || !unit.acceptedAt) throw new Error(`unit ${unit.id} is not ready for handoff`);
  return {
    giftId: unit.id,
    is_present: true,
    present_giver_openid: order.giverId,
    openid: unit.recipientId,
    present_note: order.message,
    productId: order.productId,
    skuId: unit.skuId,
    originalSkuId: order.skuId,
    skuAttrs: unit.skuAttrs,
    priceFen: order.priceFen,
    paymentId: order.payment?.paymentId ?? null,
    address: unit.address,
    acceptedAt: unit.acceptedAt,
  };
}

const unitOps: DocumentOps<GroupUnit> = {
  update: (deps, doc, decide, current) => updateUnit(deps, doc.orderId, doc.unitNo, decide, { current }),
  async perform(deps, unit, effect) {
    const order = await deps.store.get(unit.orderId);
    if (!order || !isGroupOrder(order)) throw new FinalDeliveryError('ORDER_MISSING', `unit ${unit.id} has no order`);
    switch (effect.kind) {
      case 'handoff': {
        const handoff = handoffOfUnit(order, unit);
        const { reference } = await deps.fulfillment.handOff({ idempotencyKey: effect.idempotencyKey, handoff });
        return { outcome: { kind: 'done', result: { receipt: reference } } };
      }
      case 'notify':
        if (effect.event === 'gift_expiring' && unit.status !== 'claimed') return skipped('unit no longer waiting');
        return sendNotice(deps, order, effect);
      default:
        throw new FinalDeliveryError('UNEXPECTED_EFFECT', `a unit has no ${effect.kind} effect`);
    }
  },
  learn: (unit) => unit,
};

/** The settling write of an attempt: the outcome, and any payment learnt on the way. */
function settle<D extends EffectDocument>(deps: Deps, ops: DocumentOps<D>, g: D, effectId: string, attempt: Attempt, now: string): D {
  const base = attempt.learnt ? ops.learn(g, attempt.learnt, effectId, now) : g;
  const { outcome } = attempt;
  let settled: D;
  if (outcome.kind === 'done') settled = completeAttempt(base, effectId, now, outcome.result);
  else if (outcome.kind === 'processing') settled = awaitRefund(base, effectId, now, deps.dispatchPolicy, outcome.refundId);
  else settled = failFinally(base, effectId, outcome.error, now, outcome.providerStatus);
  // Two steps (the payment learnt, then the outcome), one write: the document moves on by one version, not two.
  return settled === g ? g : { ...settled, version: g.version + 1 };
}

const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * Delivers one kind of recorded side effect (fulfillment handoff, refund, notification) for every document where it is
 * due (gifts and group orders from the gift store's timer index, units of group orders from the group store's), up
 * to `limit` attempts a run. Each attempt is claimed with a compare-and-set (a lease) before the call and settled
 * with another after it. A crash between the two leaves the effect pending, so it is retried with the same
 * idempotency key: nothing is lost, and the receiver sees one effect however often it is delivered.
 */
export async function dispatchDueEffects(deps: Deps, kind: EffectKind, opts: { limit?: number } = {}): Promise<DispatchReport> {
  const report: DispatchReport = { attempted: 0, succeeded: 0, failed: 0, gaveUp: 0 };
  const limit = opts.limit ?? 100;
  const now = iso(deps.clock.now());
  let after: string | undefined;
  // Candidates due for another kind only are skipped; keep paging so they never hide due ones behind them.
  for (let pages = 0; pages < 50 && report.attempted < limit; pages++) {
    const page = await deps.store.listDue(kind, now, limit - report.attempted, after);
    await mapLimit(page.items, 8, (candidate) =>
      isGroupOrder(candidate)
        ? dispatchDocument(deps, orderOps, kind, candidate, report)
        : dispatchDocument(deps, giftOps, kind, candidate, report),
    );
    if (!page.next) break;
    after = page.next;
  }
  // Refunds are the order's; units only carry handoffs and notices.
  if (kind === 'refund') return report;
  after = undefined;
  for (let pages = 0; pages < 50 && report.attempted < limit; pages++) {
    const page = await deps.groupStore.listDueUnits(kind, now, limit - report.attempted, after);
    await mapLimit(page.items, 8, (candidate) => dispatchDocument(deps, unitOps, kind, candidate, report));
    if (!page.next) break;
    after = page.next;
  }
  return report;
}

async function dispatchDocument<D extends EffectDocument>(
  deps: Deps,
  ops: DocumentOps<D>,
  kind: EffectKind,
  candidate: D,
  report: DispatchReport,
): Promise<void> {
  let current: D | undefined = candidate;
  for (const due of dueEffects(candidate, kind, iso(deps.clock.now()))) {
    let claimed: D;
    // Whether *this* run took the lease: set by the decision that was written, so a run that lost the
    // compare-and-set and then found the effect leased by another run never mistakes that attempt for its own.
    let leased = false;
    try {
      claimed = await ops.update(
        deps,
        candidate,
        (g, now) => {
          leased = dueEffects(g, kind, now).some((e) => e.id === due.id);
          return leased ? beginAttempt(g, due.id, now, deps.dispatchPolicy) : g;
        },
        current,
      );
    } catch (e) {
      if (e instanceof AppError) continue; // someone else holds it; the lease decides
      throw e;
    }
    current = undefined;
    if (!leased) continue; // another dispatcher holds this attempt
    const effect = claimed.effects.find((e) => e.id === due.id)!;
    report.attempted++;
    const log = deps.logger.child({ giftId: claimed.id, effect: effect.id, attempt: effect.attempts });
    try {
      let attempt: Attempt;
      try {
        attempt = await ops.perform(deps, claimed, effect);
      } catch (e) {
        if (!(e instanceof FinalDeliveryError)) throw e;
        attempt = { outcome: { kind: 'failed', error: `${e.code}: ${e.message}` } };
      }
      await ops.update(deps, claimed, (g, now) => settle(deps, ops, g, effect.id, attempt, now), claimed);
      const { outcome } = attempt;
      if (outcome.kind === 'failed') {
        report.failed++;
        report.gaveUp++;
        log.error({ err: outcome.error }, 'effect refused for good: needs an operator');
      } else {
        report.succeeded++;
        log.info({ outcome: outcome.kind }, outcome.kind === 'processing' ? 'refund processing' : 'effect delivered');
      }
    } catch (e) {
      const after = await ops.update(deps, claimed, (g, now) => failAttempt(g, effect.id, describe(e), now, deps.dispatchPolicy), claimed);
      const final = after.effects.find((x) => x.id === effect.id)!;
      report.failed++;
      if (final.status === 'failed') report.gaveUp++;
      log.warn({ err: describe(e), gaveUp: final.status === 'failed' }, 'effect delivery failed');
    }
  }
}
