import type {
  Effect,
  EffectKind,
  Gift,
  HandoffEffect,
  NotificationEvent,
  NotifyEffect,
  RefundEffect,
  RefundOutcome,
  RefundReason,
} from './gift';
import type { DispatchPolicy } from './gift-policy';
import { addSeconds } from './time';

/** Idempotency keys are derived from the gift id, so every attempt (and every crash-recovered retry) reuses them. */
export const effectIdempotencyKey = (giftId: string, effectId: string) => `songli:${giftId}:${effectId}`;

/**
 * The fields every effect starts with (a gift's, a group order's or a unit's); the key derives from the document id.
 * `recordedIn` starts at 1, a document's first write (an insert): the write that records it later sets its own version
 * (use-cases/update-document.ts), which a transition does not know when several steps share one write.
 */
export const effectBase = (giftId: string, id: string, now: string) => ({
  id,
  idempotencyKey: effectIdempotencyKey(giftId, id),
  status: 'pending' as const,
  attempts: 0,
  nextAttemptAt: now,
  lastError: null,
  createdAt: now,
  completedAt: null,
  receipt: null,
  recordedIn: 1,
});

/*
 * Object.assign rather than `{ ...base(), kind }`: on Node 20's V8, a spread followed by a new property gives each
 * object a hidden class of its own (~500 bytes of maps and descriptors), and stored documents keep their effects.
 */
export const handoffEffect = (gift: Gift, now: string): HandoffEffect =>
  Object.assign(effectBase(gift.id, 'handoff', now), { kind: 'handoff' as const });

export const refundEffect = (gift: Gift, reason: RefundReason, now: string): RefundEffect =>
  Object.assign(effectBase(gift.id, 'refund', now), {
    kind: 'refund' as const,
    reason,
    amountFen: gift.payment?.amountFen ?? gift.priceFen,
    paymentId: gift.payment?.paymentId ?? null,
  });

export const notifyGiverEffect = (gift: Gift, event: NotificationEvent, now: string): NotifyEffect =>
  Object.assign(effectBase(gift.id, `notify:${event}`, now), { kind: 'notify' as const, event, userId: gift.giverId });

/** The giver is told once the money is back; one notice per refund effect. */
export const refundedNoticeEffect = (gift: { id: string; giverId: string }, refund: RefundEffect, now: string): NotifyEffect =>
  Object.assign(effectBase(gift.id, refund.id === 'refund' ? 'notify:gift_refunded' : `notify:gift_refunded:${refund.id}`, now), {
    kind: 'notify' as const,
    event: 'gift_refunded' as const,
    userId: gift.giverId,
    amountFen: refund.amountFen,
    reason: refund.reason,
  });

export const EXPIRY_REMINDER_ID = 'notify:gift_expiring';

/**
 * The recipient's reminder before the acceptance window closes: due `beforeSeconds` ahead of the expiry (at once
 * when the gift is claimed later than that). Canceled by the write that accepts, declines or expires the gift.
 */
export function expiryReminderEffect(gift: Gift, recipientId: string, beforeSeconds: number, now: string): NotifyEffect | null {
  if (!gift.expiresAt) return null;
  const due = addSeconds(gift.expiresAt, -beforeSeconds);
  return Object.assign(effectBase(gift.id, EXPIRY_REMINDER_ID, due > now ? due : now), {
    kind: 'notify' as const,
    event: 'gift_expiring' as const,
    userId: recipientId,
  });
}

/** Cancels the reminder if it has not gone out: the write that settles the gift carries it. */
export function withoutPendingReminder(effects: Effect[], now: string): Effect[] {
  return effects.map((e) =>
    e.id === EXPIRY_REMINDER_ID && e.status === 'pending'
      ? Object.assign(copyEffect(e), { status: 'canceled' as const, completedAt: now })
      : e,
  );
}

const HANDOFF_KEYS = 11;
const NOTIFY_KEYS = 13;

/**
 * A copy of an effect for a step to change: the handoff and a plain notice (what every gift's outbox holds) from one
 * literal each, for the reason nextVersion (gift-transitions.ts) copies gifts by a literal; any other effect, or one
 * with keys these literals lack, by a spread.
 */
function copyEffect(e: Effect): Effect {
  const { id, idempotencyKey, status, attempts, nextAttemptAt, lastError, createdAt, completedAt, receipt, recordedIn } = e;
  // recordedIn undefined (an effect stored before it was kept) is one key fewer: the spread below keeps it absent.
  if (e.kind === 'handoff' && keyCount(e) === HANDOFF_KEYS && recordedIn !== undefined)
    return { id, idempotencyKey, status, attempts, nextAttemptAt, lastError, createdAt, completedAt, receipt, recordedIn, kind: e.kind };
  if (e.kind === 'notify' && keyCount(e) === NOTIFY_KEYS && recordedIn !== undefined && !('amountFen' in e) && !('reason' in e)) {
    const { kind, event, userId } = e;
    return {
      id,
      idempotencyKey,
      status,
      attempts,
      nextAttemptAt,
      lastError,
      createdAt,
      completedAt,
      receipt,
      recordedIn,
      kind,
      event,
      userId,
    };
  }
  return { ...e };
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n++;
  return n;
}

