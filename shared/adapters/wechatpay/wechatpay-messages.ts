/**
 * What songli reads from WeChat Pay's answers and notifications (facts §3–§6), as zod schemas: anything else in them
 * is ignored, anything missing makes the answer unusable (a DependencyError, or a refused notification).
 */
import * as z from 'zod/mini';
import type { ConfirmedPayment, RefundStatus } from '../../ports/payments';
import '../../schemas/zod-english';

const Amount = z.object({
  total: z.number().check(z.int()),
  payer_total: z.optional(z.number().check(z.int())),
  currency: z.optional(z.string()),
});

export const PrepayAnswer = z.object({ prepay_id: z.string().check(z.minLength(1)) });

/** The query answer, and the plaintext of a TRANSACTION.* notification. */
export const Transaction = z.object({
  appid: z.string(),
  mchid: z.string(),
  out_trade_no: z.string(),
  transaction_id: z.optional(z.string()),
  trade_state: z.string(),
  success_time: z.optional(z.string()),
  payer: z.optional(z.partial(z.object({ openid: z.string() }))),
  amount: Amount,
});
export type Transaction = z.output<typeof Transaction>;

/** The refund answer and query answer. */
export const RefundAnswer = z.object({
  refund_id: z.string(),
  out_refund_no: z.string(),
  out_trade_no: z.string(),
  status: z.enum(['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL']),
  success_time: z.optional(z.string()),
  amount: z.object({ refund: z.number().check(z.int()), total: z.number().check(z.int()) }),
});

/** The plaintext of a REFUND.* notification. */
export const RefundNotice = z.object({
  mchid: z.string(),
  out_trade_no: z.string(),
  out_refund_no: z.string(),
  refund_id: z.string(),
  refund_status: z.enum(['SUCCESS', 'CLOSED', 'ABNORMAL', 'PROCESSING']),
  success_time: z.optional(z.string()),
  amount: z.object({ refund: z.number().check(z.int()), total: z.number().check(z.int()) }),
});

export const NotificationEnvelope = z.object({
  id: z.string(),
  event_type: z.string(),
  resource_type: z.optional(z.string()),
  resource: z.object({
    algorithm: z.string(),
    ciphertext: z.string(),
    nonce: z.string(),
    associated_data: z.optional(z.string()),
    original_type: z.optional(z.string()),
  }),
});

/** WeChat Pay's times are RFC 3339 with an offset (`2018-06-08T10:34:56+08:00`): songli keeps ISO-8601 UTC. */
export const utcOf = (rfc3339: string | undefined, fallback: Date): string => {
  const ms = rfc3339 ? Date.parse(rfc3339) : Number.NaN;
  return new Date(Number.isNaN(ms) ? fallback.getTime() : ms).toISOString();
};

/** An instant as WeChat Pay writes it: RFC 3339 at Beijing time, whole seconds (time_expire). */
export const beijingRfc3339 = (iso: string): string =>
  new Date(Math.floor(Date.parse(iso) / 1000) * 1000 + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00');

/** WeChat Pay's refund states as songli names them (answers, queries and notifications alike). */
export const REFUND_STATUS: Record<'SUCCESS' | 'CLOSED' | 'PROCESSING' | 'ABNORMAL', RefundStatus> = {
  SUCCESS: 'succeeded',
  CLOSED: 'closed',
  PROCESSING: 'processing',
  ABNORMAL: 'abnormal',
};

/** A paid transaction (a query's answer or a notification) as the payment songli records. */
export const confirmedPaymentOf = (tx: Transaction, now: Date): ConfirmedPayment => ({
  orderNo: tx.out_trade_no,
  paymentId: tx.transaction_id ?? '',
  amountFen: tx.amount.total,
  payerId: tx.payer?.openid ?? null,
  paidAt: utcOf(tx.success_time, now),
});
