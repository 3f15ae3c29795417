/**
 * The smallest WeChat Pay v3 client on our crypto: signs each request, verifies each answer's Wechatpay-* signature
 * (errors and 204 included) against the stand-in's public key, and keeps every verdict for the tests to check.
 */

import type { StandinIdentity } from '../../../local/wechat-standin/standin-identity';
import {
  authorizationHeader,
  type SignatureVerdict,
  verifyWechatpaySignature,
  wechatpayHeadersOf,
} from '../../../shared/adapters/wechatpay/wechatpay-crypto';

export interface PayAnswer {
  status: number;
  body: any;
  raw: string;
  verdict: SignatureVerdict;
  requestId: string | null;
}

export function wechatpayTestClient(baseUrl: string, identity: StandinIdentity, nowSeconds = () => Math.floor(Date.now() / 1000)) {
  const keys = new Map([[identity.wechatpay.publicKeyId, identity.wechatpay.publicKeyPem]]);
  const answers: PayAnswer[] = [];
  async function call(
    method: 'GET' | 'POST',
    pathWithQuery: string,
    payload?: unknown,
    opts: { timeoutMs?: number; authorization?: string; timestamp?: number } = {},
  ): Promise<PayAnswer> {
    const body = payload === undefined ? '' : JSON.stringify(payload);
    const authorization =
      opts.authorization ??
      authorizationHeader({
        mchid: identity.mchid,
        serialNo: identity.merchant.serialNo,
        privateKeyPem: identity.merchant.privateKeyPem,
        method,
        pathWithQuery,
        body,
        timestamp: opts.timestamp ?? nowSeconds(),
      });
    const res = await fetch(`${baseUrl}${pathWithQuery}`, {
      method,
      headers: {
        authorization,
        accept: 'application/json',
        'content-type': 'application/json',
        'Wechatpay-Serial': identity.wechatpay.publicKeyId,
      },
      body: method === 'POST' ? body : undefined,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
    });
    const raw = await res.text();
    const verdict = verifyWechatpaySignature({
      headers: wechatpayHeadersOf((n) => res.headers.get(n)),
      body: raw,
      keys,
      nowSeconds: nowSeconds(),
    });
    const answer = { status: res.status, body: raw ? JSON.parse(raw) : null, raw, verdict, requestId: res.headers.get('request-id') };
    answers.push(answer);
    return answer;
  }
  return {
    answers,
    call,
    jsapi: (order: object) => call('POST', '/v3/pay/transactions/jsapi', order),
    query: (outTradeNo: string, mchid = identity.mchid) => call('GET', `/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=${mchid}`),
    close: (outTradeNo: string) => call('POST', `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`, { mchid: identity.mchid }),
    refund: (refund: object) => call('POST', '/v3/refund/domestic/refunds', refund),
    queryRefund: (outRefundNo: string) => call('GET', `/v3/refund/domestic/refunds/${outRefundNo}`),
  };
}
