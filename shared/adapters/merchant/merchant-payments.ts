import * as z from 'zod';
import type { Clock } from '../../ports/clock';
import { ChargeRefusedError, type PaymentGateway } from '../../ports/payments';
import { MerchantCallError, signedRequest } from './signed-request';

const ChargeAnswer = z.object({ paymentId: z.string().min(1) });
const RefundAnswer = z.object({ outcome: z.enum(['refunded', 'nothing_to_refund']), refundId: z.string().nullable() });

/**
 * The merchant's payment service (which talks to WeChat Pay): POST {base}/payments/charges and
 * {base}/payments/refunds, signed, idempotent on the Idempotency-Key header like out_trade_no / out_refund_no.
 */
export class MerchantPayments implements PaymentGateway {
  constructor(private readonly opts: { baseUrl: string; secret: string; clock: Clock }) {}

  private post<S extends z.ZodType>(path: string, idempotencyKey: string, payload: unknown, schema: S): Promise<z.output<S>> {
    return signedRequest({
      method: 'POST',
      url: new URL(path, this.opts.baseUrl).href,
      secret: this.opts.secret,
      clock: this.opts.clock,
      idempotencyKey,
      payload,
    }).then((raw) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new MerchantCallError(`${path} answered an unexpected body`, 200);
      return parsed.data;
    });
  }

  /** 409 from the merchant means the order was closed by a cancel's refund: the charge is refused. */
  async charge(req: Parameters<PaymentGateway['charge']>[0]) {
    try {
      return await this.post('payments/charges', req.idempotencyKey, req, ChargeAnswer);
    } catch (e) {
      if (e instanceof MerchantCallError && e.status === 409) throw new ChargeRefusedError(req.giftId);
      throw e;
    }
  }

  refund(req: Parameters<PaymentGateway['refund']>[0]) {
    return this.post('payments/refunds', req.idempotencyKey, req, RefundAnswer);
  }
}
