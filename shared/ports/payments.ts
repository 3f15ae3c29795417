/** The giver's payment provider. Both calls are idempotent on idempotencyKey, as WeChat Pay's out_trade_no / out_refund_no are. */
export interface PaymentGateway {
  charge(req: {
    idempotencyKey: string;
    giftId: string;
    payerId: string;
    amountFen: number;
    description: string;
  }): Promise<{ paymentId: string }>;
  /**
   * Refunds to the original payment. With paymentId null (gift canceled before the payment was recorded),
   * refunds whatever charge `chargeIdempotencyKey` captured; when it captured nothing, the provider closes
   * that order (WeChat Pay's closeorder) so a charge still in flight is refused, and reports nothing_to_refund.
   * Closing and charging the same key are atomic at the provider: the money is either refunded or never taken.
   */
  refund(req: {
    idempotencyKey: string;
    giftId: string;
    paymentId: string | null;
    chargeIdempotencyKey: string;
    amountFen: number;
    reason: string;
  }): Promise<{ outcome: 'refunded' | 'nothing_to_refund'; refundId: string | null }>;
}

/** The provider refused a charge because its order was closed (the gift was canceled first). */
export class ChargeRefusedError extends Error {
  constructor(readonly giftId: string) {
    super(`the payment order of gift ${giftId} is closed`);
    this.name = 'ChargeRefusedError';
  }
}

export const chargeIdempotencyKey = (giftId: string) => `songli:${giftId}:charge`;
