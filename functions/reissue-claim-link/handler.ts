import { giverView } from '../../shared/domain/gift-views';
import { iso } from '../../shared/domain/time';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { reissueClaimLink } from '../../shared/use-cases/reissue-claim-link';

/** POST /gifts/:id/claim-link: a new claim link for a lost one, while nobody has claimed the gift. */
export default route(contract.reissueClaimLink, async ({ deps, callerId, params }) => {
  const { gift, claimToken } = await reissueClaimLink(deps, callerId, params.id);
  return { body: { gift: { ...giverView(gift, iso(deps.clock.now())), claimToken } } };
});
