/**
 * A group order (群发礼物 / 群礼物抽奖): one payment for N units of one style, one claim link, and the money side of
 * every unit. The order document is written by few hands (create, pay, the draw, refund batches, the dispatcher), never
 * by the people claiming or entering: each unit lives in a document of its own (group-units.ts), each claimer's
 * one-unit-per-person marker in another (group-claim.ts), each lottery entry in another (lottery-draw.ts). Data design
 * and engines: docs/group-gifts.md.
 *
 *   awaiting_payment --paid--> sent --every unit accepted or refunded (at the 24 h deadline)--> settled
 *          +---payment window over---> canceled (close the payment order; refund a payment that raced it)
 *
 * Like gift-transitions.ts: pure functions returning the next document (version + 1) or the same object for a repeat.
 */
import { createHash } from 'node:crypto';
import type { Product, Sku } from './catalog';
import { effectBase } from './effects';
import { AppError, type ValidationIssue } from './errors';
import type { Effect, Gift, NotifyEffect, Payment, RefundEffect, RefundReason } from './gift';
import type { GiftPolicy } from './gift-policy';
import type { ClaimLink } from './gift-transitions';
import { GROUP_QUANTITY_CEILING, type GroupPolicy } from './group-policy';
import { addSeconds, isAtOrAfter } from './time';
import type { GiftTimer, TimerKind } from './timers';

export const GROUP_MODES = ['group', 'lottery'] as const;
export type GroupMode = (typeof GROUP_MODES)[number];

export type GroupOrderStatus = 'awaiting_payment' | 'sent' | 'settled' | 'canceled';

/** A drawn entrant: the published hash, and who it is (never shown to anyone but that person). */
export interface LotteryWinner {
  entrantHash: string;
  userId: string;
}

export interface LotteryState {
  drawAt: string;
  /** drawAt + the policy's grace, fixed at creation (so the timer index never depends on today's settings). */
  drawDueAt?: string;
  /** Lowercase hex SHA-256 of the seed's bytes: public from creation on. */
  commitment: string;
  /** The seed, lowercase hex. Secret until the draw: views reveal it only once `drawnAt` is set. */
  seed: string;
  drawnAt: string | null;
  /** Entrants the draw read (entered before drawAt), and the SHA-256 of their sorted hashes: the list is fixed here. */
  entrantCount: number | null;
  entrantsDigest: string | null;
  /** In rank order: unit k belongs to winners[k]. Fewer than `quantity` when fewer entered. */
  winners: LotteryWinner[] | null;
}

/** What made a refund batch: declines since the last batch, the 24 h deadline, or units no entrant won. */
export type RefundTrigger = 'declines' | 'expiry' | 'draw';

/** One refund request against the order's payment, covering whole units; a unit is in at most one batch. */
export interface RefundBatch {
  batchNo: number;
  /** The refund effect carrying it (`r<batchNo>`): out_refund_no `<orderId>-r<batchNo>`. */
  effectId: string;
  unitNos: number[];
  amountFen: number;
  trigger: RefundTrigger;
  createdAt: string;
}

/** A batch's refund effect: an ordinary refund (the dispatcher's shape) that also names its units. */
export interface GroupRefundEffect extends RefundEffect {
  batchNo: number;
  unitNos: number[];
}

export interface GroupOrder {
  /** `g_…`: doubles as out_trade_no, like a 1:1 gift's id. */
  id: string;
  /** Distinguishes an order from a 1:1 gift where both share a store. */
  kind: 'group_order';
  version: number;
  mode: GroupMode;
  giverId: string;
  giverName: string | null;
  productId: string;
  productTitle: string;
  category: string;
  /** The style the giver chose; each unit may swap its own (group-units.ts). */
  skuId: string;
  skuAttrs: Record<string, string>;
  /** Price of one unit, integer fen. Never shown to a recipient. */
  priceFen: number;
  quantity: number;
  /** quantity × priceFen: what the one payment charges. */
  amountFen: number;
  message: string | null;
  status: GroupOrderStatus;
  createdAt: string;
  updatedAt: string;
  /** An unpaid order is canceled at this instant (a lottery's never later than its draw). */
  paymentDueAt: string;
  payment: Payment | null;
  claimTokenHash: string | null;
  linkVersion?: number;
  sentAt: string | null;
  /** Units not accepted by then are refunded: group sentAt + 24 h; lottery drawnAt + 24 h (null until the draw). */
  expiresAt: string | null;
  lottery: LotteryState | null;
  refundBatches: RefundBatch[];
  /** A decline asked for a refund batch no earlier than this (refund-batches.ts); null when none is waiting. */
  refundCheckAt: string | null;
  settledAt: string | null;
  canceledAt: string | null;
  /** The outbox: refund batches, the cancel's refund, the giver's notices. */
  effects: Effect[];
  idempotency: Gift['idempotency'];
}

