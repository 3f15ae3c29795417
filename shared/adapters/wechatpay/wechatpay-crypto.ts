/**
 * WeChat Pay APIv3 signatures on node:crypto (docs: /work/shared/wechat-facts.md §1–§4): SHA256withRSA (PKCS#1 v1.5)
 * over newline-terminated messages, the Authorization header of requests, the Wechatpay-* headers of responses and
 * notifications, and the paySign of wx.requestPayment. Pure functions: the caller brings the clock and the bytes.
 */
import { type KeyObject, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { nonce } from './wechatpay-nonce';

export { AEAD_ALGORITHM, decryptResource, type EncryptedResource, encryptResource, ResourceDecryptError } from './wechatpay-aead';
export { nonce } from './wechatpay-nonce';

/** A PEM string (PKCS#8 / PKCS#1 private key; SPKI public key or X.509 platform certificate) or a parsed KeyObject. */
export type RsaKey = string | KeyObject;

export const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
export const SIGNTEST_PREFIX = 'WECHATPAY/SIGNTEST/';
/** Responses and notifications older or newer than this are refused (facts §2: reject if |now − TS| ≥ 300 s). */
export const MAX_CLOCK_SKEW_SECONDS = 300;
export const WECHATPAY_HEADERS = {
  timestamp: 'Wechatpay-Timestamp',
  nonce: 'Wechatpay-Nonce',
  signature: 'Wechatpay-Signature',
  serial: 'Wechatpay-Serial',
} as const;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const lines = (...parts: string[]) => `${parts.join('\n')}\n`;

/** `METHOD\nPATH?QUERY\nTS\nNONCE\nBODY\n`: the path and query exactly as sent, the body exactly as sent ("" for GET). */
export const signingMessage = (method: string, pathWithQuery: string, timestamp: string | number, nonceStr: string, body = '') =>
  lines(method.toUpperCase(), pathWithQuery, String(timestamp), nonceStr, body);

/** `TS\nNONCE\nBODY\n` of a response or a notification; a 204's body is "". */
export const responseMessage = (timestamp: string | number, nonceStr: string, body = '') => lines(String(timestamp), nonceStr, body);

/** The path and query of a URL as they go on the wire (what the request message signs). */
export const pathWithQueryOf = (url: string | URL) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

/** Base64 SHA256withRSA of the message's UTF-8 bytes (node's RSA default padding is PKCS#1 v1.5). */
export const sign = (privateKey: RsaKey, message: string) => rsaSign('sha256', Buffer.from(message, 'utf8'), privateKey).toString('base64');

/**
 * False, never a throw, for anything that is not a valid signature of this message under this key: garbage,
 * non-base64 text, a wrong key type, and WeChat's `WECHATPAY/SIGNTEST/…` probes (which must be refused like any bad
 * signature, so a receiver that skips verification is caught).
 */
export function verify(publicKey: RsaKey, message: string, signatureB64: string): boolean {
  if (typeof signatureB64 !== 'string' || signatureB64.startsWith(SIGNTEST_PREFIX) || !BASE64.test(signatureB64)) return false;
  try {
    return rsaVerify('sha256', Buffer.from(message, 'utf8'), publicKey, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

export interface AuthorizationFields {
  mchid: string;
  nonceStr: string;
  timestamp: string;
  serialNo: string;
  signature: string;
}

const FIELD_NAMES = {
  mchid: 'mchid',
  nonce_str: 'nonceStr',
  timestamp: 'timestamp',
  serial_no: 'serialNo',
  signature: 'signature',
} as const;

/** The request's Authorization header; timestamp (seconds) and nonce default to now and a fresh one. */
export function authorizationHeader(req: {
  mchid: string;
  serialNo: string;
  privateKeyPem: RsaKey;
  method: string;
  pathWithQuery: string;
  body?: string;
  timestamp?: string | number;
  nonce?: string;
}): string {
  const timestamp = String(req.timestamp ?? Math.floor(Date.now() / 1000));
  const nonceStr = req.nonce ?? nonce();
  for (const value of [req.mchid, req.serialNo, nonceStr, timestamp])
    if (/["\r\n]/.test(value)) throw new TypeError('Authorization fields cannot hold quotes or newlines');
  const signature = sign(req.privateKeyPem, signingMessage(req.method, req.pathWithQuery, timestamp, nonceStr, req.body ?? ''));
  const fields = { mchid: req.mchid, nonce_str: nonceStr, timestamp, serial_no: req.serialNo, signature };
  const pairs = Object.entries(fields).map(([name, value]) => `${name}="${value}"`);
  return `${AUTH_SCHEME} ${pairs.join(',')}`;
}

/** The fields of an Authorization header in any order; null if the scheme is wrong, a field is missing or repeated. */
export function parseAuthorizationHeader(header: string | null | undefined): AuthorizationFields | null {
  if (typeof header !== 'string' || !header.startsWith(`${AUTH_SCHEME} `)) return null;
  const params = header.slice(AUTH_SCHEME.length + 1).trim();
  const pair = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/y;
  const found: Partial<Record<keyof AuthorizationFields, string>> = {};
  while (pair.lastIndex < params.length) {
    const m = pair.exec(params);
    if (!m) return null;
    const name = FIELD_NAMES[m[1] as keyof typeof FIELD_NAMES];
    if (!name) continue; // a field WeChat may add later
    if (found[name] !== undefined) return null;
    found[name] = m[2]!;
  }
  const { mchid, nonceStr, timestamp, serialNo, signature } = found;
  if (!mchid || !nonceStr || !timestamp || !serialNo || !signature) return null;
  return { mchid, nonceStr, timestamp, serialNo, signature };
}

export interface WechatpaySignatureHeaders {
  timestamp: string | null | undefined;
  nonce: string | null | undefined;
  signature: string | null | undefined;
  serial: string | null | undefined;
}

/** The four Wechatpay-* headers through any header getter, e.g. `wechatpayHeadersOf((n) => res.headers.get(n))`. */
export const wechatpayHeadersOf = (get: (name: string) => string | null | undefined): WechatpaySignatureHeaders => ({
  timestamp: get(WECHATPAY_HEADERS.timestamp),
  nonce: get(WECHATPAY_HEADERS.nonce),
  signature: get(WECHATPAY_HEADERS.signature),
  serial: get(WECHATPAY_HEADERS.serial),
});

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing' | 'unknown_serial' | 'stale' | 'signtest' | 'bad_signature' };

/**
 * Verifies a response or a notification over its raw body. The key is chosen by Wechatpay-Serial from a
 * {serial → key} map (platform certificate serials and `PUB_KEY_ID_…` side by side while WeChat switches, facts §2).
 */
export function verifyWechatpaySignature(req: {
  headers: WechatpaySignatureHeaders;
  body: string;
  keys: ReadonlyMap<string, RsaKey>;
  nowSeconds: number;
}): SignatureVerdict {
  const { timestamp, nonce: nonceStr, signature, serial } = req.headers;
  if (!timestamp || !nonceStr || !signature || !serial || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'missing' };
  if (signature.startsWith(SIGNTEST_PREFIX)) return { ok: false, reason: 'signtest' };
  const key = req.keys.get(serial);
  if (!key) return { ok: false, reason: 'unknown_serial' };
  if (Math.abs(req.nowSeconds - Number(timestamp)) >= MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  return verify(key, responseMessage(timestamp, nonceStr, req.body), signature) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

export interface JsapiPayParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** `appId\ntimeStamp\nnonceStr\nprepay_id=…\n`, what paySign signs (the stand-in verifies it with the same function). */
export const paySignMessage = (appId: string, timeStamp: string, nonceStr: string, pkg: string) => lines(appId, timeStamp, nonceStr, pkg);

/** The arguments of wx.requestPayment for a prepay_id, signed with the merchant key that signs API requests. */
export function jsapiPayParams(req: {
  appId: string;
  prepayId: string;
  privateKeyPem: RsaKey;
  timeStamp?: string;
  nonceStr?: string;
}): JsapiPayParams {
  const timeStamp = req.timeStamp ?? String(Math.floor(Date.now() / 1000));
  const nonceStr = req.nonceStr ?? nonce();
  if (!/^\d{10}$/.test(timeStamp)) throw new TypeError('timeStamp must be 10 digits of seconds');
  if (!/^[0-9A-Za-z]{1,32}$/.test(nonceStr)) throw new TypeError('nonceStr must be 1–32 letters or digits');
  if (!req.prepayId || /\s/.test(req.prepayId)) throw new TypeError('prepayId is empty or holds whitespace');
  const pkg = `prepay_id=${req.prepayId}`;
  return {
    timeStamp,
    nonceStr,
    package: pkg,
    signType: 'RSA',
    paySign: sign(req.privateKeyPem, paySignMessage(req.appId, timeStamp, nonceStr, pkg)),
  };
}
