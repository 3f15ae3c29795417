import {
  awaitRefund,
  awaitsFirstDelivery,
  beginAttempt,
  completeAttempt,
  type EffectDocument,
  type EffectResult,
  failAttempt,
  failFinally,
  OutboxDraft,
  setRefundPayment,
} from '../domain/effects';
import { AppError } from '../domain/errors';
import type { Effect, EffectKind, Gift, NotifyEffect, Payment, RefundEffect } from '../domain/gift';
import { isGroupOrder } from '../domain/gift-document';
import { nextVersion, refundLatePayment } from '../domain/gift-transitions';
import type { GroupOrder } from '../domain/group-order';
import type { GroupUnit } from '../domain/group-units';
import { isGroupUnit, type OutboxDocument } from '../domain/outbox-document';
import { orderNoOf, refundNoOf } from '../domain/payment-numbers';
import { addSeconds, iso } from '../domain/time';
import { mapLimit } from '../lib/map-limit';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import type { EffectLeases } from '../ports/effect-leases';
import { FinalDeliveryError } from '../ports/final-delivery-error';
import type { FulfillmentHandoff } from '../ports/fulfillment';
import type { Notice } from '../ports/notifier';
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
  const notice: Notice = {
    idempotencyKey: effect.idempotencyKey,
    userId: effect.userId,
    event: effect.event,
    giftId: subject.id,
    productTitle: subject.productTitle,
    at: effect.event === 'gift_expiring' ? (subject.expiresAt ?? effect.createdAt) : effect.createdAt,
  };
  // Set one by one rather than spread from conditional literals: each spread is a generic copy, and most notices have none.
  if (effect.amountFen !== undefined) notice.amountFen = effect.amountFen;
  if (effect.reason !== undefined) notice.reason = effect.reason;
  if (effect.event === 'gift_thanked' && subject.thanks) notice.thanks = subject.thanks.message;
  if (effect.event === 'gift_thanked' || effect.event === 'gift_expiring') notice.giverName = subject.giverName ?? null;
  const sent = await deps.notifier.notify(notice);
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
  /** Where leases are held in memory, if the document's store allows it (ports/effect-leases.ts); else they are written. */
  leases(deps: Deps): EffectLeases | undefined;
  /** The stored document now (null when gone). */
  reload(deps: Deps, doc: D): Promise<D | null>;
  /** A copy of the document, one version on, written at `now` (the settle's and the lease's write). */
  nextVersion(doc: D, now: string): D;
}

/** nextVersion of the documents without a copier of their own (group orders and units: a small share of the writes). */
const spreadNextVersion = <D extends EffectDocument>(doc: D, now: string): D => ({ ...doc, version: doc.version + 1, updatedAt: now });

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
  nextVersion,
  leases: (deps) => deps.store.effectLeases,
  reload: async (deps, gift) => {
    const doc = await deps.store.get(gift.id);
    return doc && !isGroupOrder(doc) ? doc : null;
  },
};

const orderOps: DocumentOps<GroupOrder> = {
  update: (deps, doc, decide, current) => updateOrder(deps, doc.id, decide, { current }),
  async perform(deps, order, effect) {
    if (effect.kind === 'refund') return performRefund(deps, order, effect);
    if (effect.kind === 'notify') return sendNotice(deps, order, effect);
    throw new FinalDeliveryError('UNEXPECTED_EFFECT', `a group order has no ${effect.kind} effect`);
  },
  learn: (order, payment, effectId, _now) => ({ ...setRefundPayment(order, effectId, payment.paymentId, payment.amountFen), payment }),
  nextVersion: spreadNextVersion,
  leases: (deps) => deps.store.effectLeases,
  reload: async (deps, order) => {
    const doc = await deps.store.get(order.id);
    return doc && isGroupOrder(doc) ? doc : null;
  },
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
  nextVersion: spreadNextVersion,
  // Units keep written leases: the group store offers none.
  leases: () => undefined,
  reload: (deps, unit) => deps.groupStore.getUnit(unit.orderId, unit.unitNo),
};

