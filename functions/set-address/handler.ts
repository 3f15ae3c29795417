import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { setGiftAddress } from '../../shared/use-cases/set-address';
import { claimCardFor } from '../../shared/use-cases/view-claim';

/** PUT /claims/:token/address (填写收货地址), validated against real region data. */
export default route(contract.setAddress, async ({ deps, callerId, params, body }) => ({
  body: { gift: await claimCardFor(deps, await setGiftAddress(deps, callerId, params.token, body), callerId) },
}));
