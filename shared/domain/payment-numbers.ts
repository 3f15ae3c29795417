/**
 * The numbers money moves under, derived from the gift so every retry (and every crash-recovered attempt) reuses
 * them: WeChat Pay opens one order per out_trade_no and refunds at most once per out_refund_no.
 */
import { GIFT_ID_PATTERN } from './gift';

/** out_trade_no: 6–32 of 数字、大小写字母_-* (facts §3). Gift ids are made to fit. */
const ORDER_NO = /^[A-Za-z0-9_-]{6,32}$/;

/** The gift's order number: its id, so a notification leads straight back to the gift by key. */
export function orderNoOf(giftId: string): string {
  if (!ORDER_NO.test(giftId)) throw new Error(`gift id ${giftId} cannot be an out_trade_no (6–32 of A-Z a-z 0-9 _ -)`);
  return giftId;
}

/** The gift an order number belongs to, or null when it cannot be one of ours. */
export const giftIdOfOrderNo = (orderNo: string): string | null =>
  ORDER_NO.test(orderNo) && GIFT_ID_PATTERN.test(orderNo) ? orderNo : null;

/** out_refund_no (≤ 64 of 0-9 A-Z a-z _ - | * @): the gift id and the refund effect's id, e.g. `g_8Xk…-refund`. */
export const refundNoOf = (giftId: string, effectId: string): string => `${giftId}-${effectId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
