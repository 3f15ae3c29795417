import { isAppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { isOverdue, sweep } from '../domain/gift-transitions';
import { iso } from '../domain/time';
import { mapLimit } from '../lib/map-limit';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import { reconcileUnpaid } from './confirm-payment';
import { updateGift } from './update-gift';

export interface SweepReport {
  expired: number;
  canceled: number;
  /** Unpaid gifts whose order turned out paid (a late or lost notification): sent instead of canceled. */
  paidLate: number;
  /** Overdue candidates another writer had already moved on (accepted at the last moment, say). */
  skipped: number;
  /** Unpaid gifts left for the next run because the payment provider could not be asked. */
  deferred: number;
}

/** One overdue gift: expired, or canceled (after asking the provider whether it was paid after all). */
export async function sweepGift(deps: Deps, gift: Gift): Promise<Gift> {
  return updateGift(deps, gift.id, (g, now) => sweep(g, now), { current: gift });
}

/**
 * Scheduled cleanup: expires sent/claimed gifts not accepted within the TTL (recording their refund) and cancels
 * gifts never paid. Before canceling, the provider is asked about the order: a payment whose notification is late or
 * lost makes the gift sent instead. Reads only the timer index's `sweep` candidates; each gift is one compare-and-set,
 * so it races safely with a last-second accept or a notification.
 */
export async function sweepOverdueGifts(deps: Deps, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<SweepReport> {
  const batchSize = opts.batchSize ?? 100;
  const maxBatches = opts.maxBatches ?? 1_000;
  const report: SweepReport = { expired: 0, canceled: 0, paidLate: 0, skipped: 0, deferred: 0 };
  const now = iso(deps.clock.now());
  let after: string | undefined;
  for (let batch = 0; batch < maxBatches; batch++) {
    const page = await deps.store.listDue('sweep', now, batchSize, after);
    // Candidates due for something else (a pending effect) are not the cleanup's business.
    await mapLimit(
      page.items.filter((g) => isOverdue(g, now)),
      8,
      async (candidate) => {
        try {
          let gift = candidate;
          if (gift.status === 'awaiting_payment') {
            gift = await reconcileUnpaid(deps, gift);
            if (gift.status === 'sent') {
              report.paidLate++;
              return;
            }
          }
          const result = await updateGift(deps, gift.id, (g) => sweep(g, now), { current: gift });
          if (result.status === 'expired' && result.expiredAt === now) report.expired++;
          else if (result.status === 'canceled' && result.canceledAt === now) report.canceled++;
          else report.skipped++;
        } catch (e) {
          if (e instanceof DependencyError && candidate.status === 'awaiting_payment') {
            deps.logger.warn({ giftId: candidate.id, err: e.message }, 'payment provider unavailable: cancel deferred');
            report.deferred++;
            return;
          }
          if (!isAppError(e)) throw e;
          report.skipped++;
        }
      },
    );
    // Candidates due for something else are skipped, not waited behind: the next page starts after them.
    if (!page.next) break;
    after = page.next;
  }
  if (report.expired + report.canceled + report.paidLate > 0) deps.logger.info({ ...report }, 'sweep finished');
  return report;
}
