import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { runUnitCommand } from '../../shared/use-cases/group-claims';
import { setGiftAddress } from '../../shared/use-cases/set-address';
import { claimLinkCard } from '../../shared/use-cases/view-claim';

/** PUT /claims/:token/address (填写收货地址), validated against real region data; a group order: the caller's own unit. */
export default route(contract.setAddress, async ({ deps, callerId, params, body }) => ({
  body: {
    gift: await claimLinkCard(deps, callerId, params.token, {
      gift: (found) => setGiftAddress(deps, callerId, params.token, body, found),
      order: (order) => runUnitCommand(deps, order, callerId, { kind: 'address', address: body }),
    }),
  },
}));
