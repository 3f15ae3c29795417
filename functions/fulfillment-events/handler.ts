import { giverView } from '../../shared/domain/gift-views';
import { iso } from '../../shared/domain/time';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { recordFulfillmentEvent } from '../../shared/use-cases/record-fulfillment-event';

/** POST /merchant/fulfillment-events: the merchant reports shipped/delivered (signature-checked by the edge). */
export default route(contract.fulfillmentEvent, async ({ deps, body }) => {
  const { giftId, ...event } = body;
  const gift = await recordFulfillmentEvent(deps, giftId, event);
  const view = giverView(gift, iso(deps.clock.now()));
  return { body: { giftId: gift.id, status: view.status, shipment: view.shipment } };
});
