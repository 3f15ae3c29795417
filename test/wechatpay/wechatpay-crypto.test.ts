/**
 * WeChat Pay v3 crypto, cross-checked against wechatpay-axios-plugin (an independent implementation) with generated
 * RSA 2048 keys: signatures both ways and in each key format it loads, the request / response messages and the
 * Authorization header, its own response verifier fed with our headers, AES-256-GCM both ways; then the refusals.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  AUTH_SCHEME,
  authorizationHeader,
  decryptResource,
  encryptResource,
  jsapiPayParams,
  nonce,
  parseAuthorizationHeader,
  paySignMessage,
  ResourceDecryptError,
  responseMessage,
  sign,
  signingMessage,
  verify,
  verifyWechatpaySignature,
} from '../../shared/adapters/wechatpay/wechatpay-crypto';
import { oracle } from './support/wechatpay-oracle';

const { Rsa, Aes, Formatter, Decorator } = oracle;
const rsaPair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const merchant = rsaPair();
const platform = rsaPair();
const stranger = rsaPair();
const PUB_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const derBase64 = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
const now = () => Math.floor(Date.now() / 1000);
const API_V3_KEY = 'a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6';
const CJK_BODY = JSON.stringify({ description: '送礼物·蓝色围巾 🧣', attach: '生日快乐', amount: { total: 19900, currency: 'CNY' } });

describe('RSA signatures against the oracle', () => {
  const message = signingMessage('POST', '/v3/pay/transactions/jsapi', 1554208460, '593BEC0C930BF1AFEB40B4A08C8FB242', CJK_BODY);

  it('signs the same bytes the oracle signs (PKCS#1 v1.5 is deterministic) and each verifies the other', () => {
    const ours = sign(merchant.privateKey, message);
    expect(ours).toBe(Rsa.sign(message, Rsa.from(merchant.privateKey, 'private')));
    expect(Rsa.verify(message, ours, Rsa.from(merchant.publicKey, 'public'))).toBe(true);
    expect(verify(merchant.publicKey, message, Rsa.sign(message, merchant.privateKey))).toBe(true);
  });

  it('works with every key format the oracle loads: PKCS#8 and PKCS#1 private keys, SPKI and PKCS#1 public keys', () => {
    const pkcs1Private = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
    });
    expect(verify(merchant.publicKey, message, Rsa.sign(message, Rsa.fromPkcs8(derBase64(merchant.privateKey))))).toBe(true);
    expect(Rsa.verify(message, sign(merchant.privateKey, message), Rsa.fromSpki(derBase64(merchant.publicKey)))).toBe(true);
    const pkcs1Signature = sign(pkcs1Private.privateKey, message);
    expect(Rsa.verify(message, pkcs1Signature, Rsa.fromPkcs1(derBase64(pkcs1Private.publicKey), 'public'))).toBe(true);
    expect(verify(pkcs1Private.publicKey, message, Rsa.sign(message, Rsa.fromPkcs1(derBase64(pkcs1Private.privateKey), 'private')))).toBe(
      true,
    );
    expect(verify(createPublicKey(merchant.privateKey), message, sign(merchant.privateKey, message))).toBe(true);
  });

  it('signs the UTF-8 bytes exactly: one changed character of a CJK body fails on both sides', () => {
    const signature = sign(merchant.privateKey, message);
    const altered = message.replace('蓝色', '灰色');
    expect(verify(merchant.publicKey, altered, signature)).toBe(false);
    expect(Rsa.verify(altered, signature, merchant.publicKey)).toBe(false);
  });

  it('returns false, never throws, for garbage, SIGNTEST probes, foreign keys and non-RSA keys', () => {
    const good = sign(merchant.privateKey, message);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    const probes: unknown[] = ['', 'abc', '!!!!', `${good}x`, good.slice(4), Buffer.alloc(256).toString('base64'), null, undefined, 42];
    for (const p of probes) expect(verify(merchant.publicKey, message, p as string)).toBe(false);
    expect(verify(merchant.publicKey, message, `WECHATPAY/SIGNTEST/${good}`)).toBe(false);
    expect(verify(stranger.publicKey, message, good)).toBe(false);
    expect(verify(ec, message, good)).toBe(false);
    expect(verify('not a pem', message, good)).toBe(false);
  });
});

describe('messages and the Authorization header against the oracle', () => {
  it('builds the request message as the oracle does (GET with "" body, POST with a CJK body, a query)', () => {
    expect(signingMessage('get', '/v3/pay/transactions/out-trade-no/gift_1?mchid=1900000001', 1700000000, 'N1')).toBe(
      Formatter.request('GET', '/v3/pay/transactions/out-trade-no/gift_1?mchid=1900000001', 1700000000, 'N1', ''),
    );
    expect(signingMessage('POST', '/v3/refund/domestic/refunds', '1700000000', 'N2', CJK_BODY)).toBe(
      Formatter.request('POST', '/v3/refund/domestic/refunds', '1700000000', 'N2', CJK_BODY),
    );
    expect(signingMessage('GET', '/v3/x', 1, 'n')).toBe('GET\n/v3/x\n1\nn\n\n');
  });

  it('builds the response message as the oracle does, 204 included (TS\\nNONCE\\n\\n)', () => {
    expect(responseMessage(1700000000, 'N', CJK_BODY)).toBe(Formatter.response(1700000000, 'N', CJK_BODY));
    expect(responseMessage('1700000000', 'N', '')).toBe(Formatter.response('1700000000', 'N', ''));
    expect(responseMessage(1, 'n')).toBe('1\nn\n\n');
  });

  it('writes an Authorization header equal in substance to the oracle’s (another field order), and parses both', () => {
    const args = {
      mchid: '1900000001',
      serialNo: '5157F09EFDC096DE15EBE81A47057A72',
      method: 'POST',
      pathWithQuery: '/v3/pay/transactions/jsapi',
    };
    const ours = authorizationHeader({
      ...args,
      privateKeyPem: merchant.privateKey,
      body: CJK_BODY,
      timestamp: 1700000000,
      nonce: 'NONCE1',
    });
    const theirSignature = Rsa.sign(Formatter.request('POST', args.pathWithQuery, 1700000000, 'NONCE1', CJK_BODY), merchant.privateKey);
    const theirs = Formatter.authorization(args.mchid, 'NONCE1', theirSignature, 1700000000, args.serialNo);
    expect(ours.startsWith(`${AUTH_SCHEME} mchid="1900000001",nonce_str="NONCE1",timestamp="1700000000",serial_no=`)).toBe(true);
    expect(parseAuthorizationHeader(ours)).toEqual(parseAuthorizationHeader(theirs));
    expect(parseAuthorizationHeader(theirs)).toEqual({
      mchid: args.mchid,
      nonceStr: 'NONCE1',
      timestamp: '1700000000',
      serialNo: args.serialNo,
      signature: theirSignature,
    });
  });

  it('parses fields in any order and with spaces, refuses wrong schemes, missing and repeated fields', () => {
    const f = 'mchid="1",nonce_str="n",timestamp="2",serial_no="s",signature="c2ln"';
    expect(parseAuthorizationHeader(`${AUTH_SCHEME} signature="c2ln", serial_no="s", timestamp="2", nonce_str="n", mchid="1"`)).toEqual({
      mchid: '1',
      nonceStr: 'n',
      timestamp: '2',
      serialNo: 's',
      signature: 'c2ln',
    });
    expect(parseAuthorizationHeader(`${AUTH_SCHEME} ${f},extra="ignored"`)?.mchid).toBe('1');
    for (const bad of [
      `Bearer ${f}`,
      `WECHATPAY2-SHA256-RSA2048${f}`,
      `${AUTH_SCHEME} ${f.replace(',signature="c2ln"', '')}`,
      `${AUTH_SCHEME} ${f},mchid="2"`,
      `${AUTH_SCHEME} ${f} junk`,
      '',
      null,
    ])
      expect(parseAuthorizationHeader(bad)).toBeNull();
  });

  it('passes the oracle’s own response verifier (its axios transformResponse) with our headers, and fails its SIGNTEST', () => {
    const verifier = Decorator.responseVerifier({ [PUB_KEY_ID]: platform.publicKey });
    const ts = now();
    const headers = (body: string, signature = sign(platform.privateKey, responseMessage(ts, 'RN', body))) => ({
      'Wechatpay-Timestamp': String(ts),
      'Wechatpay-Nonce': 'RN',
      'Wechatpay-Serial': PUB_KEY_ID,
      'Wechatpay-Signature': signature,
    });
    expect(verifier.call({ url: '/v3/pay/transactions/jsapi' }, CJK_BODY, headers(CJK_BODY), 200)).toBe(CJK_BODY);
    expect(verifier.call({ url: '/v3/close' }, '', headers(''), 204)).toBe('');
    expect(verifier.call({ url: '/v3/x' }, CJK_BODY, headers(CJK_BODY, 'WECHATPAY/SIGNTEST/abc'), 200)).toBeInstanceOf(Error);
    expect(verifier.call({ url: '/v3/x' }, `${CJK_BODY} `, headers(CJK_BODY), 200)).toBeInstanceOf(Error);
  });
});

describe('verifyWechatpaySignature', () => {
  const keys = new Map([[PUB_KEY_ID, platform.publicKey]]);
  const signed = (body: string, ts = now(), key = platform.privateKey) => ({
    timestamp: String(ts),
    nonce: 'RN2',
    signature: sign(key, responseMessage(ts, 'RN2', body)),
    serial: PUB_KEY_ID,
  });

  it('accepts a response signed by the oracle over a CJK body, and a 204 with an empty body', () => {
    const ts = now();
    const headers = {
      timestamp: String(ts),
      nonce: 'RN2',
      serial: PUB_KEY_ID,
      signature: Rsa.sign(Formatter.response(ts, 'RN2', CJK_BODY), platform.privateKey),
    };
    expect(verifyWechatpaySignature({ headers, body: CJK_BODY, keys, nowSeconds: ts })).toEqual({ ok: true });
    expect(verifyWechatpaySignature({ headers: signed(''), body: '', keys, nowSeconds: now() })).toEqual({ ok: true });
  });

  it('names why it refuses: missing, signtest, unknown serial, stale (≥ 300 s either way), bad signature', () => {
    const ts = now();
    const reason = (headers: Record<string, string | undefined>, body = CJK_BODY, nowSeconds = ts) =>
      verifyWechatpaySignature({ headers: headers as never, body, keys, nowSeconds });
    const good = signed(CJK_BODY, ts);
    expect(reason({ ...good, signature: undefined })).toEqual({ ok: false, reason: 'missing' });
    expect(reason({ ...good, timestamp: '17e8' })).toEqual({ ok: false, reason: 'missing' });
    expect(reason({ ...good, signature: `WECHATPAY/SIGNTEST/${good.signature}` })).toEqual({ ok: false, reason: 'signtest' });
    expect(reason({ ...good, serial: 'PUB_KEY_ID_UNKNOWN' })).toEqual({ ok: false, reason: 'unknown_serial' });
    expect(reason(good, CJK_BODY, ts + 300)).toEqual({ ok: false, reason: 'stale' });
    expect(reason(good, CJK_BODY, ts - 300)).toEqual({ ok: false, reason: 'stale' });
    expect(reason(good, CJK_BODY, ts + 299)).toEqual({ ok: true });
    expect(reason(good, CJK_BODY.replace('围巾', '手套'))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(reason(signed(CJK_BODY, ts, stranger.privateKey))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(reason(signed('', ts), '{}')).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('keeps several serials side by side while WeChat switches from the platform certificate to the public key', () => {
    const both = new Map([...keys, ['7132D72A03E93CDDF8C03BBD1F37EEDF', stranger.publicKey]]);
    const viaCert = { ...signed(CJK_BODY, now(), stranger.privateKey), serial: '7132D72A03E93CDDF8C03BBD1F37EEDF' };
    expect(verifyWechatpaySignature({ headers: viaCert, body: CJK_BODY, keys: both, nowSeconds: now() })).toEqual({ ok: true });
    expect(verifyWechatpaySignature({ headers: signed(CJK_BODY), body: CJK_BODY, keys: both, nowSeconds: now() })).toEqual({ ok: true });
  });
});

describe('AEAD_AES_256_GCM against the oracle', () => {
  const plaintext = JSON.stringify({ out_trade_no: 'gift_abc', trade_state: 'SUCCESS', attach: '送给小红', payer: { openid: 'o_123' } });

  it('round-trips both ways: ours encrypts → the oracle decrypts, the oracle encrypts → ours decrypts (AAD set and "")', () => {
    for (const aad of ['transaction', '']) {
      const sealed = encryptResource({ apiV3Key: API_V3_KEY, plaintext, associatedData: aad });
      expect(sealed.nonce).toMatch(/^[0-9A-Za-z]{12}$/);
      expect(Aes.AesGcm.decrypt(sealed.ciphertext, API_V3_KEY, sealed.nonce, aad)).toBe(plaintext);
      const theirs = Aes.AesGcm.encrypt(plaintext, API_V3_KEY, 'fdasflkja484', aad);
      expect(decryptResource({ apiV3Key: API_V3_KEY, nonce: 'fdasflkja484', associatedData: aad, ciphertext: theirs })).toBe(plaintext);
      expect(encryptResource({ apiV3Key: API_V3_KEY, plaintext, associatedData: aad, nonce: 'fdasflkja484' }).ciphertext).toBe(theirs);
    }
  });

  it('refuses a tampered ciphertext, AAD, tag or nonce, and a wrong key, with a typed error', () => {
    const sealed = encryptResource({ apiV3Key: API_V3_KEY, plaintext, associatedData: 'transaction' });
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    const flip = (i: number) => {
      const copy = Buffer.from(bytes);
      copy[i] = copy[i]! ^ 1;
      return copy.toString('base64');
    };
    const attempt = (changes: Partial<typeof sealed>, apiV3Key = API_V3_KEY) => {
      try {
        decryptResource({ ...sealed, ...changes, apiV3Key });
        return 'decrypted';
      } catch (e) {
        return e instanceof ResourceDecryptError ? e.reason : `other: ${e}`;
      }
    };
    expect(attempt({})).toBe('decrypted');
    expect(attempt({ ciphertext: flip(0) })).toBe('tampered');
    expect(attempt({ ciphertext: flip(bytes.length - 1) })).toBe('tampered');
    expect(attempt({ associatedData: 'refund' })).toBe('tampered');
    expect(attempt({ associatedData: '' })).toBe('tampered');
    expect(attempt({ nonce: sealed.nonce.split('').reverse().join('') })).toBe('tampered');
    expect(attempt({}, API_V3_KEY.toUpperCase())).toBe('tampered');
    expect(attempt({ ciphertext: bytes.subarray(0, bytes.length - 1).toString('base64') })).toBe('tampered');
    expect(attempt({ ciphertext: bytes.subarray(0, 15).toString('base64') })).toBe('malformed');
    expect(attempt({ ciphertext: '%%%' })).toBe('malformed');
    expect(attempt({ nonce: 'short' })).toBe('malformed');
    expect(() => decryptResource({ ...sealed, apiV3Key: 'too short' })).toThrow(TypeError);
  });
});

describe('wx.requestPayment parameters', () => {
  it('signs appId\\ntimeStamp\\nnonceStr\\nprepay_id=…\\n with the merchant key, verified by the oracle', () => {
    const p = jsapiPayParams({
      appId: 'wx8888888888888888',
      prepayId: 'wx201410272009395522657a690389285100',
      privateKeyPem: merchant.privateKey,
    });
    expect(p.timeStamp).toMatch(/^\d{10}$/);
    expect(p.nonceStr).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(p).toMatchObject({ package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA' });
    const message = Formatter.joinedByLineFeed('wx8888888888888888', p.timeStamp, p.nonceStr, p.package);
    expect(paySignMessage('wx8888888888888888', p.timeStamp, p.nonceStr, p.package)).toBe(message);
    expect(Rsa.verify(message, p.paySign, merchant.publicKey)).toBe(true);
  });

  it('keeps given values and refuses malformed ones', () => {
    const fixed = jsapiPayParams({
      appId: 'wx1',
      prepayId: 'wx2',
      privateKeyPem: merchant.privateKey,
      timeStamp: '1700000000',
      nonceStr: 'abc',
    });
    expect(fixed).toMatchObject({ timeStamp: '1700000000', nonceStr: 'abc' });
    const base = { appId: 'wx1', prepayId: 'wx2', privateKeyPem: merchant.privateKey };
    expect(() => jsapiPayParams({ ...base, timeStamp: '1700000000000' })).toThrow(TypeError);
    expect(() => jsapiPayParams({ ...base, nonceStr: 'x'.repeat(33) })).toThrow(TypeError);
    expect(() => jsapiPayParams({ ...base, prepayId: '' })).toThrow(TypeError);
  });
});

describe('nonce', () => {
  it('is 32 alphanumeric characters by default, fresh every time', () => {
    const many = Array.from({ length: 200 }, () => nonce());
    for (const n of many) expect(n).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(new Set(many).size).toBe(many.length);
    expect(nonce(12)).toHaveLength(12);
  });
});
