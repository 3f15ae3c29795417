import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { declineGift } from '../../shared/use-cases/decline-gift';
import { runUnitCommand } from '../../shared/use-cases/group-claims';
import { claimLinkCard } from '../../shared/use-cases/view-claim';

/** POST /claims/:token/decline: records the refund to the giver (a group order: the caller's unit, in a refund batch). */
export default route(contract.declineGift, async ({ deps, callerId, params }) => ({
  body: {
    gift: await claimLinkCard(deps, callerId, params.token, {
      gift: (found) => declineGift(deps, callerId, params.token, found),
      order: (order) => runUnitCommand(deps, order, callerId, { kind: 'decline' }),
    }),
  },
}));
