/**
 * One unit of a group order: one document per slot (`<orderId>-u007`), holding that unit's recipient, address, style
 * and fate, and the effects only it causes (its handoff, the recipient's reminder, the giver's notice). Claimers,
 * winners and the cleanup contend on one unit at a time, never on the order document.
 *
 *   (no document: free) --take--> claimed --accept--> accepted   (handoff)
 *                                    |     --decline-> declined   (refund owed: the next batch of the order pays it)
 *            +-----at the deadline, by the cleanup or a late command-----> expired (refund owed)
 *
 * A slot is free exactly while it has no document, and a document is never removed: taking a slot and closing a free
 * one are both conditional inserts, so versions only grow (no stale writer can mistake a new document for an old
 * one). `declined` and `expired` never change again, which is what lets the order batch their refunds in a later
 * write of its own (refund-batches.ts): a unit listed in a refund batch can never be accepted.
 */

import { EXPIRY_REMINDER_ID, effectBase, withoutPendingReminder } from './effects';
import { AppError } from './errors';
import type { Address, Effect, HandoffEffect, NotifyEffect, Shipment, SwapRecord } from './gift';
import { type SwapTarget, sameAddress } from './gift-transitions';
import { type GroupOrder, isOrderExpired } from './group-order';
import { addSeconds } from './time';

export type UnitStatus = 'claimed' | 'accepted' | 'declined' | 'expired';
export const TERMINAL_UNIT_STATUSES: ReadonlySet<UnitStatus> = new Set(['accepted', 'declined', 'expired']);
/** A unit whose money is owed back to the giver (exactly once, in one refund batch). */
export const isRefundOwed = (unit: GroupUnit | undefined): boolean => unit?.status === 'declined' || unit?.status === 'expired';

export interface GroupUnit {
  /** `<orderId>-u<3 digits>`: unique, and the base of its effects' idempotency keys. */
  id: string;
  orderId: string;
  unitNo: number;
  version: number;
  status: UnitStatus;
  recipientId: string | null;
  claimedAt: string | null;
  /** Current style: the order's until the recipient swaps. */
  skuId: string;
  skuAttrs: Record<string, string>;
  swaps: SwapRecord[];
  /** Readable only by this unit's recipient and the fulfillment handoff; never by the giver. */
  address: Address | null;
  acceptedAt: string | null;
  declinedAt: string | null;
  expiredAt: string | null;
  updatedAt: string;
  effects: Effect[];
  /** The merchant's shipped/delivered progress of this unit (its handoff's giftId is the unit id). */
  shipment?: Shipment | null;
  /** Ids of merchant callback events already applied (a replay is refused). */
  merchantEventIds?: string[];
}

/** `<orderId>-u007` → the order and slot; null for any other id (a 1:1 gift's). */
export function parseUnitId(id: string): { orderId: string; unitNo: number } | null {
  const m = /^(.+)-u(\d{3})$/.exec(id);
  return m ? { orderId: m[1]!, unitNo: Number(m[2]) } : null;
}

export const unitIdOf = (orderId: string, unitNo: number): string => `${orderId}-u${String(unitNo).padStart(3, '0')}`;

const next = (unit: GroupUnit, now: string, change: Partial<GroupUnit>): GroupUnit => ({
  ...unit,
  ...change,
  version: unit.version + 1,
  updatedAt: now,
});

function assertSlot(order: GroupOrder, unitNo: number): void {
  if (!Number.isInteger(unitNo) || unitNo < 0 || unitNo >= order.quantity) throw new Error(`${order.id} has no unit ${unitNo}`);
}

/** The template of a slot's first document (version 0: its insert is version 1). */
function blankUnit(order: GroupOrder, unitNo: number, now: string): GroupUnit {
  return {
    id: unitIdOf(order.id, unitNo),
    orderId: order.id,
    unitNo,
    version: 0,
    status: 'claimed',
    recipientId: null,
    claimedAt: null,
    skuId: order.skuId,
    skuAttrs: order.skuAttrs,
    swaps: [],
    address: null,
    acceptedAt: null,
    declinedAt: null,
    expiredAt: null,
    updatedAt: now,
    effects: [],
  };
}

