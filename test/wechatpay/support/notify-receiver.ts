/**
 * A merchant's notification endpoint on 127.0.0.1, done right: it verifies the Wechatpay-* signature over the raw
 * body (refusing with 401 and `{"code":"FAIL"}` otherwise), decrypts the resource, records it, and answers 204, or
 * what the test scripted for the next deliveries (another status, or no answer at all).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StandinIdentity } from '../../../local/wechat-standin/standin-identity';
import {
  decryptResource,
  type SignatureVerdict,
  verifyWechatpaySignature,
  wechatpayHeadersOf,
} from '../../../shared/adapters/wechatpay/wechatpay-crypto';

export interface Received {
  path: string;
  verdict: SignatureVerdict;
  answered: number | 'hang';
  id?: string;
  eventType?: string;
  associatedData?: string;
  plaintext?: any;
}

export async function startNotifyReceiver(identity: StandinIdentity) {
  const keys = new Map([[identity.wechatpay.publicKeyId, identity.wechatpay.publicKeyPem]]);
  const received: Received[] = [];
  const script: Array<number | 'hang'> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (n: string) => req.headers[n.toLowerCase()] as string | undefined;
      const verdict = verifyWechatpaySignature({
        headers: wechatpayHeadersOf(header),
        body: raw,
        keys,
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      const entry: Received = { path: req.url!, verdict, answered: 401 };
      received.push(entry);
      if (!verdict.ok) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'FAIL', message: verdict.reason }));
        return;
      }
      const event = JSON.parse(raw);
      const r = event.resource;
      entry.id = event.id;
      entry.eventType = event.event_type;
      entry.associatedData = r.associated_data;
      entry.plaintext = JSON.parse(
        decryptResource({ apiV3Key: identity.apiV3Key, nonce: r.nonce, associatedData: r.associated_data, ciphertext: r.ciphertext }),
      );
      const next = script.shift() ?? 204;
      entry.answered = next;
      if (next !== 'hang') res.writeHead(next).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (path = '/wechatpay/notify') => `${base}${path}`,
    received,
    /** Verified, decrypted deliveries to one path. */
    events: (path = '/wechatpay/notify') => received.filter((r) => r.path === path && r.verdict.ok),
    /** Answer the next verified deliveries with these statuses ('hang': never answer). */
    answerNext: (...answers: Array<number | 'hang'>) => script.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
