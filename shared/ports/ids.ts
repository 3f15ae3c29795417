export interface IdGenerator {
  /** A new gift id: `g_` + 20 URL-safe characters (it doubles as the payment's out_trade_no: ≤ 32 characters). */
  giftId(): string;
}
