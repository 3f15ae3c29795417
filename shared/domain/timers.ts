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

/** The gift's timer, or null when it waits for nothing (terminal and every effect settled). */
export function giftTimer(gift: Gift): GiftTimer | null {
  const at = sweepDeadline(gift);
  return withPendingEffects(at === null ? null : { at, kinds: ['sweep'] }, gift.effects);
}

/**
 * A unit's timer: only its pending effects (handoff, the giver's notice, the recipient's reminder). Never `sweep`:
 * the unit's deadline is its order's, and the order's cleanup closes its units.
 */
export function unitTimer(unit: GroupUnit): GiftTimer | null {
  return withPendingEffects(null, unit.effects);
}

function withPendingEffects(start: GiftTimer | null, effects: readonly Effect[]): GiftTimer | null {
  let at = start?.at ?? null;
  const kinds: TimerKind[] = start ? [...start.kinds] : [];
  for (const e of effects) {
    if (e.status !== 'pending') continue;
    if (!kinds.includes(e.kind)) kinds.push(e.kind);
    if (at === null || e.nextAttemptAt < at) at = e.nextAttemptAt;
  }
  return at === null ? null : { at, kinds };
}
