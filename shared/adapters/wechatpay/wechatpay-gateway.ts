import { DependencyError } from '../../ports/dependency-error';
import { FinalDeliveryError } from '../../ports/final-delivery-error';
import {
  type OrderState,
  type PaymentGateway,
  type PaymentOrder,
  PaymentRefusedError,
  type Prepared,
  type RefundRequest,
  type RefundState,
} from '../../ports/payments';
import { WechatpayApiError, type WechatpayClient } from './wechatpay-client';
import { jsapiPayParams, nonce, type RsaKey } from './wechatpay-crypto';
import {
  beijingRfc3339,
  confirmedPaymentOf,
  PrepayAnswer,
  REFUND_STATUS,
  RefundAnswer,
  type Transaction,
  Transaction as TransactionSchema,
  utcOf,
} from './wechatpay-messages';

export interface WechatpayGatewayOptions {
  client: WechatpayClient;
  appId: string;
  mchid: string;
  merchantKey: RsaKey;
  /** Where payment and refund notifications go (WECHATPAY_NOTIFY_URL); read at each call (local: known once listening). */
  notifyUrl: () => string;
  now: () => Date;
}

/** What the payer's refund record says (≤ 80 characters). */
const REFUND_REASON_TEXT: Record<RefundRequest['reason'], string> = {
  declined: '好友未收下礼物，退回送礼人',
  expired: '礼物24小时内未被收下，自动退款',
  canceled: '礼物订单已取消',
};

/** Refund errors no retry can fix (facts §6): the refund effect fails at once, for an operator. */
const FINAL_REFUND_CODES = new Set(['NOT_ENOUGH', 'USER_ACCOUNT_ABNORMAL', 'INVALID_REQUEST', 'PARAM_ERROR', 'RESOURCE_NOT_EXISTS']);

function unusable(what: string, error: unknown): DependencyError {
  return new DependencyError('wechatpay', `${what}: unexpected answer`, { cause: error });
}

/**
 * WeChat Pay API v3, JSAPI (mini program) payments: orders keyed by out_trade_no, refunds by out_refund_no, both
 * derived from the gift by the caller, so every retry sends the same request and WeChat Pay answers for the same
 * order or refund. Errors: WeChat's SYSTEM_ERROR, rate limits, timeouts and unverifiable answers are DependencyErrors
 * (retried); refusals no retry can change are PaymentRefusedError (orders) or FinalDeliveryError (refunds).
 */
export class WechatpayGateway implements PaymentGateway {
  readonly provider = 'wechatpay';
  readonly chargesOnPrepare = false;

  constructor(private readonly o: WechatpayGatewayOptions) {}

  async prepare(order: PaymentOrder): Promise<Prepared> {
    const request = {
      appid: this.o.appId,
      mchid: this.o.mchid,
      description: order.description.slice(0, 127),
      out_trade_no: order.orderNo,
      time_expire: beijingRfc3339(order.expiresAt),
      notify_url: this.o.notifyUrl(),
      amount: { total: order.amountFen, currency: 'CNY' },
      payer: { openid: order.payerId },
    };
    let prepayId: string;
    try {
      const answer = await this.o.client.call('POST', '/v3/pay/transactions/jsapi', request);
      const parsed = PrepayAnswer.safeParse(answer.body);
      if (!parsed.success) throw unusable('jsapi order', parsed.error);
      prepayId = parsed.data.prepay_id;
    } catch (e) {
      if (e instanceof WechatpayApiError && (e.code === 'ORDER_CLOSED' || e.code === 'ORDER_PAID')) {
        throw new PaymentRefusedError(e.code, e.message, { cause: e });
      }
      throw this.retriable('jsapi order', e);
    }
    // Fresh timeStamp and nonceStr each time: wx.requestPayment checks the signature, not their age.
    const payParams = {
      appId: this.o.appId,
      ...jsapiPayParams({
        appId: this.o.appId,
        prepayId,
        privateKeyPem: this.o.merchantKey,
        timeStamp: String(Math.floor(this.o.now().getTime() / 1000)),
        nonceStr: nonce(32),
      }),
    };
    return { kind: 'confirm', payParams };
  }

