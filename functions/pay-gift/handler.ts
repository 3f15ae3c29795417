import { giverView } from '../../shared/domain/gift-views';
import { iso } from '../../shared/domain/time';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { payGift } from '../../shared/use-cases/pay-gift';

/** POST /gifts/:id/pay: pays with the giver's payment provider and sends the gift; the claim token is in this answer only. */
export default route(contract.payGift, async ({ deps, callerId, params }) => {
  const { gift, claimToken } = await payGift(deps, callerId, params.id);
  return { body: { gift: { ...giverView(gift, iso(deps.clock.now())), claimToken } } };
});
