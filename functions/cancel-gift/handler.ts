import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { cancelGift } from '../../shared/use-cases/cancel-gift';
import { giverGiftWithLink } from '../../shared/use-cases/giver-gift';

/** POST /gifts/:id/cancel: the giver cancels a gift not paid for (the order is closed; a racing payment is refunded). */
export default route(contract.cancelGift, async ({ deps, callerId, params }) => ({
  body: { gift: await giverGiftWithLink(deps, await cancelGift(deps, callerId, params.id)) },
}));
