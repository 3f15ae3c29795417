/** The giver's payment provider. Both calls are idempotent on idempotencyKey, as WeChat Pay's out_trade_no / out_refund_no are. */
export interface PaymentGateway {
  charge(req: { idempotencyKey: string; giftId: string; payerId: string; amountFen: number; description: string }): Promise<{ paymentId: string }>;
  /**
   * Refunds to the original payment. With paymentId null (gift canceled before the payment was recorded),
   * refunds whatever charge `chargeIdempotencyKey` captured, or reports there was none.
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

export const chargeIdempotencyKey = (giftId: string) => `songli:${giftId}:charge`;
