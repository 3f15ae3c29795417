import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { paySignMessage, verify } from '../../shared/adapters/wechatpay/wechatpay-crypto';
import type { Clock } from '../../shared/ports/clock';
import type { NotifySender } from './notify-sender';
import { type Answer, canonicalJson, ok, paramError, payError } from './standin-answer';
import { beijingTime, randomDigits, type StandinIdentity } from './standin-identity';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const PREPAY_VALID_MS = 2 * 3600_000;
const ORDER_DEFAULT_LIFETIME_MS = 7 * 24 * 3600_000;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** https without a query (facts §3); plain http only on loopback, the one way a local receiver can be reached. */
export const NotifyUrl = z
  .string()
  .max(256)
  .refine((value) => {
    try {
      const u = new URL(value);
      return (u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname))) && !u.search && !u.hash;
    } catch {
      return false;
    }
  }, 'notify_url must be an https URL without a query');

export const JsapiOrderRequest = z.object({
  appid: z.string().min(1).max(32),
  mchid: z.string().min(1).max(32),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(/^[0-9A-Za-z_*-]{6,32}$/, 'out_trade_no is 6–32 of [0-9A-Za-z_-*]'),
  time_expire: z
    .string()
    .regex(RFC3339, 'time_expire is RFC 3339, e.g. 2018-06-08T10:34:56+08:00')
    .refine((s) => !Number.isNaN(Date.parse(s)))
    .optional(),
  attach: z.string().max(128).optional(),
  notify_url: NotifyUrl,
  goods_tag: z.string().max(32).optional(),
  support_fapiao: z.boolean().optional(),
  amount: z.object({ total: z.number().int().min(1), currency: z.literal('CNY').optional() }),
  payer: z.object({ openid: z.string().min(1).max(128) }),
  detail: z.unknown().optional(),
  scene_info: z.unknown().optional(),
  settle_info: z.unknown().optional(),
});
export type JsapiOrderRequest = z.output<typeof JsapiOrderRequest>;

export type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';
const TRADE_STATE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  CLOSED: '订单已关闭',
  REFUND: '转入退款',
};

export interface OrderRecord {
  request: JsapiOrderRequest;
  fingerprint: string;
  prepayId: string;
  prepayIssuedAtMs: number;
  createdAtMs: number;
  tradeState: TradeState;
  transactionId: string | null;
  successTime: string | null;
}

/** The payer's side of wx.requestPayment: a prepay_id, or the full signed parameters (then paySign is verified). */
export const PayRequest = z.object({
  prepay_id: z.string().min(1).optional(),
  appId: z.string().optional(),
  timeStamp: z.string().optional(),
  nonceStr: z.string().optional(),
  package: z.string().optional(),
  signType: z.string().optional(),
  paySign: z.string().optional(),
  /** The WeChat user confirming; must be the order's payer.openid when given. */
  openid: z.string().optional(),
});

/** JSAPI orders: placing (idempotent per out_trade_no), querying, closing, and the payer confirming. */
export class PayOrders {
  readonly byOutTradeNo = new Map<string, OrderRecord>();
  private readonly byPrepayId = new Map<string, string>();

  constructor(private readonly deps: { identity: StandinIdentity; clock: Clock; notify: NotifySender }) {}

  create(body: unknown): Answer {
    const parsed = JsapiOrderRequest.safeParse(body);
    if (!parsed.success) return paramError(parsed.error);
    const req = parsed.data;
    const { identity } = this.deps;
    if (req.appid !== identity.appId || req.mchid !== identity.mchid) return payError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mchid不匹配');
    const now = this.nowMs();
    if (req.time_expire && Date.parse(req.time_expire) <= now) return payError(400, 'PARAM_ERROR', '参数错误: time_expire 早于当前时间');
    const fingerprint = canonicalJson(req);
    const existing = this.find(req.out_trade_no);
    if (existing) {
      if (existing.fingerprint !== fingerprint)
        return payError(400, 'INVALID_REQUEST', '201 商户订单号重复: 同一out_trade_no的参数与原订单不一致', 268498688);
      if (existing.tradeState === 'CLOSED') return payError(400, 'ORDER_CLOSED', '订单已关闭');
      if (existing.tradeState !== 'NOTPAY') return payError(400, 'ORDER_PAID', '订单已支付');
      // The same order asked again: the same prepay_id while it is valid (2 h, facts §3), then a fresh one.
      if (now - existing.prepayIssuedAtMs >= PREPAY_VALID_MS) this.issuePrepayId(existing, now);
      return ok({ prepay_id: existing.prepayId });
    }
    const order: OrderRecord = {
      request: req,
      fingerprint,
      prepayId: '',
      prepayIssuedAtMs: now,
      createdAtMs: now,
      tradeState: 'NOTPAY',
      transactionId: null,
      successTime: null,
    };
    this.issuePrepayId(order, now);
    this.byOutTradeNo.set(req.out_trade_no, order);
    return ok({ prepay_id: order.prepayId });
  }

  query(outTradeNo: string, mchid: string | null): Answer {
    if (!mchid) return payError(400, 'PARAM_ERROR', '参数错误: 缺少 mchid');
    const order = mchid === this.deps.identity.mchid ? this.find(outTradeNo) : undefined;
    return order ? ok(this.transactionView(order)) : payError(404, 'ORDER_NOT_EXIST', '订单不存在');
  }