/** One step of the settling write: the outcome of one effect, and any payment learnt on the way (no version bump). */
function settleStep<D extends EffectDocument>(deps: Deps, ops: DocumentOps<D>, g: D, effectId: string, attempt: Attempt, now: string): D {
  const base = attempt.learnt ? ops.learn(g, attempt.learnt, effectId, now) : g;
  const { outcome } = attempt;
  if (outcome.kind === 'done') return completeAttempt(base, effectId, now, outcome.result);
  if (outcome.kind === 'processing') return awaitRefund(base, effectId, now, deps.dispatchPolicy, outcome.refundId);
  return failFinally(base, effectId, outcome.error, now, outcome.providerStatus);
}

const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Which effects a dispatch takes: every kind (the change feed, the stream) or one (a scheduled pass of that kind). */
type KindFilter = EffectKind | 'all';
const isDue = (e: Effect, kinds: KindFilter, now: string) =>
  e.status === 'pending' && e.nextAttemptAt <= now && (kinds === 'all' || e.kind === kinds);

/**
 * Which effects a dispatcher may lease: due, of its kinds, not awaiting the stream's first delivery. Built by a call, not
 * bound to a name: under tsx (the local server, the benchmarks) every named closure costs an `__name` call each time.
 */
const leasableFor =
  <D extends EffectDocument>(kinds: KindFilter, policy: Deps['dispatchPolicy']) =>
  (d: D, e: Effect, now: string): boolean =>
    isDue(e, kinds, now) && !awaitsFirstDelivery(e, d, now, policy);

/** Whether a document has an effect due at `now` (a lease written pushes it ahead; one held in memory leaves it due). */
export const hasEffectDue = (doc: EffectDocument, now: string): boolean => doc.effects.some((e) => isDue(e, 'all', now));

export interface DispatchOptions {
  /** Most attempts a run starts (default 100; without limit when a deadline is given). */
  limit?: number;
  /** Epoch milliseconds after which a run starts no new page: a timer's budget (its timeout minus a margin). */
  deadline?: number;
  /** Documents dispatched at once (default 8). */
  concurrency?: number;
}

const emptyReport = (): DispatchReport => ({ attempted: 0, succeeded: 0, failed: 0, gaveUp: 0 });

/**
 * Delivers one kind of recorded side effect (fulfillment handoff, refund, notification) for every document where it is
 * due (gifts and group orders from the gift store's timer index, units of group orders from the group store's): up to
 * `limit` attempts, or everything due until `deadline`. Each document goes through dispatchEffectsOf's steps. This
 * scheduled pass is the safety net and the retry path; first deliveries leave right after their commit (the change
 * feed locally, the table's stream on AWS) through the very same steps.
 */
export async function dispatchDueEffects(deps: Deps, kind: EffectKind, opts: DispatchOptions = {}): Promise<DispatchReport> {
  const report = emptyReport();
  const limit = opts.limit ?? (opts.deadline === undefined ? 100 : Number.POSITIVE_INFINITY);
  const maxPages = opts.deadline === undefined ? 50 : Number.POSITIVE_INFINITY;
  const concurrency = opts.concurrency ?? 8;
  const inTime = () => opts.deadline === undefined || Date.now() < opts.deadline;
  const pageSize = () => Math.min(100, limit - report.attempted);
  const now = iso(deps.clock.now());
  let after: string | undefined;
  // Candidates due for another kind only are skipped; keep paging so they never hide due ones behind them.
  for (let pages = 0; pages < maxPages && report.attempted < limit && inTime(); pages++) {
    const page = await deps.store.listDue(kind, now, pageSize(), after);
    await mapLimit(page.items, concurrency, (candidate) =>
      isGroupOrder(candidate)
        ? dispatchBatch(deps, orderOps, kind, candidate, report)
        : dispatchBatch(deps, giftOps, kind, candidate, report),
    );
    if (!page.next) break;
    after = page.next;
  }
  // Refunds are the order's; units only carry handoffs and notices.
  if (kind === 'refund') return report;
  after = undefined;
  for (let pages = 0; pages < maxPages && report.attempted < limit && inTime(); pages++) {
    const page = await deps.groupStore.listDueUnits(kind, now, pageSize(), after);
    await mapLimit(page.items, concurrency, (candidate) => dispatchBatch(deps, unitOps, kind, candidate, report));
    if (!page.next) break;
    after = page.next;
  }
  return report;
}

export type { OutboxDocument };

/** The key of a document across both stores (a unit's id is `<orderId>-u<n>`, never a gift id). */
export const outboxKeyOf = (doc: OutboxDocument): string => doc.id;

