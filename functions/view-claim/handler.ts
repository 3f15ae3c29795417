import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { viewClaim } from '../../shared/use-cases/view-claim';

/** GET /claims/:token: the gift card behind a claim link, without any price (at once when it is at hand). */
export default route(contract.viewClaim, ({ deps, callerId, params }) => {
  const gift = viewClaim(deps, callerId, params.token);
  return gift instanceof Promise ? gift.then((card) => ({ body: { gift: card } })) : { body: { gift } };
});