  async query(orderNo: string): Promise<OrderState> {
    let tx: Transaction;
    try {
      const answer = await this.o.client.call(
        'GET',
        `/v3/pay/transactions/out-trade-no/${encodeURIComponent(orderNo)}?mchid=${encodeURIComponent(this.o.mchid)}`,
      );
      const parsed = TransactionSchema.safeParse(answer.body);
      if (!parsed.success) throw unusable('order query', parsed.error);
      tx = parsed.data;
    } catch (e) {
      if (e instanceof WechatpayApiError && e.code === 'ORDER_NOT_EXIST') return { state: 'unpaid' };
      throw this.retriable('order query', e);
    }
    if (tx.out_trade_no !== orderNo || tx.mchid !== this.o.mchid || tx.appid !== this.o.appId) {
      throw new DependencyError('wechatpay', `order query for ${orderNo} answered about another order or merchant`);
    }
    if ((tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND') && tx.transaction_id) {
      return { state: 'paid', payment: confirmedPaymentOf(tx, this.o.now()) };
    }
    if (tx.trade_state === 'CLOSED' || tx.trade_state === 'REVOKED') return { state: 'closed' };
    return { state: 'unpaid' };
  }

  /** A close that does not answer 204 is followed by a query, and the answer is what the query says (facts §5). */
  async close(orderNo: string): Promise<'closed' | 'paid'> {
    let closeError: unknown = null;
    try {
      await this.o.client.call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(orderNo)}/close`, { mchid: this.o.mchid });
      return 'closed';
    } catch (e) {
      closeError = e;
    }
    const state = await this.query(orderNo);
    if (state.state === 'paid') return 'paid';
    if (state.state === 'closed') return 'closed';
    // Never opened: nothing can be paid under it once the gift is canceled (pay refuses a canceled gift first).
    if (closeError instanceof WechatpayApiError && closeError.code === 'ORDER_NOT_EXIST') return 'closed';
    throw this.retriable('close order', closeError);
  }

  async refund(req: RefundRequest): Promise<RefundState> {
    const body = {
      transaction_id: req.paymentId,
      out_refund_no: req.refundNo,
      reason: REFUND_REASON_TEXT[req.reason],
      notify_url: this.o.notifyUrl(),
      amount: { refund: req.refundFen, total: req.totalFen, currency: 'CNY' },
    };
    try {
      const answer = await this.o.client.call('POST', '/v3/refund/domestic/refunds', body);
      return this.refundState(answer.body, 'refund');
    } catch (e) {
      if (e instanceof WechatpayApiError && FINAL_REFUND_CODES.has(e.code)) throw new FinalDeliveryError(e.code, e.message, { cause: e });
      throw this.retriable('refund', e);
    }
  }

  async queryRefund(refundNo: string): Promise<RefundState | null> {
    try {
      const answer = await this.o.client.call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(refundNo)}`);
      return this.refundState(answer.body, 'refund query');
    } catch (e) {
      if (e instanceof WechatpayApiError && e.code === 'RESOURCE_NOT_EXISTS') return null;
      throw this.retriable('refund query', e);
    }
  }

  private refundState(body: unknown, what: string): RefundState {
    const parsed = RefundAnswer.safeParse(body);
    if (!parsed.success) throw unusable(what, parsed.error);
    const r = parsed.data;
    return {
      refundNo: r.out_refund_no,
      status: REFUND_STATUS[r.status],
      refundId: r.refund_id,
      amountFen: r.amount.refund,
      settledAt: r.status === 'SUCCESS' ? utcOf(r.success_time, this.o.now()) : null,
    };
  }

  /** WeChat's own failures (SYSTEM_ERROR, FREQUENCY_LIMITED, a 401 from a skewed clock, …) are retried later. */
  private retriable(what: string, e: unknown): Error {
    if (e instanceof DependencyError || e instanceof FinalDeliveryError || e instanceof PaymentRefusedError) return e;
    const detail = e instanceof WechatpayApiError ? `${e.status} ${e.code} ${e.message}` : String(e);
    return new DependencyError('wechatpay', `${what} failed: ${detail}`, { cause: e });
  }
}
