import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { giverGiftWithLink } from '../../shared/use-cases/giver-gift';
import { loadGiverGiftReconciled } from '../../shared/use-cases/load-giver-gift';

/** GET /gifts/:id: the giver's view (progress, the live link; never the recipient's address). */
export default route(contract.getGift, async ({ deps, callerId, params }) => ({
  body: { gift: await giverGiftWithLink(deps, await loadGiverGiftReconciled(deps, callerId, params.id)) },
}));
