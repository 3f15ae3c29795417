import { claimCard } from '../../shared/http/claim-card';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { setGiftAddress } from '../../shared/use-cases/set-address';

/** PUT /claims/:token/address (填写收货地址), validated against real region data. */
export const setAddressRoute = route(contract.setAddress, async ({ deps, callerId, params, body }) => claimCard(deps, await setGiftAddress(deps, callerId, params.token!, body), callerId));
