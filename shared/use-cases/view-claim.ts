import { claimView, type ClaimView } from '../domain/gift-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { loadGiftByToken } from './claim-link';

/** Opens the gift card behind a claim link, as the caller may see it (never a price). */
export async function viewClaim(deps: Deps, callerId: string, token: string): Promise<ClaimView> {
  const gift = await loadGiftByToken(deps, callerId, token);
  const product = await deps.catalog.getProduct(gift.productId);
  return claimView(gift, product, callerId, iso(deps.clock.now()));
}