/** The recipient's reminder before the window closes (at once when claimed later than that), like a 1:1 gift's. */
function reminder(unit: GroupUnit, order: GroupOrder, recipientId: string, beforeSeconds: number, now: string): NotifyEffect[] {
  if (!order.expiresAt) return [];
  const due = addSeconds(order.expiresAt, -beforeSeconds);
  return [
    Object.assign(effectBase(unit.id, EXPIRY_REMINDER_ID, due > now ? due : now), {
      kind: 'notify' as const,
      event: 'gift_expiring' as const,
      userId: recipientId,
    }),
  ];
}

/**
 * A claimer takes a free slot: the slot's first document, written with a conditional insert (it fails when someone
 * took or closed the slot first). The claim plan (group-claim.ts) only offers free slots.
 */
export function takeUnit(order: GroupOrder, unitNo: number, callerId: string, now: string, reminderBeforeSeconds: number): GroupUnit {
  assertSlot(order, unitNo);
  const base = blankUnit(order, unitNo, now);
  const taken = next(base, now, { status: 'claimed', recipientId: callerId, claimedAt: now });
  return { ...taken, effects: reminder(base, order, callerId, reminderBeforeSeconds, now) };
}

/**
 * A drawn winner's unit, derived from the order alone (unit k belongs to winners[k], claimed at the draw), so whoever
 * writes it first (the draw right after its order write, or the winner's first request) writes the same document: a
 * conditional insert that loses just reads the winner's.
 */
export function winnerUnit(order: GroupOrder, unitNo: number, reminderBeforeSeconds: number): GroupUnit {
  const winner = order.lottery?.winners?.[unitNo];
  const drawnAt = order.lottery?.drawnAt;
  if (!winner || !drawnAt) throw new Error(`${order.id} has no winner for unit ${unitNo}`);
  const base = blankUnit(order, unitNo, drawnAt);
  const claimed = next(base, drawnAt, { status: 'claimed', recipientId: winner.userId, claimedAt: drawnAt });
  return { ...claimed, effects: reminder(base, order, winner.userId, reminderBeforeSeconds, drawnAt) };
}

/** Throws the error that explains why this caller cannot change this unit now. */
function assertRecipientCanChange(order: GroupOrder, unit: GroupUnit, callerId: string, now: string): void {
  if (unit.recipientId !== callerId) throw new AppError('NOT_RECIPIENT', 'only the recipient of this unit may do this');
  if (unit.status === 'accepted') throw new AppError('ALREADY_ACCEPTED', 'the gift was already accepted and can no longer change');
  if (unit.status === 'declined') throw new AppError('GIFT_DECLINED', 'the gift was declined');
  if (unit.status === 'expired' || order.status === 'settled' || isOrderExpired(order, now))
    throw new AppError('GIFT_EXPIRED', 'the gift was not accepted in time and has been refunded');
}

export function setUnitAddress(order: GroupOrder, unit: GroupUnit, callerId: string, address: Address, now: string): GroupUnit {
  assertRecipientCanChange(order, unit, callerId, now);
  return next(unit, now, { address });
}

/**
 * The 1:1 swap rules (gift-transitions.ts swapVariant), per unit: another in-stock style of the same product at the
 * order's price. Swapping to the current style changes nothing.
 */
