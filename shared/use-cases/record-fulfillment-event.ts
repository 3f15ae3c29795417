import type { Gift } from '../domain/gift';
import { recordShipmentEvent, type ShipmentEvent } from '../domain/shipment';
import type { Deps } from '../ports/deps';
import { updateGift } from './update-gift';

/**
 * Applies a merchant's shipped/delivered callback to the gift (already authenticated by its signature).
 * The event id is written in the same compare-and-set, so a replay within the signature window is refused.
 */
export async function recordFulfillmentEvent(deps: Deps, giftId: string, event: ShipmentEvent): Promise<Gift> {
  const gift = await updateGift(deps, giftId, (g, now) => recordShipmentEvent(g, event, now));
  deps.logger.info({ giftId, eventId: event.eventId, type: event.type }, 'fulfillment event recorded');
  return gift;
}
