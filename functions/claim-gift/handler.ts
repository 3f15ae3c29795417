import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { claimOrderUnit } from '../../shared/use-cases/group-claims';
import { claimLinkCard } from '../../shared/use-cases/view-claim';

/** POST /claims/:token/claim: the first claimer becomes the one recipient; 群发礼物: one unit per person while units remain. */
export default route(contract.claimGift, async ({ deps, callerId, params }) => ({
  body: {
    gift: await claimLinkCard(deps, callerId, params.token, {
      gift: (found) => claimGift(deps, callerId, params.token, found),
      order: (order) => claimOrderUnit(deps, order, callerId),
    }),
  },
}));
