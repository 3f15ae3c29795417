import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { claimCardFor } from '../../shared/use-cases/view-claim';

/** POST /claims/:token/claim: the first claimer becomes the one recipient. */
export default route(contract.claimGift, async ({ deps, callerId, params }) => ({
  body: { gift: await claimCardFor(deps, await claimGift(deps, callerId, params.token), callerId) },
}));
