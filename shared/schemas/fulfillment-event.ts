import * as z from 'zod/mini';
import { GiftId } from './common';

/** POST /merchant/fulfillment-events: what the merchant's warehouse reports, signed like our own webhooks. */
export const FulfillmentEventBody = z.strictObject({
  eventId: z.string().check(z.minLength(1), z.maxLength(100)),
  giftId: GiftId,
  type: z.enum(['shipped', 'delivered']),
  occurredAt: z.iso.datetime(),
  carrier: z.optional(z.string().check(z.minLength(1), z.maxLength(50))),
  trackingNumber: z.optional(z.string().check(z.minLength(1), z.maxLength(50))),
});
export type FulfillmentEventBody = z.infer<typeof FulfillmentEventBody>;
