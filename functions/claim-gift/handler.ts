import { claimCard } from '../../shared/http/claim-card';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { claimGift } from '../../shared/use-cases/claim-gift';

/** POST /claims/:token/claim: the first claimer becomes the one recipient. */
export const claimGiftRoute = route(contract.claimGift, async ({ deps, callerId, params }) => claimCard(deps, await claimGift(deps, callerId, params.token!), callerId));
