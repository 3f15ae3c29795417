import type { Gift, GiftStatus, Shipment } from '../domain/gift';
import { effectiveStatus } from '../domain/gift-transitions';
import { parseUnitId } from '../domain/group-units';
import { recordShipmentEvent, type ShipmentEvent } from '../domain/shipment';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { updateGift, updateUnit } from './update-gift';

export interface FulfillmentEventResult {
  giftId: string;
  status: GiftStatus;
  shipment: Shipment | null;
}

/**
 * Applies a merchant's shipped/delivered callback (already authenticated by its signature) to what was handed off: a
 * 1:1 gift, or one unit of a group order (its handoff carried the unit id `<orderId>-u007` as giftId). The event id
 * is written in the same compare-and-set, so a replay within the signature window is refused.
 */
export async function recordFulfillmentEvent(deps: Deps, giftId: string, event: ShipmentEvent): Promise<FulfillmentEventResult> {
  const unitRef = parseUnitId(giftId);
  const unit = unitRef ? await deps.groupStore.getUnit(unitRef.orderId, unitRef.unitNo) : null;
  let result: FulfillmentEventResult;
  if (unit) {
    const after = await updateUnit(deps, unit.orderId, unit.unitNo, (u, now) => recordShipmentEvent(u, event, now), { current: unit });
    result = { giftId: after.id, status: after.status, shipment: after.shipment ?? null };
  } else {
    const gift: Gift = await updateGift(deps, giftId, (g, now) => recordShipmentEvent(g, event, now));
    result = { giftId: gift.id, status: effectiveStatus(gift, iso(deps.clock.now())), shipment: gift.shipment ?? null };
  }
  deps.logger.info({ giftId, eventId: event.eventId, type: event.type }, 'fulfillment event recorded');
  return result;
}
