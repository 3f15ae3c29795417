import type { Gift } from '../domain/gift';
import { decline } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { runClaimCommand } from './claim-link';

/** The recipient declines; the same write records the refund to the giver's original payment. */
export async function declineGift(deps: Deps, callerId: string, token: string, known?: Gift): Promise<Gift> {
  const gift = await runClaimCommand(deps, callerId, token, (g, now) => decline(g, callerId, now), known);
  deps.logger.info({ giftId: gift.id }, 'gift declined');
  return gift;
}
