/**
 * A model of the stream-driven dispatcher for the cost bench (not the dispatcher itself: it calls no receiver). It
 * writes what the planned design writes: per document with effects due, ONE lease write for all of them and ONE
 * settling write, where today's dispatcher leases and settles each effect apart (shared/use-cases/dispatch-effects.ts).
 * The document comes with the stream record that the write recording its effects produced (a Lambda trigger's
 * GetRecords costs no read units), so finding it costs nothing; effects recorded to be due later (the recipient's
 * reminder) are found by the scheduled pass, priced here as one strongly consistent read of the document.
 * Receivers' answers are canned: every delivery succeeds, a refund of an unpaid gift closes its order.
 */
import { beginAttempt, completeAttempt, type EffectResult } from '../../shared/domain/effects';
import type { Effect, Gift } from '../../shared/domain/gift';
import { isGroupOrder } from '../../shared/domain/gift-document';
import type { DispatchPolicy } from '../../shared/domain/gift-policy';
import { iso } from '../../shared/domain/time';
import { TIMER_KINDS } from '../../shared/domain/timers';
import type { Clock } from '../../shared/ports/clock';
import type { GiftStore } from '../../shared/ports/gift-store';

const resultOf = (e: Effect): EffectResult =>
  e.kind === 'refund' ? { receipt: null, refundOutcome: e.paymentId === null ? 'payment_closed' : 'refunded' } : { receipt: 'ok' };

/** One pass: every gift with effects due gets one lease and one settle. Returns how many gifts it wrote. */
export async function projectedDispatchPass(
  store: GiftStore,
  clock: Clock,
  policy: DispatchPolicy,
  measure: {
    /** Runs what the stream hands over for free (not priced). */
    free: <T>(run: () => Promise<T>) => Promise<T>;
    /** Prices what runs under a step name. */
    step: <T>(name: string, run: () => Promise<T>) => Promise<T>;
  },
): Promise<number> {
  const { free, step } = measure;
  const now = iso(clock.now());
  const found = new Map<string, Gift>();
  await free(async () => {
    for (const kind of TIMER_KINDS.filter((k) => k !== 'sweep'))
      for (const doc of (await store.listDue(kind, now, 10_000)).items) if (!isGroupOrder(doc)) found.set(doc.id, doc);
  });
  let written = 0;
  for (let gift of found.values()) {
    const due = gift.effects.filter((e) => e.status === 'pending' && e.nextAttemptAt <= now);
    if (due.length === 0) continue;
    // Recorded to be due later than the write that recorded it: no stream record is due now, the scheduled pass reads it.
    if (due.every((e) => e.attempts === 0 && e.createdAt > gift.updatedAt)) {
      const current = gift;
      gift = await step('scheduled: read', async () => ((await store.get(current.id)) as Gift | null) ?? current);
    }
    const from = gift;
    const leased = { ...due.reduce((g, e) => beginAttempt(g, e.id, now, policy), from), version: from.version + 1 };
    await step('stream: lease', () => store.replace(leased, from.version));
    const settled = { ...due.reduce((g, e) => completeAttempt(g, e.id, now, resultOf(e)), leased), version: leased.version + 1 };
    await step('stream: settle', () => store.replace(settled, leased.version));
    written++;
  }
  return written;
}
