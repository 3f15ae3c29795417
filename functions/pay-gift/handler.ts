import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { giverGiftWithLink } from '../../shared/use-cases/giver-gift';
import { payGift } from '../../shared/use-cases/pay-gift';

/** POST /gifts/:id/pay: opens the payment order; wx.requestPayment's arguments, or (dev provider) the gift sent at once. */
export default route(contract.payGift, async ({ deps, callerId, params }) => {
  const { gift, payment } = await payGift(deps, callerId, params.id);
  return { body: { gift: await giverGiftWithLink(deps, gift), payment } };
});
