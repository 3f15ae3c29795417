/**
 * What a gift is waiting for in time: the cleanup (`sweep`: the payment window or the 24-hour acceptance window)
 * and each pending effect's next attempt. Stores keep one sparse timer entry per waiting gift, keyed by the
 * earliest of these instants, so the cleanup and the dispatchers read only gifts that have something due.
 * A group order's unit documents get the same kind of entry for their own effects (unitTimer).
 */
import { EFFECT_KINDS, type Effect, type EffectKind, type Gift } from './gift';
import { sweepDeadline } from './gift-transitions';
import type { GroupUnit } from './group-units';

export const TIMER_KINDS = ['sweep', ...EFFECT_KINDS] as const;
export type TimerKind = 'sweep' | EffectKind;

export interface GiftTimer {
  /** The earliest instant at which something about the gift is due. */
  at: string;
  /** Every kind the gift is waiting for, due or not yet: a job re-checks the document before acting. */
  kinds: TimerKind[];
}

/**
 * The gift's timer, or null when it waits for nothing (terminal and every effect settled).
 *
 * `streamFirstDelivery` (AWS: the table's stream delivers each effect right after the write that recorded it): a first
 * attempt awaiting that delivery does not pull the entry earlier when the gift waits for something else anyway (the
 * claim's notice beside the reminder and the acceptance deadline), so the write recording it and the stream's settling
 * write leave the entry's sort key alone (a key change is two index writes on DynamoDB). Alone, it keeps its instant.
 * The price: if the stream never delivers it, the scheduled pass finds it at the gift's next instant, not in a minute.
 */
export function giftTimer(gift: Gift, opts: { streamFirstDelivery?: boolean } = {}): GiftTimer | null {
  const deadline = sweepDeadline(gift);
  const start: GiftTimer | null = deadline === null ? null : { at: deadline, kinds: ['sweep'] };
  if (!opts.streamFirstDelivery) return withPendingEffects(start, gift.effects, timerInstant);
  const awaiting = (e: Effect) => e.status === 'pending' && e.attempts === 0 && e.createdAt <= gift.updatedAt;
  const others = withPendingEffects(
    start,
    gift.effects.filter((e) => !awaiting(e)),
    timerInstant,
  );
  const firsts = gift.effects.filter(awaiting);
  if (firsts.length === 0) return others;
  if (others === null) return withPendingEffects(null, firsts, timerInstant);
  const kinds = [...others.kinds];
  for (const e of firsts) if (!kinds.includes(e.kind)) kinds.push(e.kind);
  return { at: others.at, kinds };
}

/**
 * A unit's timer: only its pending effects (handoff, the giver's notice, the recipient's reminder). Never `sweep`:
 * the unit's deadline is its order's, and the order's cleanup closes its units. Leases move a unit's entry (group
 * orders are a small share of the day; timerInstant's saving is the 1:1 gifts').
 */
export function unitTimer(unit: GroupUnit): GiftTimer | null {
  return withPendingEffects(null, unit.effects, (e) => e.nextAttemptAt);
}

/**
 * The instant an effect's timer entry waits for: its next attempt, except while its first attempt is under lease.
 * Then the entry stays where it was (createdAt: every effect is first due when it is created), because moving an
 * index entry's sort key costs DynamoDB two index writes, and the settling write moves it again a moment later.
 * Waiting at an earlier instant than the real one is safe: a job re-checks the document (dueEffects) before acting,
 * so a crashed lease only makes the scheduled pass read the document until the lease ends and it is retried (attempt 2,
 * whose backoff or lease then moves the entry as usual). A refund whose provider answered PROCESSING waits for real.
 */
export function timerInstant(e: Effect): string {
  const firstLease = e.attempts === 1 && e.lastError === null && !(e.kind === 'refund' && e.providerStatus !== undefined);
  return firstLease && e.createdAt < e.nextAttemptAt ? e.createdAt : e.nextAttemptAt;
}

function withPendingEffects(start: GiftTimer | null, effects: readonly Effect[], instant: (e: Effect) => string): GiftTimer | null {
  let at = start?.at ?? null;
  const kinds: TimerKind[] = start ? [...start.kinds] : [];
  for (const e of effects) {
    if (e.status !== 'pending') continue;
    if (!kinds.includes(e.kind)) kinds.push(e.kind);
    const due = instant(e);
    if (at === null || due < at) at = due;
  }
  return at === null ? null : { at, kinds };
}