  /** 204 and re-entrant; a paid order cannot be closed (it needs a refund). */
  close(outTradeNo: string, body: unknown): Answer {
    const parsed = z.object({ mchid: z.string().min(1) }).safeParse(body);
    if (!parsed.success) return paramError(parsed.error);
    const order = parsed.data.mchid === this.deps.identity.mchid ? this.find(outTradeNo) : undefined;
    if (!order) return payError(404, 'ORDER_NOT_EXIST', '订单不存在');
    if (order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND') return payError(400, 'ORDER_PAID', '订单已支付');
    order.tradeState = 'CLOSED';
    return { status: 204 };
  }

  /** The user confirming in WeChat: the order is paid and TRANSACTION.SUCCESS goes to its notify_url. */
  pay(body: unknown): Answer {
    const parsed = PayRequest.safeParse(body);
    if (!parsed.success) return paramError(parsed.error);
    const req = parsed.data;
    let prepayId = req.prepay_id;
    if (req.paySign !== undefined) {
      // A mini-program's wx.requestPayment takes no appId: WeChat knows which mini-program calls (JSAPI pages pass it).
      const { appId = this.deps.identity.appId, timeStamp, nonceStr, package: pkg, signType, paySign } = req;
      if (!timeStamp || !nonceStr || !pkg?.startsWith('prepay_id=') || signType !== 'RSA')
        return payError(400, 'PARAM_ERROR', 'wx.requestPayment needs timeStamp, nonceStr, package=prepay_id=…, signType RSA, paySign');
      if (appId !== this.deps.identity.appId)
        return payError(400, 'APPID_MCHID_NOT_MATCH', 'appId is not the mini-program of this merchant');
      if (!verify(this.deps.identity.merchant.publicKeyPem, paySignMessage(appId, timeStamp, nonceStr, pkg), paySign))
        return payError(400, 'SIGN_ERROR', 'paySign does not verify with the merchant key');
      prepayId = pkg.slice('prepay_id='.length);
    }
    if (!prepayId) return payError(400, 'PARAM_ERROR', 'prepay_id is required');
    const outTradeNo = this.byPrepayId.get(prepayId);
    const order = outTradeNo === undefined ? undefined : this.find(outTradeNo);
    if (!order) return payError(404, 'PREPAY_NOT_FOUND', 'no order has this prepay_id');
    if (order.tradeState === 'CLOSED') return payError(409, 'ORDER_CLOSED', '订单已关闭');
    if (order.tradeState !== 'NOTPAY') return payError(409, 'ORDER_PAID', '订单已支付');
    const now = this.nowMs();
    if (order.prepayId !== prepayId || now - order.prepayIssuedAtMs >= PREPAY_VALID_MS)
      return payError(400, 'PREPAY_EXPIRED', 'prepay_id is no longer valid (2 h)');
    if (req.openid && req.openid !== order.request.payer.openid) return payError(403, 'PAYER_MISMATCH', '支付用户与下单用户不一致');
    order.tradeState = 'SUCCESS';
    order.transactionId = `4200${randomDigits(24)}`;
    order.successTime = beijingTime(new Date(now));
    const notification = this.deps.notify.send({
      eventType: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      originalType: 'transaction',
      plaintext: this.transactionView(order),
      url: order.request.notify_url,
    });
    return ok({ out_trade_no: order.request.out_trade_no, transaction_id: order.transactionId, notification_id: notification.id });
  }

  /** An order by out_trade_no, closed first if its time ran out unpaid (time_expire, else 7 days). */
  find(outTradeNo: string): OrderRecord | undefined {
    const order = this.byOutTradeNo.get(outTradeNo);
    if (order?.tradeState === 'NOTPAY') {
      const deadline = order.request.time_expire ? Date.parse(order.request.time_expire) : order.createdAtMs + ORDER_DEFAULT_LIFETIME_MS;
      if (this.nowMs() >= deadline) order.tradeState = 'CLOSED';
    }
    return order;
  }

  findByPrepayId(prepayId: string): OrderRecord | undefined {
    const outTradeNo = this.byPrepayId.get(prepayId);
    return outTradeNo === undefined ? undefined : this.find(outTradeNo);
  }

  findByTransactionId(transactionId: string): OrderRecord | undefined {
    return [...this.byOutTradeNo.values()].find((o) => o.transactionId === transactionId);
  }

  /** The query answer and the TRANSACTION.SUCCESS plaintext (facts §4). */
  transactionView(order: OrderRecord): Record<string, unknown> {
    const { request: r } = order;
    const paid = order.transactionId !== null;
    return {
      appid: r.appid,
      mchid: r.mchid,
      out_trade_no: r.out_trade_no,
      ...(paid ? { transaction_id: order.transactionId, trade_type: 'JSAPI', bank_type: 'OTHERS' } : {}),
      trade_state: order.tradeState,
      trade_state_desc: TRADE_STATE_DESC[order.tradeState],
      attach: r.attach ?? '',
      ...(paid ? { success_time: order.successTime } : {}),
      payer: { openid: r.payer.openid },
      amount: paid
        ? { total: r.amount.total, payer_total: r.amount.total, currency: 'CNY', payer_currency: 'CNY' }
        : { total: r.amount.total, currency: 'CNY' },
    };
  }

  private issuePrepayId(order: OrderRecord, now: number): void {
    const stamp = beijingTime(new Date(now)).replace(/\D/g, '').slice(0, 14);
    order.prepayId = `wx${stamp}${randomBytes(10).toString('hex')}`;
    order.prepayIssuedAtMs = now;
    this.byPrepayId.set(order.prepayId, order.request.out_trade_no);
  }

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }
}
