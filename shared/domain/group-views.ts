/**
 * What each party may see of a group order (群发礼物 / 群礼物抽奖), in the shapes of the 1:1 views (gift-views.ts) plus
 * the group's own fields. The giver sees each unit's state, never who holds it or where it ships; a recipient sees
 * their own unit (style, address) and never a price; nobody sees another entrant's identity, only salted hashes.
 */
import type { Product } from './catalog';
import { swapAlternatives } from './eligibility';
import type { GiftStatus, RefundEffect } from './gift';
import { type EffectProgress, progress } from './gift-views';
import { type GroupOrder, isOrderExpired } from './group-order';
import type { GroupUnit } from './group-units';
import type { LotteryEntry } from './lottery-draw';
import { batchedUnitNos } from './refund-batches';

export type GiftMode = 'single' | 'group' | 'lottery';

export interface LotteryView {
  drawAt: string;
  entrants: number;
  commitment: string;
  drawn: boolean;
  drawnAt: string | null;
  seed?: string;
  won?: boolean;
  winners: number | null;
  entered: boolean;
  entrantHash: string | null;
  salt: string | null;
}

export interface UnitProgress {
  unitNo: number;
  status: 'free' | 'claimed' | 'accepted' | 'declined' | 'expired';
  sku: { id: string; attrs: Record<string, string> };
  addressProvided: boolean;
  claimedAt: string | null;
  acceptedAt: string | null;
  refunded: boolean;
  handoff: EffectProgress | null;
}

export interface GroupProgress {
  status: GroupOrder['status'];
  unitsTaken: number;
  unitsAccepted: number;
  unitsRefunded: number;
  refundedFen: number;
  units: UnitProgress[] | null;
  refunds: {
    batchNo: number;
    unitNos: number[];
    amountFen: number;
    reason: RefundEffect['reason'];
    status: RefundEffect['status'];
    createdAt: string;
    completedAt: string | null;
  }[];
  lottery: LotteryView | null;
}

/**
 * The lottery as `callerId` sees it. `entrants` before the draw is the number of entries so far (read by the caller);
 * once drawn, the number the draw counted. The seed is revealed only once drawn.
 */
export function lotteryView(order: GroupOrder, callerId: string, entry: LotteryEntry | null, entrantsSoFar: number): LotteryView | null {
  const l = order.lottery;
  if (!l) return null;
  const drawn = l.drawnAt !== null && l.winners !== null;
  const mine = entry && entry.userId === callerId ? entry : null;
  return {
    drawAt: l.drawAt,
    entrants: drawn ? (l.entrantCount ?? 0) : entrantsSoFar,
    commitment: l.commitment,
    drawn,
    drawnAt: l.drawnAt,
    ...(drawn ? { seed: l.seed } : {}),
    ...(drawn && mine ? { won: l.winners!.some((w) => w.userId === callerId) } : {}),
    winners: drawn ? l.winners!.length : null,
    entered: mine !== null,
    entrantHash: mine?.entrantHash ?? null,
    salt: mine?.salt ?? null,
  };
}

/** Units someone holds: group, claimed slots; lottery, the drawn winners. */
export function unitsHeld(order: GroupOrder, units: ReadonlyMap<number, GroupUnit>): number {
  if (order.mode === 'lottery') return order.lottery?.winners?.length ?? 0;
  let n = 0;
  for (const u of units.values()) if (u.recipientId !== null) n++;
  return n;
}

function unitProgress(order: GroupOrder, k: number, unit: GroupUnit | undefined, refunded: boolean): UnitProgress {
  const won = order.mode === 'lottery' && order.lottery?.winners?.[k];
  const drawnNotWon = order.mode === 'lottery' && order.lottery?.drawnAt && !won;
  const status: UnitProgress['status'] = unit ? unit.status : drawnNotWon ? 'expired' : won ? 'claimed' : 'free';
  return {
    unitNo: k,
    status,
    sku: { id: unit?.skuId ?? order.skuId, attrs: unit?.skuAttrs ?? order.skuAttrs },
    addressProvided: Boolean(unit?.address),
    claimedAt: unit?.claimedAt ?? (won ? order.lottery!.drawnAt : null),
    acceptedAt: unit?.acceptedAt ?? null,
    refunded,
    handoff: progress(unit?.effects.find((e) => e.kind === 'handoff')),
  };
}

/** The 1:1 status word a giver's list shows for an order: settled reads as accepted when any unit was, else expired. */
function giverStatus(order: GroupOrder, accepted: number): GiftStatus {
  if (order.status === 'settled') return accepted > 0 ? 'accepted' : 'expired';
  return order.status;
}

