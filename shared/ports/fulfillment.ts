import type { Address } from '../domain/gift';

/** What the merchant's fulfillment receives once a gift is accepted (field names follow the open-API vocabulary where one exists). */
export interface FulfillmentHandoff {
  giftId: string;
  is_present: true;
  present_giver_openid: string;
  /** For gift orders the order's openid is the recipient. */
  openid: string;
  present_note: string | null;
  productId: string;
  skuId: string;
  originalSkuId: string;
  skuAttrs: Record<string, string>;
  priceFen: number;
  paymentId: string | null;
  address: Address;
  acceptedAt: string;
}

export interface Fulfillment {
  /** Must be safe to call again with the same idempotencyKey: the receiver keeps the first and acknowledges repeats. */
  handOff(req: { idempotencyKey: string; handoff: FulfillmentHandoff }): Promise<{ reference: string | null }>;
}
