/**
 * What a gift is waiting for in time: the cleanup (`sweep`: the payment window or the 24-hour acceptance window)
 * and each pending effect's next attempt. Stores keep one sparse timer entry per waiting gift, keyed by the
 * earliest of these instants, so the cleanup and the dispatchers read only gifts that have something due.
 */
import { EFFECT_KINDS, type EffectKind, type Gift } from './gift';
import { sweepDeadline } from './gift-transitions';

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
  let at = sweepDeadline(gift);
  const kinds: TimerKind[] = at === null ? [] : ['sweep'];
  for (const e of gift.effects) {
    if (e.status !== 'pending') continue;
    if (!kinds.includes(e.kind)) kinds.push(e.kind);
    if (at === null || e.nextAttemptAt < at) at = e.nextAttemptAt;
  }
  return at === null ? null : { at, kinds };
}
