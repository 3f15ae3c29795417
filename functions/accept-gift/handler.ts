import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { claimCardFor } from '../../shared/use-cases/view-claim';

/** POST /claims/:token/accept (收下礼物): records the fulfillment handoff. */
export default route(contract.acceptGift, async ({ deps, callerId, params }) => ({
  body: { gift: await claimCardFor(deps, await acceptGift(deps, callerId, params.token), callerId) },
}));