export interface NewGroupOrderInput {
  id: string;
  giverId: string;
  giverName?: string | null;
  product: Product;
  sku: Sku;
  message: string | null;
  mode: GroupMode;
  quantity: number;
  /** Lottery only. */
  drawAt?: string | null;
  /** Lottery only: ≥ 16 random bytes from an injected source (32 recommended), never Math.random. */
  seed?: Uint8Array | null;
  idempotency: Gift['idempotency'];
}

export const MIN_SEED_BYTES = 16;

export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');
export const bytesToHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
/** Lowercase hex SHA-256 of the seed's bytes: what a lottery publishes at creation. */
export const commitmentOf = (seed: Uint8Array): string => sha256Hex(seed);

/**
 * Why a mode / quantity / drawAt cannot make an order, as per-field issues (the edge answers 422 VALIDATION_FAILED
 * with them). Depends on the clock and the policy, so it runs where both are known, before newGroupOrder.
 */
export function groupOrderIssues(
  input: { mode: GroupMode; quantity: number; drawAt?: string | null },
  now: string,
  policy: GroupPolicy,
): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const max = Math.min(policy.maxQuantity, GROUP_QUANTITY_CEILING);
  if (!Number.isInteger(input.quantity) || input.quantity < 2 || input.quantity > max)
    issues.push({ path: 'quantity', message: `quantity must be an integer from 2 to ${max}` });
  if (input.mode === 'group' && input.drawAt != null) issues.push({ path: 'drawAt', message: 'only a lottery has a draw time' });
  if (input.mode === 'lottery') {
    const drawAt = input.drawAt == null ? Number.NaN : Date.parse(input.drawAt);
    const earliest = Date.parse(addSeconds(now, policy.lotteryMinDelaySeconds));
    const latest = Date.parse(addSeconds(now, policy.lotteryMaxDelaySeconds));
    if (Number.isNaN(drawAt)) issues.push({ path: 'drawAt', message: 'a lottery needs drawAt, an ISO time' });
    else if (drawAt < earliest || drawAt > latest)
      issues.push({
        path: 'drawAt',
        message: `drawAt must lie between ${policy.lotteryMinDelaySeconds} and ${policy.lotteryMaxDelaySeconds} seconds ahead`,
      });
  }
  return issues;
}

/** Stock for every unit is needed up front: the order is paid for all N at once. */
export function assertStockFor(sku: Sku, quantity: number): void {
  if (sku.stock < quantity) throw new AppError('OUT_OF_STOCK', `only ${Math.max(0, sku.stock)} of that style are in stock`);
}

/** The next version of an order: every write bumps the version (the compare-and-set guard) and updatedAt. */
export const nextOrder = (order: GroupOrder, now: string, change: Partial<GroupOrder>): GroupOrder => ({
  ...order,
  ...change,
  version: order.version + 1,
  updatedAt: now,
});

/**
 * A new unpaid order. Callers have checked eligibility (as for one gift), stock for N units and groupOrderIssues: an
 * input that fails them here is a programming error, not the client's.
 */
