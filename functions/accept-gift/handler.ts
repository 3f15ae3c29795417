import { claimCard } from '../../shared/http/claim-card';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { acceptGift } from '../../shared/use-cases/accept-gift';

/** POST /claims/:token/accept (收下礼物): records the fulfillment handoff. */
export const acceptGiftRoute = route(contract.acceptGift, async ({ deps, callerId, params }) => claimCard(deps, await acceptGift(deps, callerId, params.token!), callerId));
