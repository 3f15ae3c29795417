import type * as z from 'zod/mini';
import { NotificationRejectedError, type PaymentEvent, type PaymentNotifications } from '../../ports/payments';
import {
  AEAD_ALGORITHM,
  decryptResource,
  ResourceDecryptError,
  type RsaKey,
  verifyWechatpaySignature,
  wechatpayHeadersOf,
} from './wechatpay-crypto';
import {
  confirmedPaymentOf,
  NotificationEnvelope,
  REFUND_STATUS,
  RefundNotice,
  Transaction as TransactionSchema,
  utcOf,
} from './wechatpay-messages';

export interface NotificationContext {
  appId: string;
  mchid: string;
  apiV3Key: string;
  verifyKeys: ReadonlyMap<string, RsaKey>;
  now: () => Date;
}

/**
 * WeChat Pay's payment and refund notifications, verified and decrypted: apart from the gateway (wechatpay-gateway.ts)
 * because only the function they are posted to (wechatpay-notify) and the local server read them, so no other
 * function's bundle carries their decryption and schemas.
 */
export class WechatpayNotifications implements PaymentNotifications {
  constructor(private readonly ctx: NotificationContext) {}

  async parseNotification(req: { header(name: string): string | undefined; body: string }): Promise<PaymentEvent> {
    return parseWechatpayNotification(req, this.ctx);
  }
}

const SIGNATURE_REASONS = {
  missing: 'signature',
  bad_signature: 'signature',
  unknown_serial: 'unknown_serial',
  stale: 'stale',
  signtest: 'signtest',
} as const;

const reject = (reason: NotificationRejectedError['reason'], message: string, cause?: unknown) =>
  new NotificationRejectedError(reason, message, cause === undefined ? {} : { cause });

function parseJson<S extends z.ZodMiniType>(schema: S, text: string, what: string): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw reject('malformed', `${what} is not JSON`, e);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw reject('malformed', `${what} lacks required fields`, parsed.error);
  return parsed.data;
}

/**
 * A payment or refund notification, in the order the facts demand (§2, §4, §6): the signature over the raw body with
 * the key its Wechatpay-Serial names (a SIGNTEST probe, an unknown serial, a timestamp 300 s or more away all refuse),
 * then the AEAD_AES_256_GCM resource, then the merchant's own appid and mchid. Only then is anything read from it.
 */
export function parseWechatpayNotification(
  req: { header(name: string): string | undefined; body: string },
  ctx: NotificationContext,
): PaymentEvent {
  const verdict = verifyWechatpaySignature({
    headers: wechatpayHeadersOf((n) => req.header(n)),
    body: req.body,
    keys: ctx.verifyKeys,
    nowSeconds: Math.floor(ctx.now().getTime() / 1000),
  });
  if (!verdict.ok) throw reject(SIGNATURE_REASONS[verdict.reason], `notification signature refused: ${verdict.reason}`);
  const envelope = parseJson(NotificationEnvelope, req.body, 'the notification');
  if (envelope.resource.algorithm !== AEAD_ALGORITHM) throw reject('malformed', `unknown algorithm ${envelope.resource.algorithm}`);
  let plaintext: string;
  try {
    plaintext = decryptResource({
      apiV3Key: ctx.apiV3Key,
      nonce: envelope.resource.nonce,
      associatedData: envelope.resource.associated_data ?? '',
      ciphertext: envelope.resource.ciphertext,
    });
  } catch (e) {
    if (e instanceof ResourceDecryptError) throw reject('malformed', `the resource does not decrypt: ${e.reason}`, e);
    throw e;
  }
  if (envelope.event_type.startsWith('TRANSACTION.')) {
    const tx = parseJson(TransactionSchema, plaintext, 'the transaction');
    if (tx.appid !== ctx.appId || tx.mchid !== ctx.mchid) throw reject('mismatch', 'the notification is for another appid or mchid');
    if ((tx.trade_state === 'SUCCESS' || tx.trade_state === 'REFUND') && tx.transaction_id) {
      return { type: 'payment', orderNo: tx.out_trade_no, paid: true, payment: confirmedPaymentOf(tx, ctx.now()) };
    }
    return { type: 'payment', orderNo: tx.out_trade_no, paid: false, state: tx.trade_state };
  }
  if (envelope.event_type.startsWith('REFUND.')) {
    const r = parseJson(RefundNotice, plaintext, 'the refund');
    if (r.mchid !== ctx.mchid) throw reject('mismatch', 'the notification is for another mchid');
    return {
      type: 'refund',
      orderNo: r.out_trade_no,
      refund: {
        refundNo: r.out_refund_no,
        status: REFUND_STATUS[r.refund_status],
        refundId: r.refund_id,
        amountFen: r.amount.refund,
        settledAt: r.refund_status === 'SUCCESS' ? utcOf(r.success_time, ctx.now()) : null,
      },
    };
  }
  throw reject('unsupported', `event ${envelope.event_type} is not one songli subscribes to`);
}
