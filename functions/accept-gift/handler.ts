import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { runUnitCommand } from '../../shared/use-cases/group-claims';
import { claimLinkCard } from '../../shared/use-cases/view-claim';

/**
 * POST /claims/:token/accept (收下礼物): records the fulfillment handoff (a group order: of the caller's unit). An
 * address in the body is set by the same write.
 */
export default route(contract.acceptGift, async ({ deps, callerId, params, body: { address } }) => ({
  body: {
    gift: await claimLinkCard(deps, callerId, params.token, {
      gift: (found) => acceptGift(deps, callerId, params.token, { address, known: found }),
      order: (order) => runUnitCommand(deps, order, callerId, { kind: 'accept', address }),
    }),
  },
}));
