import type { Gift } from '../domain/gift';
import { effectiveStatus } from '../domain/gift-transitions';
import { giverView } from '../domain/gift-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';

/**
 * The live claim link of a sent, unclaimed gift (derived again from the gift id and its link version; nothing secret
 * is stored), or null: before payment, once claimed or closed, and for links of earlier versions, which were random.
 */
export function liveClaimToken(deps: Pick<Deps, 'claimLinks'>, gift: Gift, now: string): string | null {
  if (effectiveStatus(gift, now) !== 'sent' || !gift.linkVersion) return null;
  return deps.claimLinks.tokenFor(gift.id, gift.linkVersion);
}

/** The giver's view with the live link. */
export function giverGiftWithLink(deps: Pick<Deps, 'claimLinks' | 'clock'>, gift: Gift) {
  const now = iso(deps.clock.now());
  return { ...giverView(gift, now), claimToken: liveClaimToken(deps, gift, now) };
}