/**
 * Delivers every effect of one document that is due now, of every kind: what the change feed (locally) and the table's
 * stream (AWS) run right after the commit that recorded them. `doc` is the committed copy (a stale one only costs a
 * conflict and a fresh read). Nothing due: no read and no write.
 */
export async function dispatchEffectsOf(deps: Deps, doc: OutboxDocument): Promise<DispatchReport> {
  const report = emptyReport();
  if (isGroupUnit(doc)) await dispatchBatch(deps, unitOps, 'all', doc, report);
  else if (isGroupOrder(doc)) await dispatchBatch(deps, orderOps, 'all', doc, report);
  else await dispatchBatch(deps, giftOps, 'all', doc, report);
  return report;
}

/** What one call to a receiver came to: its outcome to record, or an error to retry after the backoff. */
type Delivery = { effect: Effect; attempt: Attempt } | { effect: Effect; error: string };

/**
 * The first delivery of effects recorded by the write whose image the stream brought (awaitsFirstDelivery), taken
 * without a lease: the image proves them committed, and no scheduled pass starts them within the grace. The
 * receivers are called at once and one compare-and-set records each attempt (counted) with its outcome. A crash in
 * between leaves them unattempted: the stream's retry of the same record, or a scheduled pass after the grace,
 * delivers them again with the same idempotency keys. Only effects recorded by the image's own write: a later write's
 * image may predate the settle of an earlier one (it is left to that one). The write is named by its version (an
 * effect's recordedIn); by time only for effects stored before that was kept, which two writes in one instant confuse.
 */
function firstDeliveries<D extends EffectDocument>(deps: Deps, image: D, now: string): Effect[] {
  return image.effects.filter(
    (e) => isDue(e, 'all', now) && recordedBy(e, image) && awaitsFirstDelivery(e, image, now, deps.dispatchPolicy),
  );
}

const recordedBy = (e: Effect, image: EffectDocument): boolean =>
  e.recordedIn === undefined ? e.createdAt >= image.updatedAt : e.recordedIn === image.version;

async function deliver<D extends EffectDocument>(deps: Deps, ops: DocumentOps<D>, doc: D, effects: Effect[]): Promise<Delivery[]> {
  return Promise.all(
    effects.map(async (effect): Promise<Delivery> => {
      try {
        return { effect, attempt: await ops.perform(deps, doc, effect) };
      } catch (e) {
        if (e instanceof FinalDeliveryError) return { effect, attempt: { outcome: { kind: 'failed', error: `${e.code}: ${e.message}` } } };
        return { effect, error: describe(e) };
      }
    }),
  );
}

/**
 * Applies the receivers' answers in one compare-and-set. `countHere`: attempts no written lease counted (first
 * deliveries from the stream, leases held in memory), so each is counted here and recorded only while its attempts are
 * still those of `known`, the document it was delivered from: one that outlived its grace or its lease and met another
 * dispatcher leaves the attempt to that dispatcher's settle (same key, so the receiver keeps one). Effects this
 * settle records (a refund's notice to the giver) go out only after it, from its own record: sent before the write, a
 * notice would also go out from a dispatcher that lost its settle to REFUND.SUCCESS's write, and WeChat's subscription
 * messages have no idempotency key (the giver would read it twice).
 */
function settle<D extends EffectDocument>(
  deps: Deps,
  ops: DocumentOps<D>,
  known: D,
  deliveries: Delivery[],
  countHere: boolean,
): Promise<D> {
  return ops.update(
    deps,
    known,
    (g, now) => {
      // A payment learnt on the way changes more than the outbox: then the steps run on the whole document.
      const whole = deliveries.some((r) => 'attempt' in r && r.attempt.learnt);
      const start = whole ? g : outboxOf(g);
      const next = deliveries.reduce((d, r) => {
        if (countHere && attemptsOf(d, r.effect.id) !== attemptsOf(known, r.effect.id)) return d;
        const begun = countHere ? beginAttempt(d, r.effect.id, now, deps.dispatchPolicy) : d;
        return 'attempt' in r
          ? settleStep(deps, ops, begun, r.effect.id, r.attempt, now)
          : failAttempt(begun, r.effect.id, r.error, now, deps.dispatchPolicy);
      }, start);
      // Several steps, one write: the document moves on by one version.
      if (next === start) return g;
      return whole ? { ...next, version: g.version + 1, updatedAt: now } : withOutbox(ops, g, next, now);
    },
    known,
  );
}