export function newGroupOrder(input: NewGroupOrderInput, now: string, giftPolicy: GiftPolicy, policy: GroupPolicy): GroupOrder {
  const issues = groupOrderIssues(input, now, policy);
  if (issues.length) throw new Error(`invalid group order: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  let lottery: LotteryState | null = null;
  let paymentDueAt = addSeconds(now, giftPolicy.paymentTtlSeconds);
  if (input.mode === 'lottery') {
    const seed = input.seed;
    if (!seed || seed.length < MIN_SEED_BYTES) throw new Error(`a lottery needs a random seed of at least ${MIN_SEED_BYTES} bytes`);
    const drawAt = new Date(input.drawAt!).toISOString();
    lottery = {
      drawAt,
      drawDueAt: addSeconds(drawAt, policy.lotteryDrawGraceSeconds),
      commitment: commitmentOf(seed),
      seed: bytesToHex(seed),
      drawnAt: null,
      entrantCount: null,
      entrantsDigest: null,
      winners: null,
    };
    // Money taken after the draw would buy a lottery nobody could enter: the payment order expires at drawAt.
    if (drawAt < paymentDueAt) paymentDueAt = drawAt;
  }
  return {
    id: input.id,
    kind: 'group_order',
    version: 1,
    mode: input.mode,
    giverId: input.giverId,
    giverName: input.giverName ?? null,
    productId: input.product.id,
    productTitle: input.product.title,
    category: input.product.category,
    skuId: input.sku.id,
    skuAttrs: input.sku.attrs,
    priceFen: input.sku.priceFen,
    quantity: input.quantity,
    amountFen: input.quantity * input.sku.priceFen,
    message: input.message,
    status: 'awaiting_payment',
    createdAt: now,
    updatedAt: now,
    paymentDueAt,
    payment: null,
    claimTokenHash: null,
    sentAt: null,
    expiresAt: null,
    lottery,
    refundBatches: [],
    refundCheckAt: null,
    settledAt: null,
    canceledAt: null,
    effects: [],
    idempotency: input.idempotency,
  };
}

/* ---------- effects of the order document ---------- */

export const giverNotice = (order: GroupOrder, id: string, event: NotifyEffect['event'], now: string, amountFen?: number): NotifyEffect =>
  Object.assign(effectBase(order.id, id, now), {
    kind: 'notify' as const,
    event,
    userId: order.giverId,
    ...(amountFen === undefined ? {} : { amountFen }),
  });

/** Adds effects unless one with the same id exists (a transition never records an effect twice). */
export function withOrderEffects(order: GroupOrder, ...effects: Effect[]): Effect[] {
  const have = new Set(order.effects.map((e) => e.id));
  return [...order.effects, ...effects.filter((e) => !have.has(e.id))];
}

const cancelRefund = (order: GroupOrder, id: string, payment: Payment | null, now: string): RefundEffect =>
  Object.assign(effectBase(order.id, id, now), {
    kind: 'refund' as const,
    reason: 'canceled' as RefundReason,
    amountFen: payment?.amountFen ?? order.amountFen,
    paymentId: payment?.paymentId ?? null,
  });

/* ---------- payment and cancel ---------- */

/** Whether the payment window has closed on an unpaid order. */
export const isPaymentOverdue = (order: GroupOrder, now: string): boolean =>
  order.status === 'awaiting_payment' && isAtOrAfter(now, order.paymentDueAt);

export function assertOrderPayable(order: GroupOrder, now: string): void {
  if (order.status === 'canceled' || isPaymentOverdue(order, now))
    throw new AppError('GIFT_CANCELED', 'the payment window of this gift has closed');
}

/**
 * A payment the provider confirmed. An unpaid order is sent (a group order's 24 hours start now; a lottery's start at
 * its draw). An order canceled meanwhile keeps the payment and refunds it all, as a canceled 1:1 gift does.
 */
export function confirmOrderPayment(order: GroupOrder, payment: Payment, link: ClaimLink, now: string, giftPolicy: GiftPolicy): GroupOrder {
  if (order.payment) return order;
  if (order.status === 'awaiting_payment') {
    return nextOrder(order, now, {
      status: 'sent',
      payment,
      claimTokenHash: link.hash,
      linkVersion: link.version,
      sentAt: now,
      expiresAt: order.mode === 'group' ? addSeconds(now, giftPolicy.giftTtlSeconds) : null,
    });
  }
  if (order.status !== 'canceled') return order;
  const refund = order.effects.find((e): e is RefundEffect => e.kind === 'refund' && e.paymentId === null);
  if (refund?.status === 'pending') {
    const effects = order.effects.map((e) =>
      e === refund ? { ...refund, paymentId: payment.paymentId, amountFen: payment.amountFen } : e,
    );
    return nextOrder(order, now, { payment, effects });
  }
  // The cancel's refund already moved this money (its notification came first): only record the payment.
  if (refund?.status === 'done' && refund.outcome === 'refunded') return nextOrder(order, now, { payment });
  return nextOrder(order, now, { payment, effects: withOrderEffects(order, cancelRefund(order, 'refund-late-payment', payment, now)) });
}

/**
 * The payment window is over: the order is canceled and its refund recorded, which closes the payment order (and
 * refunds a payment the provider reports after all). Callers ask the provider first, as for a 1:1 gift.
 */
export function cancelUnpaidOrder(order: GroupOrder, now: string): GroupOrder {
  if (!isPaymentOverdue(order, now)) return order;
  return nextOrder(order, now, {
    status: 'canceled',
    canceledAt: now,
    effects: withOrderEffects(order, cancelRefund(order, 'refund', null, now)),
  });
}

/** The giver cancels an order not paid for (as cancelByGiver for a gift): its refund effect closes the payment order. */
export function cancelOrderByGiver(order: GroupOrder, callerId: string, now: string): GroupOrder {
  if (callerId !== order.giverId) throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  if (order.status === 'canceled') return order;
  if (order.status !== 'awaiting_payment') throw new AppError('GIFT_ALREADY_PAID', 'the gift was paid for and can no longer be canceled');
  return nextOrder(order, now, {
    status: 'canceled',
    canceledAt: now,
    effects: withOrderEffects(order, cancelRefund(order, 'refund', null, now)),
  });
}

/* ---------- deadlines ---------- */

/** The acceptance window has closed (at expiresAt; a lottery's only once drawn). */
export const isOrderExpired = (order: GroupOrder, now: string): boolean => order.expiresAt !== null && isAtOrAfter(now, order.expiresAt);

/** The instant the draw may read the entries: drawAt plus the grace that lets entries in flight land. */
export const drawDueAt = (order: GroupOrder, policy: GroupPolicy): string | null =>
  order.lottery && !order.lottery.drawnAt
    ? (order.lottery.drawDueAt ?? addSeconds(order.lottery.drawAt, policy.lotteryDrawGraceSeconds))
    : null;

/** The slots that can hold a unit: all N of a group order; a drawn lottery's won ones (none before the draw). */
export function unitSlots(order: GroupOrder): number[] {
  const n = order.mode === 'group' ? order.quantity : (order.lottery?.winners?.length ?? 0);
  return Array.from({ length: n }, (_, k) => k);
}

/** When the cleanup next acts on the order itself (cancel, draw, a refund batch, the deadline), or null. */
export function orderSweepAt(order: GroupOrder, policy: GroupPolicy): string | null {
  if (order.status === 'awaiting_payment') return order.paymentDueAt;
  if (order.status !== 'sent') return null;
  const draw = drawDueAt(order, policy);
  if (draw) return draw;
  const at = [order.expiresAt, order.refundCheckAt].filter((t): t is string => t !== null).sort()[0];
  return at ?? null;
}

/** The order's timer (shared/domain/timers.ts shape): the cleanup's instant and each pending effect's. */
export function groupOrderTimer(order: GroupOrder, policy: GroupPolicy): GiftTimer | null {
  let at = orderSweepAt(order, policy);
  const kinds: TimerKind[] = at === null ? [] : ['sweep'];
  for (const e of order.effects) {
    if (e.status !== 'pending') continue;
    if (!kinds.includes(e.kind)) kinds.push(e.kind);
    if (at === null || e.nextAttemptAt < at) at = e.nextAttemptAt;
  }
  return at === null ? null : { at, kinds };
}
