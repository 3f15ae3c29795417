import * as z from 'zod';
import type { Clock } from '../../shared/ports/clock';
import type { NotifySender } from './notify-sender';
import type { PayOrders } from './pay-orders';
import { NotifyUrl } from './pay-orders';
import { type Answer, canonicalJson, ok, paramError, payError } from './standin-answer';
import type { Faults, RefundOutcome } from './standin-faults';
import { beijingTime, randomDigits } from './standin-identity';
import type { StandinTimers } from './standin-timers';

const MAX_REFUNDS_PER_ORDER = 50;

export const RefundRequest = z
  .object({
    transaction_id: z.string().min(1).max(32).optional(),
    out_trade_no: z.string().min(1).max(32).optional(),
    out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/, 'out_refund_no is 1–64 of [0-9A-Za-z_-|*@]'),
    reason: z.string().max(80).optional(),
    notify_url: NotifyUrl.optional(),
    funds_account: z.literal('AVAILABLE').optional(),
    amount: z.object({
      refund: z.number().int().min(1),
      total: z.number().int().min(1),
      currency: z.literal('CNY'),
      from: z.array(z.unknown()).optional(),
    }),
    goods_detail: z.array(z.unknown()).optional(),
  })
  .refine((r) => r.transaction_id !== undefined || r.out_trade_no !== undefined, {
    message: 'transaction_id or out_trade_no is required',
    path: ['out_trade_no'],
  });
export type RefundRequest = z.output<typeof RefundRequest>;

export type RefundStatus = 'PROCESSING' | RefundOutcome;

export interface RefundRecord {
  request: RefundRequest;
  fingerprint: string;
  refundId: string;
  outRefundNo: string;
  outTradeNo: string;
  transactionId: string;
  createdAtMs: number;
  createTime: string;
  status: RefundStatus;
  successTime: string | null;
}

const EVENT: Record<RefundOutcome, { eventType: string; summary: string }> = {
  SUCCESS: { eventType: 'REFUND.SUCCESS', summary: '退款成功' },
  ABNORMAL: { eventType: 'REFUND.ABNORMAL', summary: '退款异常' },
  CLOSED: { eventType: 'REFUND.CLOSED', summary: '退款关闭' },
};

/**
 * Refunds: accepted as PROCESSING (acceptance is all the answer means, facts §6), settled `settleMs` later as SUCCESS
 * or an injected ABNORMAL / CLOSED, then notified. An out_refund_no refunds at most once: the same request again
 * answers the refund as it stands.
 */
export class PayRefunds {
  readonly byOutRefundNo = new Map<string, RefundRecord>();

  constructor(
    private readonly deps: {
      clock: Clock;
      orders: PayOrders;
      notify: NotifySender;
      faults: Faults;
      timers: StandinTimers;
      settleMs: number;
      spacingSeconds: number;
    },
  ) {}

  create(body: unknown): Answer {
    const parsed = RefundRequest.safeParse(body);
    if (!parsed.success) return paramError(parsed.error);
    const req = parsed.data;
    const fingerprint = canonicalJson(req);
    const existing = this.byOutRefundNo.get(req.out_refund_no);
    if (existing) {
      return existing.fingerprint === fingerprint
        ? ok(this.view(existing))
        : payError(400, 'INVALID_REQUEST', '同一out_refund_no的退款参数与原退款单不一致');
    }
    const { orders } = this.deps;
    const order = req.transaction_id ? orders.findByTransactionId(req.transaction_id) : orders.find(req.out_trade_no!);
    if (!order || (req.out_trade_no && order.request.out_trade_no !== req.out_trade_no))
      return payError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    if (order.transactionId === null) return payError(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    if (req.amount.total !== order.request.amount.total) return payError(400, 'INVALID_REQUEST', '订单金额total与原订单金额不一致');
    const siblings = [...this.byOutRefundNo.values()].filter((r) => r.outTradeNo === order.request.out_trade_no);
    const committed = siblings.filter((r) => r.status !== 'CLOSED').reduce((sum, r) => sum + r.request.amount.refund, 0);
    if (committed + req.amount.refund > req.amount.total) return payError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    if (siblings.length >= MAX_REFUNDS_PER_ORDER) return payError(400, 'INVALID_REQUEST', '部分退款次数超过50次');
    const now = this.deps.clock.now();
    const latest = Math.max(...siblings.map((r) => r.createdAtMs));
    if (now.getTime() - latest < this.deps.spacingSeconds * 1000)
      return payError(429, 'FREQUENCY_LIMITED', '同一笔订单多次退款的请求需相隔1分钟');
    const refund: RefundRecord = {
      request: req,
      fingerprint,
      refundId: `50${randomDigits(27)}`,
      outRefundNo: req.out_refund_no,
      outTradeNo: order.request.out_trade_no,
      transactionId: order.transactionId,
      createdAtMs: now.getTime(),
      createTime: beijingTime(now),
      status: 'PROCESSING',
      successTime: null,
    };
    this.byOutRefundNo.set(refund.outRefundNo, refund);
    order.tradeState = 'REFUND';
    const outcome = this.deps.faults.takeRefundOutcome();
    this.deps.timers.track(this.deps.timers.sleep(this.deps.settleMs).then(() => this.settle(refund.outRefundNo, outcome)));
    return ok(this.view(refund));
  }

  query(outRefundNo: string): Answer {
    const refund = this.byOutRefundNo.get(outRefundNo);
    return refund ? ok(this.view(refund)) : payError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  }

  /** Ends a PROCESSING refund now (the timer then finds nothing to do) and notifies its notify_url, if any. */
  settle(outRefundNo: string, outcome: RefundOutcome = 'SUCCESS'): RefundRecord | undefined {
    const refund = this.byOutRefundNo.get(outRefundNo);
    if (refund?.status !== 'PROCESSING' || this.deps.timers.isClosed) return refund;
    refund.status = outcome;
    if (outcome === 'SUCCESS') refund.successTime = beijingTime(this.deps.clock.now());
    if (refund.request.notify_url) {
      this.deps.notify.send({
        ...EVENT[outcome],
        originalType: 'refund',
        plaintext: this.notifyView(refund),
        url: refund.request.notify_url,
      });
    }
    return refund;
  }

  /** The refund as the API answers it. */
  view(refund: RefundRecord): Record<string, unknown> {
    const { refund: amount, total } = refund.request.amount;
    return {
      refund_id: refund.refundId,
      out_refund_no: refund.outRefundNo,
      transaction_id: refund.transactionId,
      out_trade_no: refund.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(refund.successTime ? { success_time: refund.successTime } : {}),
      create_time: refund.createTime,
      status: refund.status,
      funds_account: 'AVAILABLE',
      amount: {
        total,
        refund: amount,
        from: [],
        payer_total: total,
        payer_refund: amount,
        settlement_refund: amount,
        settlement_total: total,
        discount_refund: 0,
        currency: 'CNY',
        refund_fee: 0,
      },
      promotion_detail: [],
    };
  }

  /** The REFUND.* plaintext (facts §6). */
  private notifyView(refund: RefundRecord): Record<string, unknown> {
    const { refund: amount, total } = refund.request.amount;
    return {
      mchid: this.deps.orders.find(refund.outTradeNo)?.request.mchid,
      out_trade_no: refund.outTradeNo,
      transaction_id: refund.transactionId,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_status: refund.status,
      ...(refund.successTime ? { success_time: refund.successTime } : {}),
      user_received_account: '支付用户零钱',
      amount: { total, refund: amount, payer_total: total, payer_refund: amount },
    };
  }
}