const attemptsOf = (doc: EffectDocument, effectId: string): number | undefined => doc.effects.find((e) => e.id === effectId)?.attempts;

/**
 * The steps (domain/effects.ts) each copy the document they change: run on an OutboxDraft of it, a settle or a lease
 * copies a gift's ~30 fields once (withOutbox), not at every step. Only for steps that never read anything else (not
 * `learn`).
 */
const outboxOf = <D extends EffectDocument>(doc: D): D => OutboxDraft.of(doc) as EffectDocument as D;

/** The next version of `doc` with the outbox the steps left in `outbox`, written at `now`. */
function withOutbox<D extends EffectDocument>(ops: DocumentOps<D>, doc: D, outbox: D, now: string): D {
  const next = ops.nextVersion(doc, now);
  next.effects = outbox.effects;
  return next;
}

/**
 * A refund the provider accepted and is still processing, learning nothing else: on a first delivery it is not
 * recorded. Recording PROCESSING is a write (and a timer move) that REFUND.SUCCESS's write overtakes a moment later.
 */
const leftToItsNotification = (r: Delivery): boolean => 'attempt' in r && r.attempt.outcome.kind === 'processing' && !r.attempt.learnt;

/** `countedHere`: the delivered effects carry their attempts from before this one (no lease write counted it). */
function reportDeliveries<D extends EffectDocument>(
  deps: Deps,
  doc: D,
  settled: D,
  deliveries: Delivery[],
  report: DispatchReport,
  countedHere: boolean,
): void {
  for (const r of deliveries) {
    const log = deps.logger.child({ giftId: doc.id, effect: r.effect.id, attempt: r.effect.attempts + (countedHere ? 1 : 0) });
    if ('error' in r) {
      const gaveUp = settled.effects.find((x) => x.id === r.effect.id)?.status === 'failed';
      report.failed++;
      if (gaveUp) report.gaveUp++;
      log.warn({ err: r.error, gaveUp }, 'effect delivery failed');
    } else if (r.attempt.outcome.kind === 'failed') {
      report.failed++;
      report.gaveUp++;
      log.error({ err: r.attempt.outcome.error }, 'effect refused for good: needs an operator');
    } else {
      report.succeeded++;
      const { kind } = r.attempt.outcome;
      log.info({ outcome: kind }, kind === 'processing' ? 'refund processing' : 'effect delivered');
    }
  }
}

/**
 * The dispatcher's steps for one document. First deliveries the stream brought (firstDeliveries) go without a lease.
 * Every other due effect: they are leased (takeEffects: written by a compare-and-set, or held in memory on a store one
 * process owns), the receivers are called in parallel, one compare-and-set settles them all. A crash between the two leaves
 * the effects pending, so they are retried after the lease with the same idempotency keys: nothing is lost, and a
 * receiver sees each effect once however often it is delivered. Effects awaiting their first delivery from the stream
 * are left to it (awaitsFirstDelivery) until its grace ends.
 */
async function dispatchBatch<D extends EffectDocument>(
  deps: Deps,
  ops: DocumentOps<D>,
  kinds: KindFilter,
  candidate: D,
  report: DispatchReport,
): Promise<void> {
  const startedAt = iso(deps.clock.now());
  const leasable = leasableFor<D>(kinds, deps.dispatchPolicy);
  const first = kinds === 'all' ? firstDeliveries(deps, candidate, startedAt) : [];
  let current = candidate;
  if (first.length > 0) {
    const called = await deliver(deps, ops, candidate, first);
    const deliveries = called;
    report.attempted += called.length;
    if (deliveries.every(leftToItsNotification)) {
      // Nothing to record: REFUND.SUCCESS's notification settles the refund with its own write, usually within seconds.
      // Without it, a scheduled pass after the grace asks again with the same out_refund_no (one refund per number).
      reportDeliveries(deps, candidate, candidate, deliveries, report, true);
      return;
    }
    try {
      current = await settle(deps, ops, candidate, deliveries, true);
    } catch (e) {
      if (e instanceof AppError) return; // gone, or someone else keeps writing it: the scheduled pass retries after the grace
      throw e;
    }
    reportDeliveries(deps, candidate, current, deliveries, report, true);
  }
  // Without first deliveries nothing was awaited since startedAt: the same instant, not another clock read.
  const now = first.length > 0 ? iso(deps.clock.now()) : startedAt;
  if (!current.effects.some((e) => leasable(current, e, now))) return;
  const taken = await takeEffects(deps, ops, current, leasable, now);
  if (!taken) return; // another dispatcher holds these attempts
  const countHere = taken.heldIn !== null;
  try {
    const effects = taken.ids.map((id) => taken.doc.effects.find((e) => e.id === id)!);
    const deliveries = await deliver(deps, ops, taken.doc, effects);
    report.attempted += deliveries.length;
    const settled = await settle(deps, ops, taken.doc, deliveries, countHere);
    reportDeliveries(deps, taken.doc, settled, deliveries, report, countHere);
  } finally {
    taken.heldIn?.release(taken.doc.id, taken.ids);
  }
}

