import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { viewClaim } from '../../shared/use-cases/view-claim';

/** GET /claims/:token: the gift card behind a claim link, without any price. */
export default route(contract.viewClaim, async ({ deps, callerId, params }) => ({
  body: { gift: await viewClaim(deps, callerId, params.token) },
}));
