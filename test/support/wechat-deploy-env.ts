/**
 * A deployed function's WeChat Pay settings against the local WeChat stand-in, split the way a deploy splits them:
 * plain settings (environment) and secrets (SSM on AWS; environment on CloudBase). Plus a relay that delivers the
 * stand-in's notifications (real HTTP, real signatures) to a function entry, as API Gateway or CloudBase would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WechatStandin } from '../../local/wechat-standin/start-wechat-standin';

export const TEST_CLAIM_LINK_SECRET = 'deploy-test-claim-link-secret-0123456789';

export function wechatDeployEnv(wechat: WechatStandin, notifyUrl: string) {
  const m = wechat.merchantSettings;
  return {
    settings: {
      PAYMENT_PROVIDER: 'wechatpay',
      WECHAT_API_BASE: m.baseUrl,
      WECHATPAY_API_BASE: m.baseUrl,
      WECHAT_APPID: m.appId,
      WECHATPAY_MCHID: m.mchid,
      WECHATPAY_MERCHANT_SERIAL: m.merchantSerialNo,
      WECHATPAY_PUBLIC_KEY_ID: m.wechatpayPublicKeyId,
      WECHATPAY_PUBLIC_KEY: m.wechatpayPublicKeyPem,
      WECHATPAY_NOTIFY_URL: notifyUrl,
    },
    secrets: {
      WECHAT_APP_SECRET: m.appSecret,
      WECHATPAY_PRIVATE_KEY: m.merchantPrivateKeyPem,
      WECHATPAY_APIV3_KEY: m.apiV3Key,
      CLAIM_LINK_SECRET: TEST_CLAIM_LINK_SECRET,
    },
  };
}

export interface RelayedRequest {
  headers: Record<string, string>;
  body: string;
}
export interface RelayAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string | null;
}

/** An HTTP endpoint on 127.0.0.1 that hands each request (headers lower-cased, raw body) to `deliver`. */
export async function startRelay(deliver: (req: RelayedRequest) => Promise<RelayAnswer>): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
      deliver({ headers, body: Buffer.concat(chunks).toString('utf8') }).then(
        (a) => res.writeHead(a.status, a.headers ?? {}).end(a.body ?? undefined),
        (e) => res.writeHead(500).end(String(e)),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
