import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signing, Stripe-style: `X-Songli-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`
 * with `X-Songli-Timestamp: <unix seconds>`. Receivers recompute it over the raw body and reject
 * timestamps outside their replay window.
 */
export const SIGNATURE_HEADER = 'x-songli-signature';
export const TIMESTAMP_HEADER = 'x-songli-timestamp';

export const signWebhook = (secret: string, timestamp: number, body: string) =>
  `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export function verifyWebhook(
  secret: string,
  headers: { signature: string | undefined | null; timestamp: string | undefined | null },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): 'ok' | 'missing' | 'stale' | 'bad_signature' {
  if (!headers.signature || !headers.timestamp || !/^\d{1,12}$/.test(headers.timestamp)) return 'missing';
  const ts = Number(headers.timestamp);
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return 'stale';
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'bad_signature';
}
