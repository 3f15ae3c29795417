import type { Gift } from '../../domain/gift';
import { claimView } from '../../domain/gift-views';
import { iso } from '../../domain/time';
import type { Deps } from '../../ports/deps';
import { acceptGift } from '../../use-cases/accept-gift';
import { claimGift } from '../../use-cases/claim-gift';
import { declineGift } from '../../use-cases/decline-gift';
import { setGiftAddress } from '../../use-cases/set-address';
import { swapGiftVariant } from '../../use-cases/swap-variant';
import { viewClaim } from '../../use-cases/view-claim';
import { operations } from '../operations';
import { route } from '../route';

/** Every recipient route answers with the gift card as the caller may see it. */
async function card(deps: Deps, gift: Gift, callerId: string) {
  const product = await deps.catalog.getProduct(gift.productId);
  return { body: { gift: claimView(gift, product, callerId, iso(deps.clock.now())) } };
}

export const viewClaimRoute = route(operations.viewClaim, async ({ deps, callerId, params }) => ({ body: { gift: await viewClaim(deps, callerId, params.token!) } }));

export const claimGiftRoute = route(operations.claimGift, async ({ deps, callerId, params }) => card(deps, await claimGift(deps, callerId, params.token!), callerId));

export const setAddressRoute = route(operations.setAddress, async ({ deps, callerId, params, body }) =>
  card(deps, await setGiftAddress(deps, callerId, params.token!, body), callerId),
);

export const swapVariantRoute = route(operations.swapVariant, async ({ deps, callerId, params, body }) =>
  card(deps, await swapGiftVariant(deps, callerId, params.token!, body.skuId), callerId),
);

export const acceptGiftRoute = route(operations.acceptGift, async ({ deps, callerId, params }) => card(deps, await acceptGift(deps, callerId, params.token!), callerId));

export const declineGiftRoute = route(operations.declineGift, async ({ deps, callerId, params }) => card(deps, await declineGift(deps, callerId, params.token!), callerId));
