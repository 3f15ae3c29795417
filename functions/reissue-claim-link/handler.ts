import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { giverGiftWithLink } from '../../shared/use-cases/giver-gift';
import { reissueClaimLink } from '../../shared/use-cases/reissue-claim-link';

/** POST /gifts/:id/claim-link: a new claim link replacing the old one, while nobody has claimed the gift. */
export default route(contract.reissueClaimLink, async ({ deps, callerId, params }) => ({
  body: { gift: await giverGiftWithLink(deps, await reissueClaimLink(deps, callerId, params.id)) },
}));
