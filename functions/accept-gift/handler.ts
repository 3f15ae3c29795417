import { claimCard } from '../../shared/http/claim-card';
import { operations } from '../../shared/http/operations';
import { route } from '../../shared/http/route';
import { acceptGift } from '../../shared/use-cases/accept-gift';

/** POST /claims/:token/accept (收下礼物): records the fulfillment handoff. */
export const acceptGiftRoute = route(operations.acceptGift, async ({ deps, callerId, params }) => claimCard(deps, await acceptGift(deps, callerId, params.token!), callerId));
