import { listProductsRoute } from './handlers/catalog-routes';
import { devFulfillmentsRoute, devLoginRoute, devNotificationsRoute, devRefundsRoute, devSweepRoute } from './handlers/dev-routes';
import { createGiftRoute, getGiftRoute, listGiftsRoute, payGiftRoute, reissueClaimLinkRoute } from './handlers/giver-routes';
import { acceptGiftRoute, claimGiftRoute, declineGiftRoute, setAddressRoute, swapVariantRoute, viewClaimRoute } from './handlers/recipient-routes';
import type { Route } from './route';

/** The public API, as every deploy serves it. */
export const API_ROUTES: readonly Route[] = [
  listProductsRoute,
  createGiftRoute,
  payGiftRoute,
  reissueClaimLinkRoute,
  getGiftRoute,
  listGiftsRoute,
  viewClaimRoute,
  claimGiftRoute,
  setAddressRoute,
  swapVariantRoute,
  acceptGiftRoute,
  declineGiftRoute,
];

/** Local mode only. */
export const DEV_ROUTES: readonly Route[] = [devLoginRoute, devFulfillmentsRoute, devRefundsRoute, devNotificationsRoute, devSweepRoute];
