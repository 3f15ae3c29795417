export interface IdGenerator {
  /** A new gift id. */
  giftId(): string;
  /** A claim-link secret: ≥ 128 random bits, URL-safe. */
  claimSecret(): string;
}
