import type { Address, Gift } from '../domain/gift';
import { setAddress } from '../domain/gift-transitions';
import type { Deps } from '../ports/deps';
import { runClaimCommand } from './claim-link';

/** 填写收货地址: the recipient enters or replaces the shipping address (validated at the edge) before accepting. */
export async function setGiftAddress(deps: Deps, callerId: string, token: string, address: Address, known?: Gift): Promise<Gift> {
  return runClaimCommand(deps, callerId, token, (g, now) => setAddress(g, callerId, address, now), known);
}
