/**
 * The claim link of a group order (docs/group-gifts.md): claim a unit (群发礼物), enter the draw (群礼物抽奖), and the
 * caller's own unit's commands (address, swap, accept, decline). Each write is one conditional write of one document:
 * a unit, a marker, an entry; the order itself is written only by a decline asking for a refund batch.
 */

import { AppError } from '../domain/errors';
import type { Address } from '../domain/gift';
import type { SwapTarget } from '../domain/gift-transitions';
import { type GroupOrder, isOrderExpired } from '../domain/group-order';
import {
  acceptUnit,
  acceptUnitWithAddress,
  declineUnit,
  expireUnit,
  type GroupUnit,
  setUnitAddress,
  swapUnitVariant,
  unitNoOf,
  winnerUnit,
} from '../domain/group-units';
import { type OrderClaimParts, orderClaimView, unitsHeld } from '../domain/group-views';
import { ENTRY_SALT_BYTES, enterLottery, type LotteryEntry } from '../domain/lottery-draw';
import { requestRefundCheck } from '../domain/refund-batches';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { claimGroupUnit } from './claim-group-unit';
import { updateOrder, updateUnit } from './update-gift';

/** Every entry of an order (the draw, and the count a card shows before it), a page at a time. */
export async function allEntries(deps: Pick<Deps, 'groupStore'>, orderId: string): Promise<LotteryEntry[]> {
  const out: LotteryEntry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await deps.groupStore.listEntries(orderId, 1_000, cursor);
    out.push(...page.items);
    if (!page.cursor) return out;
    cursor = page.cursor;
  }
}

const ENTRANT_COUNT_TTL_MS = 5_000;
const entrantCounts = new Map<string, { at: number; count: Promise<number> }>();

/**
 * Entries so far, for the card before the draw ("已有 N 人参与"). Counting reads every entry, so a crowd opening the
 * card at once must not each count: one count per order is shared by every request of this instance for 5 s
 * (concurrent requests share the one in flight). The draw counts exactly; this number is only shown.
 */
export function entrantsSoFar(deps: Pick<Deps, 'groupStore' | 'clock'>, orderId: string): Promise<number> {
  const now = deps.clock.now().getTime();
  const cached = entrantCounts.get(orderId);
  if (cached && now - cached.at < ENTRANT_COUNT_TTL_MS && now >= cached.at) return cached.count;
  const count = allEntries(deps, orderId).then((all) => all.length);
  // A failed count is not kept: the next request counts again.
  count.catch(() => entrantCounts.delete(orderId));
  if (entrantCounts.size > 10_000) entrantCounts.clear();
  entrantCounts.set(orderId, { at: now, count });
  return count;
}

/**
 * The caller's unit: a group claimer's through their marker, a lottery winner's from the draw (its document is
 * derived from the order, so the first to need it inserts it: the same document whoever writes it).
 */
async function callerUnit(deps: Deps, order: GroupOrder, callerId: string): Promise<GroupUnit | null> {
  const marker = order.mode === 'group' ? await deps.groupStore.getMarker(order.id, callerId) : null;
  const unitNo = unitNoOf(order, callerId, marker);
  if (unitNo === null) return null;
  const unit = await deps.groupStore.getUnit(order.id, unitNo);
  if (unit || order.mode === 'group') return unit;
  const fresh = winnerUnit(order, unitNo, deps.giftPolicy.reminderBeforeExpirySeconds);
  return (await deps.groupStore.insertUnit(fresh)) ? fresh : deps.groupStore.getUnit(order.id, unitNo);
}

/** What the card needs beyond the order, read in parallel. */
async function claimParts(deps: Deps, order: GroupOrder, callerId: string, known?: Partial<OrderClaimParts>): Promise<OrderClaimParts> {
  if (order.status === 'awaiting_payment' || order.status === 'canceled')
    return { unit: null, unitsTaken: 0, entry: null, entrantsSoFar: 0 };
  if (order.mode === 'group') {
    const [units, marker] = await Promise.all([deps.groupStore.listUnits(order.id), deps.groupStore.getMarker(order.id, callerId)]);
    const unit = known?.unit ?? (marker ? (units.get(marker.unitNo) ?? null) : null);
    return { unit, unitsTaken: unitsHeld(order, units), entry: null, entrantsSoFar: 0 };
  }
  const drawn = Boolean(order.lottery?.drawnAt);
  const [entry, entrants, unit] = await Promise.all([
    known?.entry !== undefined ? known.entry : deps.groupStore.getEntry(order.id, callerId),
    // Before the draw the card shows the entries so far; afterwards the order holds the count the draw made.
    drawn ? Promise.resolve(0) : entrantsSoFar(deps, order.id),
    known?.unit !== undefined ? known.unit : drawn ? callerUnit(deps, order, callerId) : null,
  ]);
  return { unit, unitsTaken: unitsHeld(order, new Map()), entry, entrantsSoFar: entrants };
}

