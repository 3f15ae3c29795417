import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { swapOrderUnit } from '../../shared/use-cases/group-claims';
import { swapGiftVariant } from '../../shared/use-cases/swap-variant';
import { claimLinkCard } from '../../shared/use-cases/view-claim';

/** PUT /claims/:token/variant (换个款式): same product, same price, in stock, before acceptance. */
export default route(contract.swapVariant, async ({ deps, callerId, params, body }) => ({
  body: {
    gift: await claimLinkCard(deps, callerId, params.token, {
      gift: (found) => swapGiftVariant(deps, callerId, params.token, body.skuId, found),
      order: (order) => swapOrderUnit(deps, order, callerId, body.skuId),
    }),
  },
}));
