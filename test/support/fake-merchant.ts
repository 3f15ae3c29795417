/**
 * A merchant's side of the integration on 127.0.0.1, as a real HTTP server: the product list and the fulfillment
 * webhook (payments are WeChat Pay's: the WeChat stand-in). It verifies every signature, dedupes by Idempotency-Key as a
 * well-built merchant must, and records what it saw.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_CATALOG } from '../../shared/catalog/demo-catalog';
import { verifyWebhook } from '../../shared/domain/webhook-signature';

export interface FakeMerchant {
  url: string;
  secret: string;
  requests: Array<{ method: string; path: string; verdict: string; key: string | null; status: number }>;
  handoffs: Map<string, any>;
  /** Answer the next `n` fulfillment deliveries with 503. */
  failFulfillments(n: number): void;
  close(): Promise<void>;
}

export async function startFakeMerchant(secret = 'merchant_secret_0123456789'): Promise<FakeMerchant> {
  let failing = 0;
  const m = {
    url: '',
    secret,
    requests: [],
    handoffs: new Map(),
  } as unknown as FakeMerchant;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = new URL(req.url!, 'http://x').pathname;
      const key = (req.headers['idempotency-key'] as string | undefined) ?? null;
      const verdict = verifyWebhook(
        secret,
        { signature: req.headers['x-songli-signature'] as string, timestamp: req.headers['x-songli-timestamp'] as string },
        body,
        Math.floor(Date.now() / 1000),
      );
      const reply = (status: number, json: unknown) => {
        m.requests.push({ method: req.method!, path, verdict, key, status });
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      };
      if (verdict !== 'ok') return reply(401, { error: verdict });
      const data = body ? JSON.parse(body) : null;
      if (req.method === 'GET' && path === '/merchant/products') return reply(200, { products: DEMO_CATALOG });
      if (req.method === 'POST' && path === '/merchant/fulfillment') {
        if (failing > 0) {
          failing--;
          return reply(503, { error: 'warehouse busy' });
        }
        if (!m.handoffs.has(key!)) m.handoffs.set(key!, data);
        return reply(200, { reference: `wms_${data.data.giftId}` });
      }
      reply(404, { error: 'no such merchant route' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  m.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/merchant/`;
  m.failFulfillments = (n) => (failing = n);
  m.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return m;
}

/** Environment of a deployed function wired to this merchant. */
export const merchantEnv = (m: FakeMerchant) => ({
  FULFILLMENT_WEBHOOK_URL: `${m.url}fulfillment`,
  FULFILLMENT_WEBHOOK_SECRET: m.secret,
  MERCHANT_API_URL: m.url,
  MERCHANT_API_SECRET: m.secret,
  LOG_LEVEL: 'silent',
});