/** The effects one dispatcher took from a document. */
interface Taken<D> {
  ids: string[];
  /** The stored document the receivers are called with and the settle starts from. */
  doc: D;
  /** Where the lease is held in memory (the settle counts the attempts), or null: the lease write counted them. */
  heldIn: EffectLeases | null;
}

/**
 * Takes the effects of `current` that are due, for this dispatcher alone until its lease ends. Where the store allows it
 * (effectLeases: one process owns the store) the lease is held in memory and the settle counts the attempts: one write
 * per delivery. Otherwise one compare-and-set leases them (each attempt counted, its nextAttemptAt pushed a lease
 * ahead), which another process's dispatcher sees. Either way a crash before the settle leaves the effects pending,
 * retried after the lease with the same idempotency keys. Null: nothing left to take (another dispatcher holds them).
 */
async function takeEffects<D extends EffectDocument>(
  deps: Deps,
  ops: DocumentOps<D>,
  current: D,
  leasable: (d: D, e: Effect, now: string) => boolean,
  now: string,
): Promise<Taken<D> | null> {
  const leases = ops.leases(deps);
  return leases ? holdInMemory(deps, ops, leases, current, leasable, now) : leaseByWrite(deps, ops, current, leasable);
}

async function holdInMemory<D extends EffectDocument>(
  deps: Deps,
  ops: DocumentOps<D>,
  leases: EffectLeases,
  current: D,
  leasable: (d: D, e: Effect, now: string) => boolean,
  now: string,
): Promise<Taken<D> | null> {
  const due = current.effects.filter((e) => leasable(current, e, now)).map((e) => e.id);
  const held = leases.hold(current.id, due, now, addSeconds(now, deps.dispatchPolicy.leaseSeconds));
  if (held.length === 0) return null;
  // Read again once held: `current` may predate the settle of a dispatcher that has just let go of these effects.
  let stored: D | null;
  try {
    stored = await ops.reload(deps, current);
  } catch (e) {
    leases.release(current.id, held);
    throw e;
  }
  const ids = stored ? held.filter((id) => stored.effects.some((e) => e.id === id && leasable(stored, e, now))) : [];
  if (ids.length < held.length)
    leases.release(
      current.id,
      held.filter((id) => !ids.includes(id)),
    );
  return stored && ids.length > 0 ? { ids, doc: stored, heldIn: leases } : null;
}

async function leaseByWrite<D extends EffectDocument>(
  deps: Deps,
  ops: DocumentOps<D>,
  current: D,
  leasable: (d: D, e: Effect, now: string) => boolean,
): Promise<Taken<D> | null> {
  // Which effects *this* run leased: set by the decision that was written, so a run that lost the compare-and-set and
  // then found the effects leased by another run never mistakes those attempts for its own.
  let ids: string[] = [];
  let claimed: D;
  try {
    claimed = await ops.update(
      deps,
      current,
      (g, now) => {
        ids = g.effects.filter((e) => leasable(g, e, now)).map((e) => e.id);
        if (ids.length === 0) return g;
        return withOutbox(
          ops,
          g,
          ids.reduce((d, id) => beginAttempt(d, id, now, deps.dispatchPolicy), outboxOf(g)),
          now,
        );
      },
      current,
    );
  } catch (e) {
    if (e instanceof AppError) return null; // gone, or someone else keeps writing it; the lease decides
    throw e;
  }
  return ids.length > 0 ? { ids, doc: claimed, heldIn: null } : null;
}
