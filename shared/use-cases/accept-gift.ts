import type { Address, Gift } from '../domain/gift';
import { accept, acceptWithAddress } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { runClaimCommand } from './claim-link';

export interface AcceptOptions {
  /** The address typed on the form: set and accepted in the same write (one request for 收下礼物 over an open form). */
  address?: Address;
  /** The gift as the claim link already read it (the first attempt starts from it). */
  known?: Gift;
}

/**
 * 收下礼物: the recipient accepts; the same write records the fulfillment handoff (dispatched later, once).
 * Needs an address, saved before or given here; nothing can change afterwards.
 */
export async function acceptGift(deps: Deps, callerId: string, token: string, opts: AcceptOptions = {}): Promise<Gift> {
  const { address, known } = opts;
  const gift = await runClaimCommand(
    deps,
    callerId,
    token,
    (g, now) => (address ? acceptWithAddress(g, callerId, address, now) : accept(g, callerId, now)),
    known,
  );
  deps.logger.info({ giftId: gift.id }, 'gift accepted');
  return gift;
}