export async function orderClaimCard(deps: Deps, order: GroupOrder, callerId: string, known?: Partial<OrderClaimParts>) {
  const [parts, product] = await Promise.all([claimParts(deps, order, callerId, known), deps.catalog.getProduct(order.productId)]);
  return orderClaimView(order, parts, product, callerId, iso(deps.clock.now()));
}

/** POST /claims/:token/claim on a group order: one unit per person, contending on one unit document at a time. */
export async function claimOrderUnit(deps: Deps, order: GroupOrder, callerId: string) {
  const now = iso(deps.clock.now());
  const { unitNo, took } = await claimGroupUnit(deps.groupStore, order, callerId, now, deps.giftPolicy.reminderBeforeExpirySeconds);
  if (took) deps.logger.info({ giftId: order.id, unitNo }, 'group unit claimed');
  const unit = await deps.groupStore.getUnit(order.id, unitNo);
  return orderClaimCard(deps, order, callerId, { unit });
}

/** POST /claims/:token/enter: one entry per person (a repeat answers the same), refused from drawAt on. */
export async function enterOrderLottery(deps: Deps, order: GroupOrder, callerId: string) {
  if (order.mode !== 'lottery') throw new AppError('NOT_RECIPIENT', 'this gift is not a lottery: claim a unit instead');
  const existing = await deps.groupStore.getEntry(order.id, callerId);
  const { entry, created } = enterLottery(order, existing, callerId, deps.random(ENTRY_SALT_BYTES), iso(deps.clock.now()));
  const stored = created ? (await deps.groupStore.insertEntry(entry)).entry : entry;
  if (created) deps.logger.info({ giftId: order.id }, 'lottery entered');
  return orderClaimCard(deps, order, callerId, { entry: stored });
}

export type UnitCommand =
  | { kind: 'address'; address: Address }
  | { kind: 'swap'; target: SwapTarget }
  /** With an address: set and accepted in one write (收下礼物 over an open form). */
  | { kind: 'accept'; address?: Address }
  | { kind: 'decline' };

function applyUnitCommand(order: GroupOrder, unit: GroupUnit, callerId: string, cmd: UnitCommand, now: string): GroupUnit {
  switch (cmd.kind) {
    case 'address':
      return setUnitAddress(order, unit, callerId, cmd.address, now);
    case 'swap':
      return swapUnitVariant(order, unit, callerId, cmd.target, now);
    case 'accept':
      return cmd.address ? acceptUnitWithAddress(order, unit, callerId, cmd.address, now) : acceptUnit(order, unit, callerId, now);
    case 'decline':
      return declineUnit(order, unit, callerId, now);
  }
}

/**
 * A command on the caller's own unit: one compare-and-set of that unit. Past the deadline the unit is closed by the
 * very write (its refund then comes with the order's final batch) and the caller gets 410. A decline then asks the
 * order for a refund batch (a second, small write; losing it only delays that refund to the deadline's batch).
 */
export async function runUnitCommand(deps: Deps, order: GroupOrder, callerId: string, cmd: UnitCommand) {
  if (order.status === 'awaiting_payment' || order.status === 'canceled') throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  const unit = await callerUnit(deps, order, callerId);
  if (!unit) throw new AppError('NOT_RECIPIENT', 'only a recipient of this gift may do this');
  let expiredNow = false;
  const after = await updateUnit(
    deps,
    order.id,
    unit.unitNo,
    (u, now) => {
      expiredNow = u.status === 'claimed' && isOrderExpired(order, now);
      return expiredNow ? expireUnit(order, u.unitNo, u, now) : applyUnitCommand(order, u, callerId, cmd, now);
    },
    { current: unit },
  );
  if (expiredNow) throw new AppError('GIFT_EXPIRED', 'the gift was not accepted in time and has been refunded');
  if (cmd.kind === 'decline') {
    try {
      await updateOrder(deps, order.id, (o, now) => requestRefundCheck(o, now, deps.groupPolicy), { current: order });
    } catch (e) {
      deps.logger.warn({ giftId: order.id, err: String(e) }, 'refund check not recorded: the deadline batch refunds it');
    }
  }
  if (cmd.kind === 'accept' && after !== unit) deps.logger.info({ giftId: order.id, unitNo: unit.unitNo }, 'group unit accepted');
  return orderClaimCard(deps, order, callerId, { unit: after });
}

/** 换个款式 on the caller's unit: the target style is looked up first (the unit's rules check product, price, stock). */
export async function swapOrderUnit(deps: Deps, order: GroupOrder, callerId: string, skuId: string) {
  const target = await deps.catalog.findSku(skuId);
  if (!target) throw new AppError('SKU_NOT_FOUND', `no SKU ${skuId}`);
  return runUnitCommand(deps, order, callerId, { kind: 'swap', target });
}
