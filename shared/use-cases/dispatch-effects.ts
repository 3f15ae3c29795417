import { beginAttempt, completeAttempt, dueEffects, failAttempt } from '../domain/effects';
import { AppError } from '../domain/errors';
import type { Effect, EffectKind, Gift } from '../domain/gift';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import type { FulfillmentHandoff } from '../ports/fulfillment';
import { chargeIdempotencyKey } from '../ports/payments';
import { mapLimit } from './map-limit';
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
async function perform(deps: Deps, gift: Gift, effect: Effect): Promise<string | null> {
  switch (effect.kind) {
    case 'handoff':
      return (await deps.fulfillment.handOff({ idempotencyKey: effect.idempotencyKey, handoff: handoffOf(gift) })).reference;
    case 'refund': {
      const r = await deps.payments.refund({
        idempotencyKey: effect.idempotencyKey,
        giftId: gift.id,
        paymentId: effect.paymentId,
        chargeIdempotencyKey: chargeIdempotencyKey(gift.id),
        amountFen: effect.amountFen,
        reason: effect.reason,
      });
      return r.outcome === 'refunded' ? r.refundId : 'nothing_to_refund';
    }
    case 'notify':
      await deps.notifier.notify({ idempotencyKey: effect.idempotencyKey, userId: effect.userId, event: effect.event, giftId: gift.id, productTitle: gift.productTitle });
      return null;
  }
}

const describe = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/**
 * Delivers one kind of recorded side effect (fulfillment handoff, refund, notification) for every gift
 * where it is due. Each attempt is claimed with a compare-and-set (a lease) before the call and settled
 * with another after it. A crash between the two leaves the effect pending, so it is retried with the
 * same idempotency key: nothing is lost, and the receiver sees one effect however often it is delivered.
 */
export async function dispatchDueEffects(deps: Deps, kind: EffectKind, opts: { limit?: number } = {}): Promise<DispatchReport> {
  const report: DispatchReport = { attempted: 0, succeeded: 0, failed: 0, gaveUp: 0 };
  const gifts = await deps.store.listEffectsDue(kind, iso(deps.clock.now()), opts.limit ?? 100);
  await mapLimit(gifts, 8, async (candidate) => {
    for (const due of dueEffects(candidate, kind, iso(deps.clock.now()))) {
      let claimed: Gift;
      try {
        claimed = await updateGift(deps, candidate.id, (g, now) =>
          dueEffects(g, kind, now).some((e) => e.id === due.id) ? beginAttempt(g, due.id, now, deps.dispatchPolicy) : g,
        );
      } catch (e) {
        if (e instanceof AppError) continue; // someone else holds it; the lease decides
        throw e;
      }
      const effect = claimed.effects.find((e) => e.id === due.id)!;
      if (effect.attempts === due.attempts) continue; // another dispatcher started this attempt
      report.attempted++;
      const log = deps.logger.child({ giftId: claimed.id, effect: effect.id, attempt: effect.attempts });
      try {
        const receipt = await perform(deps, claimed, effect);
        await updateGift(deps, claimed.id, (g, now) => completeAttempt(g, effect.id, now, receipt));
        report.succeeded++;
        log.info({}, 'effect delivered');
      } catch (e) {
        const after = await updateGift(deps, claimed.id, (g, now) => failAttempt(g, effect.id, describe(e), now, deps.dispatchPolicy));
        const final = after.effects.find((x) => x.id === effect.id)!;
        report.failed++;
        if (final.status === 'failed') report.gaveUp++;
        log.warn({ err: describe(e), gaveUp: final.status === 'failed' }, 'effect delivery failed');
      }
    }
  });
  return report;
}
