import { claimCard } from '../../shared/http/claim-card';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { swapGiftVariant } from '../../shared/use-cases/swap-variant';

/** PUT /claims/:token/variant (换个款式): same product, same price, in stock, before acceptance. */
export const swapVariantRoute = route(contract.swapVariant, async ({ deps, callerId, params, body }) => claimCard(deps, await swapGiftVariant(deps, callerId, params.token!, body.skuId), callerId));
