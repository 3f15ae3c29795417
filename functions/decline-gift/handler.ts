import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { declineGift } from '../../shared/use-cases/decline-gift';
import { claimCardFor } from '../../shared/use-cases/view-claim';

/** POST /claims/:token/decline: records the refund to the giver. */
export default route(contract.declineGift, async ({ deps, callerId, params }) => ({
  body: { gift: await claimCardFor(deps, await declineGift(deps, callerId, params.token), callerId) },
}));
