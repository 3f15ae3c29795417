import { claimCard } from '../../shared/http/claim-card';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { declineGift } from '../../shared/use-cases/decline-gift';

/** POST /claims/:token/decline: records the refund to the giver. */
export const declineGiftRoute = route(contract.declineGift, async ({ deps, callerId, params }) => claimCard(deps, await declineGift(deps, callerId, params.token!), callerId));
