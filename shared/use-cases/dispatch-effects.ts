import { beginAttempt, completeAttempt, dueEffects, type EffectResult, failAttempt } from '../domain/effects';
import { AppError } from '../domain/errors';
import type { Effect, EffectKind, Gift } from '../domain/gift';
import { iso } from '../domain/time';
import { mapLimit } from '../lib/map-limit';
import type { Deps } from '../ports/deps';
import type { FulfillmentHandoff } from '../ports/fulfillment';
import { chargeIdempotencyKey } from '../ports/payments';
import { updateGift } from './update-gift';

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

/** Calls the receiver of one effect; the effect's idempotency key makes a repeat harmless. */
async function perform(deps: Deps, gift: Gift, effect: Effect): Promise<EffectResult> {
  switch (effect.kind) {
    case 'handoff':
      return { receipt: (await deps.fulfillment.handOff({ idempotencyKey: effect.idempotencyKey, handoff: handoffOf(gift) })).reference };
    case 'refund': {
      const r = await deps.payments.refund({
        idempotencyKey: effect.idempotencyKey,
        giftId: gift.id,
        paymentId: effect.paymentId,
        chargeIdempotencyKey: chargeIdempotencyKey(gift.id),
        amountFen: effect.amountFen,
        reason: effect.reason,
      });
      return r.outcome === 'refunded'
        ? { receipt: r.refundId, refundOutcome: 'refunded' }
        : { receipt: null, refundOutcome: 'payment_closed' };
    }
    case 'notify':
      await deps.notifier.notify({
        idempotencyKey: effect.idempotencyKey,
        userId: effect.userId,
        event: effect.event,
        giftId: gift.id,
        productTitle: gift.productTitle,
        at: effect.createdAt,
      });
      return { receipt: null };
  }
}

const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * Delivers one kind of recorded side effect (fulfillment handoff, refund, notification) for every gift where it is
 * due, up to `limit` attempts a run. Each attempt is claimed with a compare-and-set (a lease) before the call and
 * settled with another after it. A crash between the two leaves the effect pending, so it is retried with the same
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
    await mapLimit(page.items, 8, (candidate) => dispatchGift(deps, kind, candidate, report));
    if (!page.next) break;
    after = page.next;
  }
  return report;
}

async function dispatchGift(deps: Deps, kind: EffectKind, candidate: Gift, report: DispatchReport): Promise<void> {
  let current: Gift | undefined = candidate;
  for (const due of dueEffects(candidate, kind, iso(deps.clock.now()))) {
    let claimed: Gift;
    // Whether *this* run took the lease: set by the decision that was written, so a run that lost the
    // compare-and-set and then found the effect leased by another run never mistakes that attempt for its own.
    let leased = false;
    try {
      claimed = await updateGift(
        deps,
        candidate.id,
        (g, now) => {
          leased = dueEffects(g, kind, now).some((e) => e.id === due.id);
          return leased ? beginAttempt(g, due.id, now, deps.dispatchPolicy) : g;
        },
        { current },
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
      const result = await perform(deps, claimed, effect);
      await updateGift(deps, claimed.id, (g, now) => completeAttempt(g, effect.id, now, result), { current: claimed });
      report.succeeded++;
      log.info({}, 'effect delivered');
    } catch (e) {
      const after = await updateGift(deps, claimed.id, (g, now) => failAttempt(g, effect.id, describe(e), now, deps.dispatchPolicy), {
        current: claimed,
      });
      const final = after.effects.find((x) => x.id === effect.id)!;
      report.failed++;
      if (final.status === 'failed') report.gaveUp++;
      log.warn({ err: describe(e), gaveUp: final.status === 'failed' }, 'effect delivery failed');
    }
  }
}
