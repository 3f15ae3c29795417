import * as z from 'zod';

/** Every WeChat endpoint the stand-in serves, as named in fault rules and call counts. */
export const ENDPOINTS = ['jsapi', 'query', 'close', 'refund', 'refund_query', 'jscode2session', 'stable_token', 'subscribe_send'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/**
 * What the next calls of an endpoint suffer. `processed` says whether the call still takes effect behind the fault
 * (an order created, a refund accepted): the case a client must survive by retrying with the same out_trade_no /
 * out_refund_no. Defaults: a SYSTEM_ERROR or an error code did nothing, a timeout did the work and lost the answer.
 */
export const CallFault = z.discriminatedUnion('kind', [
  /** Pay: 500 SYSTEM_ERROR; api.weixin.qq.com: errcode -1 "system error". */
  z.object({ kind: z.literal('system_error'), processed: z.boolean().default(false) }),
  /** Hang `ms` before answering (longer than the client waits, to make it time out). */
  z.object({ kind: z.literal('timeout'), ms: z.number().int().min(0).max(600_000), processed: z.boolean().default(true) }),
  /** Pay: an error answer, e.g. 403 NOT_ENOUGH, 403 USER_ACCOUNT_ABNORMAL, 429 FREQUENCY_LIMITED. */
  z.object({
    kind: z.literal('error'),
    status: z.number().int().min(400).max(599),
    code: z.string().min(1),
    message: z.string().default('injected by the stand-in'),
    processed: z.boolean().default(false),
  }),
  /** api.weixin.qq.com: an errcode answer, e.g. 45011 (rate limit), 40226 (high-risk user), -1 (busy). */
  z.object({ kind: z.literal('errcode'), errcode: z.number().int(), errmsg: z.string().optional() }),
  /** Pay: the answer is processed but its Wechatpay-Signature does not verify, or is a `WECHATPAY/SIGNTEST/` probe. */
  z.object({ kind: z.literal('bad_signature') }),
  z.object({ kind: z.literal('signtest') }),
]);
export type CallFault = z.output<typeof CallFault>;

/** What the next notifications suffer (optionally only payment or refund ones). */
export const NotifyFault = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0).max(600_000) }),
  /** Never sent: the receiver must find out by querying. */
  z.object({ kind: z.literal('lose') }),
  /** Delivered, then delivered again once acknowledged. */
  z.object({ kind: z.literal('duplicate') }),
  /** A probe goes first, signed badly / as `WECHATPAY/SIGNTEST/`, which the receiver must refuse; then the genuine one. */
  z.object({ kind: z.literal('bad_signature') }),
  z.object({ kind: z.literal('signtest') }),
]);
export type NotifyFault = z.output<typeof NotifyFault>;
export type NotifyFamily = 'TRANSACTION' | 'REFUND';

export type RefundOutcome = 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

/** The body of POST /standin/faults. */
export const FaultRule = z.discriminatedUnion('target', [
  z.object({ target: z.literal('call'), endpoint: z.enum(ENDPOINTS), times: z.number().int().min(1).default(1), fault: CallFault }),
  z.object({
    target: z.literal('notification'),
    event: z.enum(['TRANSACTION', 'REFUND']).optional(),
    times: z.number().int().min(1).default(1),
    fault: NotifyFault,
  }),
  z.object({ target: z.literal('refund_outcome'), status: z.enum(['ABNORMAL', 'CLOSED']), times: z.number().int().min(1).default(1) }),
]);
export type FaultRule = z.input<typeof FaultRule>;

/** Queues of injected faults, consumed in order, one per call / notification / refund. */
export class Faults {
  private calls = new Map<Endpoint, CallFault[]>();
  private notifications: Array<{ event: NotifyFamily | undefined; fault: NotifyFault }> = [];
  private refundOutcomes: RefundOutcome[] = [];

  add(input: FaultRule): void {
    const rule = FaultRule.parse(input);
    const repeat = <T>(item: T) => Array.from({ length: rule.times }, () => item);
    if (rule.target === 'call') this.calls.set(rule.endpoint, [...(this.calls.get(rule.endpoint) ?? []), ...repeat(rule.fault)]);
    else if (rule.target === 'notification') this.notifications.push(...repeat({ event: rule.event, fault: rule.fault }));
    else this.refundOutcomes.push(...repeat(rule.status));
  }

  /** Shorthand for tests: the next `times` calls of `endpoint` suffer `fault`. */
  failNext(endpoint: Endpoint, fault: z.input<typeof CallFault>, times = 1): void {
    this.add({ target: 'call', endpoint, fault, times });
  }

  takeCall(endpoint: Endpoint): CallFault | null {
    return this.calls.get(endpoint)?.shift() ?? null;
  }

  takeNotification(eventType: string): NotifyFault | null {
    const i = this.notifications.findIndex((n) => !n.event || eventType.startsWith(`${n.event}.`));
    return i < 0 ? null : this.notifications.splice(i, 1)[0]!.fault;
  }

  takeRefundOutcome(): RefundOutcome {
    return this.refundOutcomes.shift() ?? 'SUCCESS';
  }

  clear(): void {
    this.calls.clear();
    this.notifications = [];
    this.refundOutcomes = [];
  }
}
