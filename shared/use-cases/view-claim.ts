import type { Gift } from '../domain/gift';
import { type ClaimView, claimView } from '../domain/gift-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { loadGiftByToken } from './claim-link';

/** The gift card as `callerId` may see it (never a price), with the product's current styles to swap to. */
export async function claimCardFor(deps: Deps, gift: Gift, callerId: string): Promise<ClaimView> {
  const product = await deps.catalog.getProduct(gift.productId);
  return claimView(gift, product, callerId, iso(deps.clock.now()));
}

/** Opens the gift card behind a claim link. */
export async function viewClaim(deps: Deps, callerId: string, token: string): Promise<ClaimView> {
  return claimCardFor(deps, await loadGiftByToken(deps, callerId, token), callerId);
}
