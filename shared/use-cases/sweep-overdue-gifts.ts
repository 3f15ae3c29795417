import { isAppError } from '../domain/errors';
import { isOverdue, sweep } from '../domain/gift-transitions';
import { iso } from '../domain/time';
import { mapLimit } from '../lib/map-limit';
import type { Deps } from '../ports/deps';
import { updateGift } from './update-gift';

export interface SweepReport {
  expired: number;
  canceled: number;
  /** Overdue candidates another writer had already moved on (accepted at the last moment, say). */
  skipped: number;
}

/**
 * Scheduled cleanup: expires sent/claimed gifts not accepted within the TTL (recording their refund) and cancels
 * gifts never paid. Reads only the timer index's `sweep` candidates; each gift is one compare-and-set, so it races
 * safely with a last-second accept.
 */
export async function sweepOverdueGifts(deps: Deps, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<SweepReport> {
  const batchSize = opts.batchSize ?? 100;
  const maxBatches = opts.maxBatches ?? 1_000;
  const report: SweepReport = { expired: 0, canceled: 0, skipped: 0 };
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
          const result = await updateGift(deps, candidate.id, (g) => sweep(g, now), { current: candidate });
          if (result.status === 'expired' && result.expiredAt === now) report.expired++;
          else if (result.status === 'canceled' && result.canceledAt === now) report.canceled++;
          else report.skipped++;
        } catch (e) {
          if (!isAppError(e)) throw e;
          report.skipped++;
        }
      },
    );
    // Candidates due for something else are skipped, not waited behind: the next page starts after them.
    if (!page.next) break;
    after = page.next;
  }
  if (report.expired + report.canceled > 0) deps.logger.info({ ...report }, 'sweep finished');
  return report;
}
