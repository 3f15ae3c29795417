import { isAppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { isGroupOrder } from '../domain/gift-document';
import { isOverdue, sweep } from '../domain/gift-transitions';
import type { GroupOrder } from '../domain/group-order';
import { iso } from '../domain/time';
import { mapLimit } from '../lib/map-limit';
import { DependencyError } from '../ports/dependency-error';
import type { Deps } from '../ports/deps';
import { reconcileUnpaid } from './confirm-payment';
import { sweepGroupOrder } from './sweep-group-order';
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
  /** Group orders: lotteries drawn, and refund batches of declined units taken before the deadline. */
  drawn: number;
  refundBatches: number;
}

/** One overdue gift: expired, or canceled (after asking the provider whether it was paid after all). */
export async function sweepGift(deps: Deps, gift: Gift): Promise<Gift> {
  return updateGift(deps, gift.id, (g, now) => sweep(g, now), { current: gift });
}

const GROUP_COUNTS = {
  canceled: 'canceled',
  paid_late: 'paidLate',
  drawn: 'drawn',
  settled: 'expired',
  refund_batch: 'refundBatches',
} as const;

/** A group order's pass (sweep-group-order.ts); an order is settled (counted as expired) once its deadline is handled. */
async function sweepOrder(deps: Deps, order: GroupOrder, now: string, report: SweepReport): Promise<void> {
  try {
    const outcome = await sweepGroupOrder(deps, order, now);
    if (outcome !== 'nothing') report[GROUP_COUNTS[outcome]]++;
  } catch (e) {
    if (e instanceof DependencyError) {
      deps.logger.warn({ giftId: order.id, err: e.message }, 'group order cleanup deferred');
      report.deferred++;
      return;
    }
    if (!isAppError(e)) throw e;
    report.skipped++;
  }
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
  const report: SweepReport = { expired: 0, canceled: 0, paidLate: 0, skipped: 0, deferred: 0, drawn: 0, refundBatches: 0 };
  const now = iso(deps.clock.now());
  let after: string | undefined;
  for (let batch = 0; batch < maxBatches; batch++) {
    const page = await deps.store.listDue('sweep', now, batchSize, after);
    // Candidates due for something else (a pending effect) are not the cleanup's business.
    const orders = page.items.filter(isGroupOrder);
    await mapLimit(orders, 8, (order) => sweepOrder(deps, order, now, report));
    await mapLimit(
      page.items.filter((g): g is Gift => !isGroupOrder(g) && isOverdue(g, now)),
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
  if (report.expired + report.canceled + report.paidLate + report.drawn + report.refundBatches > 0)
    deps.logger.info({ ...report }, 'sweep finished');
  return report;
}
