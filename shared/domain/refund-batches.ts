/**
 * Refunds of a group order: whole units, batched, against its one payment.
 *
 * A unit's money is owed back once the unit is declined or expired (group-units.ts: both final). The order pays it in
 * a refund batch: one refund request for several units, recorded as an outbox effect of the order document in the
 * same write that adds the batch to the order's ledger (`refundBatches`). The ledger is what marks a unit "refund
 * pending": a unit is in at most one batch, a unit in a batch is never accepted, so
 *   Σ batches = (units refunded) × price ≤ quantity × price = the amount paid.
 * Each batch refunds under its own stable out_refund_no, `<orderId>-r<batchNo>`: a retry, a crashed dispatcher's
 * successor or a sweep running twice asks for the same refund, which WeChat Pay makes once.
 *
 * WeChat Pay refunds one payment at most 50 times. Batches come from three places: the draw (units nobody won, once),
 * declines (at most one batch per refundBatchIntervalSeconds, and never the last allowed one) and the deadline (one
 * final batch once every slot is settled, after which nothing can be owed). The final batch always has room.
 */

import { effectBase } from './effects';
import type { Effect, RefundReason } from './gift';
import {
  type GroupOrder,
  type GroupRefundEffect,
  giverNotice,
  isOrderExpired,
  nextOrder,
  type RefundBatch,
  type RefundTrigger,
  unitSlots,
} from './group-order';
import { type GroupPolicy, WECHATPAY_MAX_PARTIAL_REFUNDS } from './group-policy';
import { type GroupUnit, isRefundOwed, TERMINAL_UNIT_STATUSES } from './group-units';
import { refundNoOf } from './payment-numbers';
import { addSeconds, isAtOrAfter } from './time';

export interface RefundPlan {
  unitNos: number[];
  trigger: RefundTrigger;
}

export const batchEffectId = (batchNo: number): string => `r${batchNo}`;
/** out_refund_no of a batch: `<orderId>-r<batchNo>` (the order id is ≤ 32 characters, so this fits WeChat Pay's 64). */
export const refundNoOfBatch = (orderId: string, batchNo: number): string => refundNoOf(orderId, batchEffectId(batchNo));

const REASON: Record<RefundTrigger, RefundReason> = { declines: 'declined', expiry: 'expired', draw: 'expired' };

export function batchedUnitNos(order: GroupOrder): Set<number> {
  return new Set(order.refundBatches.flatMap((b) => b.unitNos));
}

/** Slots whose money is owed back and in no batch yet. */
export function refundableUnitNos(order: GroupOrder, units: ReadonlyMap<number, GroupUnit>): number[] {
  const batched = batchedUnitNos(order);
  return unitSlots(order).filter((k) => isRefundOwed(units.get(k)) && !batched.has(k));
}

/** Past the deadline: the slots the cleanup must still close (expireUnit) before the final batch. */
export function slotsToClose(order: GroupOrder, units: ReadonlyMap<number, GroupUnit>, now: string): number[] {
  if (order.status !== 'sent' || !isOrderExpired(order, now)) return [];
  return unitSlots(order).filter((k) => {
    const u = units.get(k);
    return !u || !TERMINAL_UNIT_STATUSES.has(u.status);
  });
}

/**
 * The ledger entry and its refund effect for a batch. Guards the money rules: whole slots of this order, none
 * refunded before, within WeChat Pay's count, never more than was paid.
 */
function batchChange(order: GroupOrder, plan: RefundPlan, now: string): Pick<GroupOrder, 'refundBatches' | 'effects'> {
  const payment = order.payment;
  if (!payment) throw new Error(`${order.id}: nothing was paid, nothing to refund`);
  const unitNos = [...new Set(plan.unitNos)].sort((a, b) => a - b);
  const batched = batchedUnitNos(order);
  if (unitNos.length === 0) throw new Error(`${order.id}: an empty refund batch`);
  for (const k of unitNos)
    if (!Number.isInteger(k) || k < 0 || k >= order.quantity || batched.has(k))
      throw new Error(`${order.id}: unit ${k} cannot be refunded`);
  if (order.refundBatches.length >= WECHATPAY_MAX_PARTIAL_REFUNDS) throw new Error(`${order.id}: no refund left under WeChat Pay's limit`);
  const amountFen = unitNos.length * order.priceFen;
  const refunded = order.refundBatches.reduce((sum, b) => sum + b.amountFen, 0);
  if (refunded + amountFen > payment.amountFen) throw new Error(`${order.id}: refunds would exceed the amount paid`);
  const batchNo = order.refundBatches.length + 1;
  const effectId = batchEffectId(batchNo);
  const batch: RefundBatch = { batchNo, effectId, unitNos, amountFen, trigger: plan.trigger, createdAt: now };
  const effect: GroupRefundEffect = Object.assign(effectBase(order.id, effectId, now), {
    kind: 'refund' as const,
    reason: REASON[plan.trigger],
    amountFen,
    paymentId: payment.paymentId,
    batchNo,
    unitNos,
  });
  return { refundBatches: [...order.refundBatches, batch], effects: [...order.effects, effect] };
}

