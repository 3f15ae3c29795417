import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../domain/webhook-signature';
import type { Operation } from './contract';
import { EdgeError } from './edge-errors';
import type { RequestVerifier, Route, RouteAnswer, RouteContext } from './route';

/** Merchant callbacks are authenticated by their signature over the raw body, inside a 5-minute window. */
const verifyMerchantCallback: RequestVerifier = (c, raw, secret, now) => {
  if (!secret) throw new EdgeError('CALLBACKS_DISABLED', 'merchant callbacks are not configured (MERCHANT_CALLBACK_SECRET)');
  const headers = { signature: c.req.header(SIGNATURE_HEADER), timestamp: c.req.header(TIMESTAMP_HEADER) };
  const verdict = verifyWebhook(secret, headers, raw, Math.floor(now.getTime() / 1000));
  if (verdict === 'missing') throw new EdgeError('WEBHOOK_SIGNATURE_MISSING', `send ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}`);
  if (verdict === 'stale') throw new EdgeError('WEBHOOK_TIMESTAMP_STALE', 'the signed timestamp is more than 5 minutes away from now');
  if (verdict === 'bad_signature') throw new EdgeError('WEBHOOK_SIGNATURE_INVALID', 'the signature does not match the body');
};

/**
 * Binds a merchant-callback operation (auth 'signature') to its code, with the check the edge runs first: the handler
 * sees only requests signed with MERCHANT_CALLBACK_SECRET, and `callerId` is 'merchant'.
 */
export const signedRoute = <O extends Operation & { auth: 'signature' }>(
  op: O,
  handle: (ctx: RouteContext<O>) => RouteAnswer<O>,
): Route<O> => ({ op, handle, verify: verifyMerchantCallback });
