import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { previewClaim } from '../../shared/use-cases/preview-claim';

/** GET /claims/:token/preview (no sign-in): the giver's name, the product's title, whether it is open; nothing private. */
export default route(contract.previewClaim, async ({ deps, params, clientAddress }) => ({
  body: { preview: await previewClaim(deps, await clientAddress(), params.token) },
}));
