import { hashClaimToken } from '../domain/claim-token';
import type { Gift } from '../domain/gift';
import { nextLinkVersion, rotateClaimToken } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { loadGiverGift } from './load-giver-gift';
import { updateGift } from './update-gift';

/**
 * Replaces the claim link of a sent, unclaimed gift (lost, or shared with the wrong person): the next link version is
 * derived and stored as a hash, and the old link stops working in the same write.
 */
export async function reissueClaimLink(deps: Deps, giverId: string, giftId: string): Promise<Gift> {
  await loadGiverGift(deps, giverId, giftId);
  return updateGift(deps, giftId, (g, now) => {
    const version = nextLinkVersion(g);
    return rotateClaimToken(g, { hash: hashClaimToken(deps.claimLinks.tokenFor(g.id, version)), version }, now);
  });
}
