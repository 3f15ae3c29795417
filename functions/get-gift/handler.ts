import { giverView } from '../../shared/domain/gift-views';
import { iso } from '../../shared/domain/time';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { loadGiverGift } from '../../shared/use-cases/load-giver-gift';

/** GET /gifts/:id: the giver's view (handoff and refund progress, never the recipient's address). */
export default route(contract.getGift, async ({ deps, callerId, params }) => {
  const gift = await loadGiverGift(deps, callerId, params.id);
  return { body: { gift: giverView(gift, iso(deps.clock.now())) } };
});