/** The giver's view of an order (GiverGift): units by state, refund batches, the draw; no recipient, no address. */
export function orderGiverView(order: GroupOrder, units: ReadonlyMap<number, GroupUnit>, now: string, entrantsSoFar = 0) {
  const batched = batchedUnitNos(order);
  const slots = Array.from({ length: order.quantity }, (_, k) => k);
  const unitRows = slots.map((k) => unitProgress(order, k, units.get(k), batched.has(k)));
  const accepted = unitRows.filter((u) => u.status === 'accepted').length;
  const refunds = order.effects.filter((e): e is RefundEffect & { batchNo?: number } => e.kind === 'refund');
  const cancelRefund = refunds.findLast((e) => e.batchNo === undefined);
  const batchRows = order.refundBatches.map((b) => {
    const effect = refunds.find((e) => e.id === b.effectId);
    return {
      batchNo: b.batchNo,
      unitNos: b.unitNos,
      amountFen: b.amountFen,
      reason: effect?.reason ?? 'expired',
      status: effect?.status ?? 'pending',
      createdAt: b.createdAt,
      completedAt: effect?.completedAt ?? null,
    };
  });
  const refundedFen = batchRows.filter((b) => b.status === 'done').reduce((sum, b) => sum + b.amountFen, 0);
  const group: GroupProgress = {
    status: order.status,
    unitsTaken: unitsHeld(order, units),
    unitsAccepted: accepted,
    unitsRefunded: batched.size,
    refundedFen,
    units: unitRows,
    refunds: batchRows,
    lottery: lotteryView(order, order.giverId, null, entrantsSoFar),
  };
  return {
    id: order.id,
    status: order.status === 'sent' && isOrderExpired(order, now) ? ('expired' as const) : giverStatus(order, accepted),
    mode: order.mode,
    quantity: order.quantity,
    amountFen: order.amountFen,
    product: { id: order.productId, title: order.productTitle },
    sku: { id: order.skuId, attrs: order.skuAttrs },
    originalSkuId: order.skuId,
    priceFen: order.priceFen,
    message: order.message,
    giverName: order.giverName,
    thanks: null,
    createdAt: order.createdAt,
    paymentDueAt: order.status === 'awaiting_payment' ? order.paymentDueAt : null,
    paidAt: order.payment?.paidAt ?? null,
    sentAt: order.sentAt,
    expiresAt: order.expiresAt,
    claimedAt: null,
    acceptedAt: null,
    declinedAt: null,
    expiredAt: null,
    canceledAt: order.canceledAt,
    recipient: null,
    swaps: [],
    handoff: null,
    shipment: null,
    // The cancel's refund (closing an unpaid order, or returning a payment that raced it); batches are in `group`.
    refund: cancelRefund
      ? {
          ...progress(cancelRefund)!,
          reason: cancelRefund.reason,
          outcome: cancelRefund.outcome ?? null,
          providerStatus: cancelRefund.providerStatus ?? null,
          amountFen: cancelRefund.outcome === 'payment_closed' ? 0 : cancelRefund.amountFen,
        }
      : null,
    group,
  };
}

/** What the claim card of an order is built from: the caller's own unit and entry, and what the order's parts say. */
export interface OrderClaimParts {
  /** The caller's unit (group: through their marker; lottery: their place among the winners), or null. */
  unit: GroupUnit | null;
  /** Units someone holds (unitsHeld). */
  unitsTaken: number;
  /** Lottery: the caller's entry, and the number of entries so far (before the draw). */
  entry: LotteryEntry | null;
  entrantsSoFar: number;
}

/** The claim card of an order as `callerId` sees it (ClaimCard): their own unit when they hold one; never a price. */
export function orderClaimView(order: GroupOrder, parts: OrderClaimParts, product: Product | null, callerId: string, now: string) {
  const unit = parts.unit && parts.unit.recipientId === callerId ? parts.unit : null;
  const viewer = callerId === order.giverId ? ('giver' as const) : unit ? ('recipient' as const) : ('guest' as const);
  const expired = order.status === 'settled' || isOrderExpired(order, now);
  const allTaken = order.mode === 'group' ? parts.unitsTaken >= order.quantity : Boolean(order.lottery?.drawnAt);
  let status: GiftStatus;
  if (order.status === 'awaiting_payment' || order.status === 'canceled') status = order.status;
  else if (unit) status = unit.status === 'claimed' && expired ? 'expired' : unit.status;
  else if (expired) status = 'expired';
  else status = allTaken ? 'claimed' : 'sent';
  const takenBySomeoneElse = viewer === 'guest' && allTaken && !unit;
  const canSwap = unit ? status === 'claimed' : order.mode === 'group' && status === 'sent';
  const skuId = unit?.skuId ?? order.skuId;
  return {
    id: order.id,
    status,
    viewer,
    claimedBySomeoneElse: takenBySomeoneElse,
    product: { id: order.productId, title: order.productTitle },
    sku: { id: skuId, attrs: unit?.skuAttrs ?? order.skuAttrs },
    alternatives:
      product && canSwap
        ? swapAlternatives(product, order.priceFen, skuId).map((s) => ({ skuId: s.id, attrs: s.attrs, inStock: s.stock > 0 }))
        : [],
    message: takenBySomeoneElse && order.mode === 'group' ? null : order.message,
    giverName: order.giverName,
    thanks: null,
    sentAt: order.sentAt,
    expiresAt: order.expiresAt,
    claimedAt: unit?.claimedAt ?? null,
    acceptedAt: unit?.acceptedAt ?? null,
    address: unit?.address ?? null,
    swaps: unit?.swaps ?? [],
    shipment: unit?.shipment ?? null,
    mode: order.mode,
    quantity: order.quantity,
    unitsTaken: parts.unitsTaken,
    unit: unit ? { unitNo: unit.unitNo } : null,
    lottery: lotteryView(order, callerId, parts.entry, parts.entrantsSoFar),
  };
}

/** The public preview of an order's link: still open while units remain (group) or the draw is open (lottery). */
export function orderPreviewView(order: GroupOrder, unitsTaken: number, now: string) {
  const open =
    order.status === 'sent' &&
    !isOrderExpired(order, now) &&
    (order.mode === 'group' ? unitsTaken < order.quantity : !order.lottery?.drawnAt && now < order.lottery!.drawAt);
  return { giverName: order.giverName, product: { title: order.productTitle }, open };
}
