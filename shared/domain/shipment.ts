/**
 * The merchant's fulfillment callbacks (shipped, delivered) applied to an accepted gift. Pure, like every
 * transition: one compare-and-set writes the progress together with the event id that caused it, so a
 * replayed event is recognised and refused.
 */
import { AppError } from './errors';
import type { Shipment } from './gift';

export interface ShipmentEvent {
  eventId: string;
  type: 'shipped' | 'delivered';
  occurredAt: string;
  carrier?: string | undefined;
  trackingNumber?: string | undefined;
}

const KEEP_EVENT_IDS = 50;

/** What a shipment is recorded on: a 1:1 gift, or one unit of a group order (group-units.ts). */
interface Shippable {
  version: number;
  updatedAt: string;
  status: string;
  shipment?: Shipment | null;
  merchantEventIds?: string[];
}

export function recordShipmentEvent<D extends Shippable>(gift: D, event: ShipmentEvent, now: string): D {
  if ((gift.merchantEventIds ?? []).includes(event.eventId))
    throw new AppError('WEBHOOK_REPLAYED', `event ${event.eventId} was already applied`);
  if (gift.status !== 'accepted') throw new AppError('GIFT_NOT_ACCEPTED', 'only an accepted gift can ship');
  const before: Shipment = gift.shipment ?? { status: 'shipped', carrier: null, trackingNumber: null, shippedAt: null, deliveredAt: null };
  const shipment: Shipment = {
    // Events may arrive out of order: delivered never goes back to shipped.
    status: before.status === 'delivered' || event.type === 'delivered' ? 'delivered' : 'shipped',
    carrier: event.carrier ?? before.carrier,
    trackingNumber: event.trackingNumber ?? before.trackingNumber,
    shippedAt: event.type === 'shipped' ? event.occurredAt : before.shippedAt,
    deliveredAt: event.type === 'delivered' ? event.occurredAt : before.deliveredAt,
  };
  return {
    ...gift,
    version: gift.version + 1,
    updatedAt: now,
    shipment,
    merchantEventIds: [...(gift.merchantEventIds ?? []), event.eventId].slice(-KEEP_EVENT_IDS),
  };
}
