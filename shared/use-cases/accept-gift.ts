import type { Gift } from '../domain/gift';
import { accept } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { runClaimCommand } from './claim-link';

/**
 * 收下礼物: the recipient accepts; the same write records the fulfillment handoff (dispatched later, once).
 * Needs an address; nothing can change afterwards.
 */
export async function acceptGift(deps: Deps, callerId: string, token: string, known?: Gift): Promise<Gift> {
  const gift = await runClaimCommand(deps, callerId, token, (g, now) => accept(g, callerId, now), known);
  deps.logger.info({ giftId: gift.id }, 'gift accepted');
  return gift;
}