export function swapUnitVariant(order: GroupOrder, unit: GroupUnit, callerId: string, target: SwapTarget, now: string): GroupUnit {
  assertRecipientCanChange(order, unit, callerId, now);
  if (target.sku.id === unit.skuId) return unit;
  if (target.product.id !== order.productId)
    throw new AppError('VARIANT_NOT_SAME_PRODUCT', 'you can only switch to another style of the same product');
  if (target.sku.priceFen !== order.priceFen)
    throw new AppError('VARIANT_NOT_SAME_PRICE', 'you can only switch to a style of the same price');
  if (target.sku.stock <= 0) throw new AppError('OUT_OF_STOCK', 'that style is out of stock');
  return next(unit, now, {
    skuId: target.sku.id,
    skuAttrs: target.sku.attrs,
    swaps: [...unit.swaps, { fromSkuId: unit.skuId, toSkuId: target.sku.id, at: now }],
  });
}

const handoff = (unit: GroupUnit, now: string): HandoffEffect =>
  Object.assign(effectBase(unit.id, 'handoff', now), { kind: 'handoff' as const });

export function acceptUnit(order: GroupOrder, unit: GroupUnit, callerId: string, now: string): GroupUnit {
  if (unit.status === 'accepted' && unit.recipientId === callerId) return unit;
  assertRecipientCanChange(order, unit, callerId, now);
  if (unit.address === null) throw new AppError('ADDRESS_REQUIRED', 'enter a shipping address before accepting the gift');
  const notice: NotifyEffect = Object.assign(effectBase(unit.id, 'notify:gift_accepted', now), {
    kind: 'notify' as const,
    event: 'gift_accepted' as const,
    userId: order.giverId,
  });
  return next(unit, now, {
    status: 'accepted',
    acceptedAt: now,
    effects: [...withoutPendingReminder(unit.effects, now), handoff(unit, now), notice],
  });
}

/** acceptWithAddress (gift-transitions.ts) for a unit: set the address and accept in one write (one version). */
export function acceptUnitWithAddress(order: GroupOrder, unit: GroupUnit, callerId: string, address: Address, now: string): GroupUnit {
  if (unit.status === 'accepted' && unit.recipientId === callerId && sameAddress(unit.address, address)) return unit;
  return { ...acceptUnit(order, setUnitAddress(order, unit, callerId, address, now), callerId, now), version: unit.version + 1 };
}

/** The unit's money is owed back; the order's next refund batch pays it (the caller then asks for one: refund-batches.ts). */
export function declineUnit(order: GroupOrder, unit: GroupUnit, callerId: string, now: string): GroupUnit {
  if (unit.status === 'declined' && unit.recipientId === callerId) return unit;
  assertRecipientCanChange(order, unit, callerId, now);
  return next(unit, now, { status: 'declined', declinedAt: now, effects: withoutPendingReminder(unit.effects, now) });
}

/**
 * Closes a slot at the deadline (the cleanup, or a command arriving late, as for a 1:1 gift): a slot nobody took
 * gets an expired document (a conditional insert, so a claim landing at the same instant makes one of the two fail),
 * a claimed one expires by compare-and-set (racing an accept: one of the two wins). Settled units stay as they are.
 */
export function expireUnit(order: GroupOrder, unitNo: number, current: GroupUnit | null, now: string): GroupUnit {
  assertSlot(order, unitNo);
  if (!isOrderExpired(order, now)) throw new Error(`${order.id} is not past its deadline`);
  if (current && TERMINAL_UNIT_STATUSES.has(current.status)) return current;
  const base =
    current ?? (order.mode === 'lottery' ? { ...winnerUnit(order, unitNo, 0), version: 0, effects: [] } : blankUnit(order, unitNo, now));
  return next(base, now, { status: 'expired', expiredAt: now, effects: withoutPendingReminder(base.effects, now) });
}

/** The unit number the caller holds: a group claimer's from their marker, a lottery winner's from the draw; else null. */
export function unitNoOf(order: GroupOrder, callerId: string, marker: { unitNo: number } | null): number | null {
  if (order.mode === 'group') return marker?.unitNo ?? null;
  const k = order.lottery?.winners?.findIndex((w) => w.userId === callerId) ?? -1;
  return k >= 0 ? k : null;
}
