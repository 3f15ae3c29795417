import * as z from 'zod';
import { GiftId } from './common';

/** POST /merchant/fulfillment-events: what the merchant's warehouse reports, signed like our own webhooks. */
export const FulfillmentEventBody = z.strictObject({
  eventId: z.string().min(1).max(100),
  giftId: GiftId,
  type: z.enum(['shipped', 'delivered']),
  occurredAt: z.iso.datetime(),
  carrier: z.string().min(1).max(50).optional(),
  trackingNumber: z.string().min(1).max(50).optional(),
});
export type FulfillmentEventBody = z.infer<typeof FulfillmentEventBody>;
