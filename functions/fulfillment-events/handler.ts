import * as contract from '../../shared/http/contract';
import { signedRoute } from '../../shared/http/signed-route';
import { recordFulfillmentEvent } from '../../shared/use-cases/record-fulfillment-event';

/**
 * POST /merchant/fulfillment-events: the merchant reports shipped/delivered (signature-checked by the edge) for a gift,
 * or for one unit of a group order (the handoff's giftId).
 */
export default signedRoute(contract.fulfillmentEvent, async ({ deps, body }) => {
  const { giftId, ...event } = body;
  return { body: await recordFulfillmentEvent(deps, giftId, event) };
});
