import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../../domain/webhook-signature';
import type { Clock } from '../../ports/clock';
import { DependencyError } from '../../ports/dependency-error';

/**
 * A merchant endpoint answered with a non-2xx status (or not at all): a dependency failure, so a request waiting on
 * it answers 503 DEPENDENCY_UNAVAILABLE and a dispatcher retries it.
 */
export class MerchantCallError extends DependencyError {
  constructor(
    message: string,
    readonly status: number | null,
    cause?: unknown,
  ) {
    super('merchant', message, { cause });
    this.name = 'MerchantCallError';
  }
}

export interface SignedRequest {
  method: 'GET' | 'POST';
  url: string;
  secret: string;
  clock: Clock;
  /** POST body, serialised once so the signature covers exactly the bytes sent. */
  payload?: unknown;
  idempotencyKey?: string;
  timeoutMs?: number;
}

/**
 * Every call to the merchant's side (fulfillment, payments, catalog, notifications) is signed the same way
 * (X-Songli-Timestamp + X-Songli-Signature over "timestamp.body"), so a merchant verifies one recipe.
 */
export async function signedRequest<T = unknown>(req: SignedRequest): Promise<T | null> {
  const body = req.payload === undefined ? '' : JSON.stringify(req.payload);
  const timestamp = Math.floor(req.clock.now().getTime() / 1000);
  const headers: Record<string, string> = {
    accept: 'application/json',
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: signWebhook(req.secret, timestamp, body),
  };
  if (req.payload !== undefined) headers['content-type'] = 'application/json';
  if (req.idempotencyKey) headers['idempotency-key'] = req.idempotencyKey;
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? body : undefined,
      signal: AbortSignal.timeout(req.timeoutMs ?? 10_000),
    });
  } catch (e) {
    throw new MerchantCallError(
      `${req.method} ${new URL(req.url).pathname} failed: ${e instanceof Error ? e.message : String(e)}`,
      null,
      e,
    );
  }
  const text = await res.text();
  // The body is not quoted: a receiver may echo the request back, and the request can carry the recipient's
  // address; this message ends up in logs and in the giver's view (lastError).
  if (!res.ok)
    throw new MerchantCallError(
      `${req.method} ${new URL(req.url).pathname} answered HTTP ${res.status} (${Buffer.byteLength(text)}-byte body)`,
      res.status,
    );
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null; // a 2xx without a JSON body is still an acknowledgement
  }
}
