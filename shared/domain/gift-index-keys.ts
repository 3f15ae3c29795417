/**
 * The secondary keys every store adapter maintains, derived from the document so all adapters agree on
 * what is a candidate. Null means "not in that index" (sparse), so terminal gifts drop out of the
 * cleanup and dispatch indexes and those queries cost what they return.
 */
import { effectDueAt } from './effects';
import { EFFECT_KINDS, type EffectKind, type Gift } from './gift';
import { sweepDeadline } from './gift-transitions';

export interface GiftIndexKeys {
  /** Status of a non-terminal gift, paired with sweepAt. */
  sweepStatus: string | null;
  sweepAt: string | null;
  dueAt: Record<EffectKind, string | null>;
}

export function giftIndexKeys(gift: Gift): GiftIndexKeys {
  const sweepAt = sweepDeadline(gift);
  const dueAt = {} as Record<EffectKind, string | null>;
  for (const kind of EFFECT_KINDS) dueAt[kind] = effectDueAt(gift, kind);
  return { sweepStatus: sweepAt === null ? null : gift.status, sweepAt, dueAt };
}

/** Statuses the cleanup looks at. */
export const SWEEPABLE_STATUSES = ['awaiting_payment', 'sent', 'claimed'] as const;