/** Adds effects unless one with the same id exists: a transition can never record the same effect twice. */
export function withEffects(gift: Gift, ...effects: Effect[]): Effect[] {
  return addEffects(gift.effects, effects);
}

/** withEffects on an effects array (a transition that changes the existing ones in the same write). */
export function addEffects(existing: readonly Effect[], added: readonly Effect[]): Effect[] {
  const out = existing.slice();
  for (const e of added) if (!existing.some((x) => x.id === e.id)) out.push(e);
  return out;
}

export const findEffect = (gift: Gift, kind: EffectKind): Effect | undefined => gift.effects.find((e) => e.kind === kind);

export function dueEffects(gift: EffectDocument, kind: EffectKind, now: string): Effect[] {
  return gift.effects.filter((e) => e.kind === kind && e.status === 'pending' && e.nextAttemptAt <= now);
}

/** Earliest attempt time of a pending effect of this kind, or null: the key of the dispatcher's index. */
export function effectDueAt(gift: Gift, kind: EffectKind): string | null {
  let due: string | null = null;
  for (const e of gift.effects)
    if (e.kind === kind && e.status === 'pending' && (due === null || e.nextAttemptAt < due)) due = e.nextAttemptAt;
  return due;
}

/** Exponential backoff: base * 2^(attempt-1), capped. Deterministic so an injected clock can drive it. */
export function backoffSeconds(attempt: number, policy: DispatchPolicy): number {
  return Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** Math.max(0, attempt - 1));
}

/** Any document with an outbox: a gift, a group order, a unit. The dispatcher's steps work on each alike. */
export interface EffectDocument {
  id: string;
  version: number;
  /** The instant of the document's last write (every write sets it, the dispatcher's too). */
  updatedAt: string;
  effects: Effect[];
}

/**
 * A first attempt the change stream is delivering: recorded already due by a write (recordedDue; a reminder recorded
 * for later is not), never attempted, within `firstDeliverySeconds` of being recorded. The stream that brings that
 * write calls the receiver without a lease and records the attempt in one settling write; until the grace ends no one
 * else starts it. After it (the stream failed or lagged), it is an ordinary due attempt.
 */
export function awaitsFirstDelivery(e: Effect, doc: { updatedAt: string }, now: string, policy: DispatchPolicy): boolean {
  const grace = policy.firstDeliverySeconds ?? 0;
  return grace > 0 && e.status === 'pending' && e.attempts === 0 && recordedDue(e, doc, grace) && now < addSeconds(e.createdAt, grace);
}

/**
 * Whether an effect was due when recorded: its createdAt (the recording write's instant; a reminder's is its due time)
 * is not after the document's last write, give or take the grace. The slack is for a later write whose clock lags the
 * recording writer's: its updatedAt may precede the effect's createdAt, and without it a dispatcher reading that image
 * would lease the effect while the stream delivers it (a second WeChat notice, which has no key to drop it). The cost:
 * a reminder falling due within the grace of a write waits out the grace for the scheduled pass.
 */
function recordedDue(e: Effect, doc: { updatedAt: string }, grace: number): boolean {
  // The first comparison decides almost every effect without formatting an instant (dispatchers ask on every pass).
  return e.createdAt <= doc.updatedAt || e.createdAt <= addSeconds(doc.updatedAt, grace);
}

/**
 * What the effect steps read and change of a document (its outbox, and the giver a refund's notice names), for a caller
 * that runs several steps before one write: each step copies these five fields, not the whole document, and the caller
 * copies the document once with the effects the steps left. A class, so every draft shares one hidden class and its
 * copies stay cheap.
 */
export class OutboxDraft implements EffectDocument {
  constructor(
    readonly id: string,
    readonly version: number,
    readonly updatedAt: string,
    readonly effects: Effect[],
    readonly giverId: string | undefined,
  ) {}

  static of(doc: EffectDocument & { giverId?: string }): OutboxDraft {
    return new OutboxDraft(doc.id, doc.version, doc.updatedAt, doc.effects, doc.giverId);
  }
}

