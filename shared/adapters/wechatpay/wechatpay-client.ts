import { DependencyError } from '../../ports/dependency-error';
import { authorizationHeader, type RsaKey, verifyWechatpaySignature, wechatpayHeadersOf } from './wechatpay-crypto';

export interface WechatpayCredentials {
  /** e.g. https://api.mch.weixin.qq.com/ */
  baseUrl: string;
  mchid: string;
  merchantSerial: string;
  merchantKey: RsaKey;
  /** {serial → key}: the 微信支付公钥 under its PUB_KEY_ID_…, and any platform certificates under their serials. */
  verifyKeys: ReadonlyMap<string, RsaKey>;
  /** Sent as Wechatpay-Serial so WeChat Pay signs its answers with the public key (facts §2). */
  publicKeyId: string | null;
}

/** WeChat Pay answered with an error (its signature verified): `{code, message}` and the HTTP status. */
export class WechatpayApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`WeChat Pay ${status} ${code}: ${message}`);
    this.name = 'WechatpayApiError';
  }
}

export interface WechatpayAnswer {
  status: number;
  body: unknown;
}

/**
 * Signed calls to WeChat Pay API v3 (facts §1–§2): every request carries the WECHATPAY2-SHA256-RSA2048 Authorization
 * over exactly the bytes sent, and every answer, errors and 204 included, is verified before anything is read from it.
 * An answer that does not verify, a timeout or a network failure is a DependencyError (the caller retries with the
 * same numbers); a verified error answer is a WechatpayApiError the caller interprets.
 */
export class WechatpayClient {
  constructor(
    private readonly creds: WechatpayCredentials,
    private readonly opts: { now: () => Date; timeoutMs: number; fetch?: typeof fetch },
  ) {}

  async call(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<WechatpayAnswer> {
    const url = new URL(path.replace(/^\//, ''), this.creds.baseUrl);
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const pathWithQuery = `${url.pathname}${url.search}`;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: authorizationHeader({
        mchid: this.creds.mchid,
        serialNo: this.creds.merchantSerial,
        privateKeyPem: this.creds.merchantKey,
        method,
        pathWithQuery,
        body,
        timestamp: Math.floor(this.opts.now().getTime() / 1000),
      }),
      'User-Agent': 'songli (node)',
    };
    if (body) headers['Content-Type'] = 'application/json';
    if (this.creds.publicKeyId) headers['Wechatpay-Serial'] = this.creds.publicKeyId;
    let res: Response;
    let text: string;
    try {
      res = await (this.opts.fetch ?? fetch)(url, {
        method,
        headers,
        body: body || undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      text = await res.text();
    } catch (e) {
      throw new DependencyError('wechatpay', `${method} ${url.pathname} failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
    const verdict = verifyWechatpaySignature({
      headers: wechatpayHeadersOf((n) => res.headers.get(n)),
      body: text,
      keys: this.creds.verifyKeys,
      nowSeconds: Math.floor(this.opts.now().getTime() / 1000),
    });
    if (!verdict.ok) {
      throw new DependencyError(
        'wechatpay',
        `${method} ${url.pathname} answered ${res.status} without a valid signature (${verdict.reason})`,
      );
    }
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch (e) {
        throw new DependencyError('wechatpay', `${method} ${url.pathname} answered ${res.status} with a body that is not JSON`, {
          cause: e,
        });
      }
    }
    if (res.status >= 200 && res.status < 300) return { status: res.status, body: parsed };
    const err = (parsed ?? {}) as { code?: unknown; message?: unknown };
    throw new WechatpayApiError(res.status, typeof err.code === 'string' ? err.code : 'UNKNOWN', String(err.message ?? ''));
  }
}
