import type { Gift } from '../domain/gift';
import { claimView } from '../domain/gift-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import type { RouteResult } from './route';

/** Recipient routes all answer with the gift card as the caller may see it. */
export async function claimCard(deps: Deps, gift: Gift, callerId: string): Promise<RouteResult> {
  const product = await deps.catalog.getProduct(gift.productId);
  return { body: { gift: claimView(gift, product, callerId, iso(deps.clock.now())) } };
}
