import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { swapGiftVariant } from '../../shared/use-cases/swap-variant';
import { claimCardFor } from '../../shared/use-cases/view-claim';

/** PUT /claims/:token/variant (换个款式): same product, same price, in stock, before acceptance. */
export default route(contract.swapVariant, async ({ deps, callerId, params, body }) => ({
  body: { gift: await claimCardFor(deps, await swapGiftVariant(deps, callerId, params.token, body.skuId), callerId) },
}));
