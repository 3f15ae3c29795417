import { isAppError } from '../domain/errors';
import { sweep } from '../domain/gift-transitions';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { mapLimit } from './map-limit';
import { updateGift } from './update-gift';

export interface SweepReport {
  expired: number;
  canceled: number;
  /** Candidates another writer had already moved on (accepted at the last moment, say). */
  skipped: number;
}

/**
 * Scheduled cleanup: expires sent/claimed gifts not accepted within the TTL (recording their refund) and
 * cancels gifts never paid. Reads only the overdue-candidates index; each gift is one compare-and-set, so
 * it races safely with a last-second accept.
 */
export async function sweepOverdueGifts(deps: Deps, opts: { batchSize?: number; maxBatches?: number } = {}): Promise<SweepReport> {
  const batchSize = opts.batchSize ?? 100;
  const maxBatches = opts.maxBatches ?? 1_000;
  const report: SweepReport = { expired: 0, canceled: 0, skipped: 0 };
  const now = iso(deps.clock.now());
  for (let batch = 0; batch < maxBatches; batch++) {
    const due = await deps.store.listSweepDue(now, batchSize);
    if (due.length === 0) break;
    let progressed = 0;
    await mapLimit(due, 8, async (candidate) => {
      try {
        const after = await updateGift(deps, candidate.id, (g) => sweep(g, now));
        if (after.status === 'expired' && after.expiredAt === now) (report.expired++, progressed++);
        else if (after.status === 'canceled' && after.canceledAt === now) (report.canceled++, progressed++);
        else report.skipped++;
      } catch (e) {
        if (!isAppError(e)) throw e;
        report.skipped++;
      }
    });
    if (due.length < batchSize || progressed === 0) break;
  }
  if (report.expired + report.canceled > 0) deps.logger.info({ ...report }, 'sweep finished');
  return report;
}