/** Changes one pending effect; returns the same document (no write) when it is already settled or missing. */
function updateEffect<D extends EffectDocument>(gift: D, effectId: string, change: (e: Effect) => Effect): D {
  const { effects } = gift;
  let i = 0;
  while (i < effects.length && effects[i]!.id !== effectId) i++;
  if (effects[i]?.status !== 'pending') return gift;
  const next = effects.slice();
  next[i] = change(effects[i]!);
  if (gift instanceof OutboxDraft)
    return new OutboxDraft(gift.id, gift.version + 1, gift.updatedAt, next, gift.giverId) as EffectDocument as D;
  return { ...gift, version: gift.version + 1, effects: next };
}

/**
 * Starts an attempt: counts it and pushes nextAttemptAt one lease ahead, so a dispatcher that crashes
 * mid-call is retried after the lease and a concurrent dispatcher does not start the same attempt.
 */
export function beginAttempt<D extends EffectDocument>(gift: D, effectId: string, now: string, policy: DispatchPolicy): D {
  return updateEffect(gift, effectId, (e) =>
    Object.assign(copyEffect(e), { attempts: e.attempts + 1, nextAttemptAt: addSeconds(now, policy.leaseSeconds) }),
  );
}

/** What a receiver answered: its reference, and for a refund whether money moved or the order was only closed. */
export interface EffectResult {
  receipt: string | null;
  refundOutcome?: RefundOutcome;
}

/** Settles an effect as done; a refund that moved money also records the giver's notice, in the same write. */
export function completeAttempt<D extends EffectDocument & { giverId?: string }>(
  gift: D,
  effectId: string,
  now: string,
  result: EffectResult,
): D {
  const done = updateEffect(gift, effectId, (e): Effect => {
    const settled = { status: 'done' as const, completedAt: now, receipt: result.receipt, lastError: null };
    if (e.kind === 'refund' && result.refundOutcome) {
      const providerStatus = result.refundOutcome === 'refunded' ? ('succeeded' as const) : e.providerStatus;
      return { ...e, ...settled, outcome: result.refundOutcome, ...(providerStatus ? { providerStatus } : {}) };
    }
    return Object.assign(copyEffect(e), settled);
  });
  const refund = done.effects.find((e) => e.id === effectId);
  if (done === gift || refund?.kind !== 'refund' || refund.outcome !== 'refunded') return done;
  // Refunds belong to gifts and orders, which have a giver to tell.
  const notice = refundedNoticeEffect(done as { id: string; giverId: string }, refund, now);
  return done.effects.some((e) => e.id === notice.id) ? done : { ...done, effects: [...done.effects, notice] };
}

/**
 * A refund the provider accepted but has not finished (PROCESSING): the attempt ends without an error and the effect
 * waits `confirmAfterSeconds` for the refund notification, then asks the provider (the query is cheap and final).
 */
export function awaitRefund<D extends EffectDocument>(
  gift: D,
  effectId: string,
  now: string,
  policy: DispatchPolicy,
  refundId: string | null,
): D {
  return updateEffect(gift, effectId, (e) => {
    if (e.kind !== 'refund') return e;
    // Bank-card refunds can take days: ask again after 1, 2, 4 … minutes, at most maxDelaySeconds apart.
    const wait = Math.min(policy.maxDelaySeconds, policy.refundConfirmSeconds * 2 ** Math.min(10, Math.max(0, e.attempts - 1)));
    return { ...e, providerStatus: 'processing', nextAttemptAt: addSeconds(now, wait), lastError: null, receipt: refundId };
  });
}

/** Records a paymentId learnt after the refund was recorded (the order turned out paid when it was closed). */
export function setRefundPayment<D extends EffectDocument>(gift: D, effectId: string, paymentId: string, amountFen: number): D {
  return updateEffect(gift, effectId, (e) => (e.kind === 'refund' ? { ...e, paymentId, amountFen } : e));
}

/** The receiver refused for good: failed at once, with its code, for an operator (a refund ABNORMAL or CLOSED too). */
export function failFinally<D extends EffectDocument>(
  gift: D,
  effectId: string,
  error: string,
  now: string,
  providerStatus?: 'abnormal' | 'closed',
): D {
  return updateEffect(gift, effectId, (e) => ({
    ...e,
    status: 'failed' as const,
    lastError: error.slice(0, 500),
    completedAt: now,
    ...(e.kind === 'refund' && providerStatus ? { providerStatus } : {}),
  }));
}

/** Records a failed attempt and schedules the next one after the backoff; gives up (visibly) after maxAttempts. */
export function failAttempt<D extends EffectDocument>(gift: D, effectId: string, error: string, now: string, policy: DispatchPolicy): D {
  return updateEffect(gift, effectId, (e) => ({
    ...e,
    lastError: error.slice(0, 500),
    status: e.attempts >= policy.maxAttempts ? 'failed' : 'pending',
    nextAttemptAt: addSeconds(now, backoffSeconds(e.attempts, policy)),
  }));
}
