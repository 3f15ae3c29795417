/** Every deployable function: the local server serves and schedules them all in one process; CloudBase's http-api serves API_ROUTES. */
import { acceptGiftRoute } from '../functions/accept-gift/handler';
import { claimGiftRoute } from '../functions/claim-gift/handler';
import { createGiftRoute } from '../functions/create-gift/handler';
import { declineGiftRoute } from '../functions/decline-gift/handler';
import { fulfillmentEventRoute } from '../functions/fulfillment-events/handler';
import { dispatchHandoffsJob } from '../functions/dispatch-handoffs/handler';
import { dispatchNotificationsJob } from '../functions/dispatch-notifications/handler';
import { dispatchRefundsJob } from '../functions/dispatch-refunds/handler';
import { getGiftRoute } from '../functions/get-gift/handler';
import { listGiftsRoute } from '../functions/list-gifts/handler';
import { listProductsRoute } from '../functions/list-products/handler';
import { payGiftRoute } from '../functions/pay-gift/handler';
import { reissueClaimLinkRoute } from '../functions/reissue-claim-link/handler';
import { setAddressRoute } from '../functions/set-address/handler';
import { swapVariantRoute } from '../functions/swap-variant/handler';
import { sweepGiftsJob } from '../functions/sweep-gifts/handler';
import { viewClaimRoute } from '../functions/view-claim/handler';
import type { Route } from '../shared/http/route';
import type { Job } from '../shared/jobs/job';

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
  fulfillmentEventRoute,
];

/** Dispatchers run after the sweep so the effects it records go out in the same pass. */
export const SWEEP_JOB = sweepGiftsJob;
export const DISPATCH_JOBS: readonly Job[] = [dispatchHandoffsJob, dispatchRefundsJob, dispatchNotificationsJob];
