import { composeClaimToken, hashClaimToken } from '../domain/claim-token';
import type { Gift } from '../domain/gift';
import { rotateClaimToken } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { loadGiverGift } from './load-giver-gift';
import { updateGift } from './update-gift';

/**
 * Issues a new claim link for a sent, unclaimed gift and invalidates the old one: the way back for a giver
 * who lost the link (only its hash is stored, so it cannot be shown again).
 */
export async function reissueClaimLink(deps: Deps, giverId: string, giftId: string): Promise<{ gift: Gift; claimToken: string }> {
  await loadGiverGift(deps, giverId, giftId);
  const claimToken = composeClaimToken(giftId, deps.ids.claimSecret());
  const gift = await updateGift(deps, giftId, (g, now) => rotateClaimToken(g, hashClaimToken(claimToken), now));
  return { gift, claimToken };
}
