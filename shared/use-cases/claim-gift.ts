import type { Gift } from '../domain/gift';
import { claim } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { runClaimCommand } from './claim-link';

/**
 * Binds the caller as the gift's one recipient. The first claimer wins the compare-and-set; a repeat by
 * the same recipient is a no-op; anyone else gets ALREADY_CLAIMED, the giver CANNOT_CLAIM_OWN_GIFT.
 */
export async function claimGift(deps: Deps, callerId: string, token: string, known?: Gift): Promise<Gift> {
  const gift = await runClaimCommand(deps, callerId, token, (g, now) => claim(g, callerId, now, deps.giftPolicy), known);
  deps.logger.info({ giftId: gift.id }, 'gift claimed');
  return gift;
}