/** Records a batch as its own write (the draw folds one into its write instead: withRefundBatch). */
export const recordRefundBatch = (order: GroupOrder, plan: RefundPlan, now: string): GroupOrder =>
  nextOrder(order, now, batchChange(order, plan, now));

/** The fields a batch changes, for a transition that records one as part of its own write. */
export const withRefundBatch = batchChange;

/** Whether a decline batch may be taken: one batch is always kept for the final one. */
const roomForDeclineBatch = (order: GroupOrder, policy: GroupPolicy): boolean =>
  order.refundBatches.length < Math.min(policy.maxRefundsPerOrder, WECHATPAY_MAX_PARTIAL_REFUNDS) - 1;

/**
 * A decline asks for a refund batch (a second, small write on the order after the unit's own; losing it only delays
 * the refund to the deadline's batch): at once, or once the interval since the last batch has passed. Returns the same
 * object when a batch is already asked for by then, or when the final batch will take it anyway.
 */
export function requestRefundCheck(order: GroupOrder, now: string, policy: GroupPolicy): GroupOrder {
  if (order.status !== 'sent' || !roomForDeclineBatch(order, policy)) return order;
  const last = order.refundBatches.at(-1);
  const earliest = last ? addSeconds(last.createdAt, policy.refundBatchIntervalSeconds) : now;
  const at = earliest > now ? earliest : now;
  if (order.refundCheckAt !== null && order.refundCheckAt <= at) return order;
  return nextOrder(order, now, { refundCheckAt: at });
}

/**
 * The cleanup's write on the order after reading its units: at the deadline (every slot closed first: slotsToClose)
 * the final batch and `settled`; before it, a batch of the declines asked for. Returns the same object when there is
 * nothing to write.
 */
export function refundStep(order: GroupOrder, units: ReadonlyMap<number, GroupUnit>, now: string, policy: GroupPolicy): GroupOrder {
  if (order.status !== 'sent' || (order.lottery && !order.lottery.drawnAt)) return order;
  if (isOrderExpired(order, now)) {
    if (slotsToClose(order, units, now).length > 0) return order;
    const owed = refundableUnitNos(order, units);
    const batch = owed.length > 0 ? batchChange(order, { unitNos: owed, trigger: 'expiry' }, now) : {};
    return nextOrder(order, now, { ...batch, status: 'settled', settledAt: now, refundCheckAt: null });
  }
  if (order.refundCheckAt === null || !isAtOrAfter(now, order.refundCheckAt)) return order;
  const owed = refundableUnitNos(order, units);
  if (owed.length === 0 || !roomForDeclineBatch(order, policy)) return nextOrder(order, now, { refundCheckAt: null });
  return nextOrder(order, now, { ...batchChange(order, { unitNos: owed, trigger: 'declines' }, now), refundCheckAt: null });
}

/**
 * A batch's refund went through (the dispatcher's last step, as completeAttempt for a 1:1 gift): done, and the giver is
 * told how much came back, in the same write. Returns the same object when it is already settled.
 */
export function completeBatchRefund(order: GroupOrder, effectId: string, now: string, receipt: string | null): GroupOrder {
  const target = order.effects.find((e) => e.id === effectId);
  if (target?.kind !== 'refund' || target.status !== 'pending') return order;
  const done: Effect = {
    ...target,
    status: 'done',
    completedAt: now,
    receipt,
    lastError: null,
    outcome: 'refunded',
    providerStatus: 'succeeded',
  };
  const notice = giverNotice(order, `notify:gift_refunded:${effectId}`, 'gift_refunded', now, target.amountFen);
  const effects = order.effects.map((e) => (e === target ? done : e));
  return nextOrder(order, now, { effects: effects.some((e) => e.id === notice.id) ? effects : [...effects, notice] });
}
