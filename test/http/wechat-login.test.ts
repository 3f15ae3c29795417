/**
 * WeChat login and the app as its own token issuer, over real HTTP on 127.0.0.1: the local server (its /auth/wechat
 * calling the WeChat stand-in's jscode2session through a recording pass-through, so the test sees the session_key values
 * WeChat handed out) and an independent verifier (jose's remote JWKS, found through the discovery document).
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeJwt, jwtVerify, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { JwksBody, OpenIdConfigurationBody } from '../../shared/schemas/auth';
import { startTestServer, T0, type TestServer, tempDataDir } from '../support/http-harness';

const rsaKey = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey;

let wechat: WechatStandin;
let passThrough: { url: string; sessionKeys: string[]; close(): Promise<void> };
let t: TestServer;
const tmp = tempDataDir();
const signingKey = rsaKey();
const logLines: string[] = [];
let n = 0;
/** A fresh openid per call (28 characters, as WeChat's are). */
const openid = () => `oLogin_${String(++n).padStart(6, '0')}_abcdefghijklmn`;

/** Forwards jscode2session to the stand-in and keeps every session_key WeChat answered with. */
async function startPassThrough(target: string) {
  const sessionKeys: string[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const upstream = await fetch(`${target}${req.url}`);
      const text = await upstream.text();
      const key = (JSON.parse(text) as { session_key?: string }).session_key;
      if (key) sessionKeys.push(key);
      res.writeHead(upstream.status, { 'content-type': 'text/plain' }).end(text); // WeChat labels its JSON text/plain
    })().catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sessionKeys,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

beforeAll(async () => {
  wechat = await startWechatStandin();
  passThrough = await startPassThrough(wechat.url);
  t = await startTestServer({
    dataDir: tmp.dir,
    logDestination: { write: (chunk: string) => void logLines.push(...chunk.split('\n').filter(Boolean)) },
    env: {
      LOG_LEVEL: 'trace',
      WECHAT_APPID: wechat.merchantSettings.appId,
      WECHAT_APP_SECRET: wechat.merchantSettings.appSecret,
      WECHAT_API_BASE: passThrough.url,
      WECHAT_API_TIMEOUT_MS: '300',
      AUTH_JWT_PRIVATE_KEY: signingKey,
    },
  });
});
afterAll(async () => {
  await t?.stop();
  await passThrough?.close();
  await wechat?.close();
  tmp.remove();
});

const expectError = (r: { status: number; body: any }, status: number, code: string) =>
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const login = (code: string) => t.api('POST', '/auth/wechat', { body: { code } });

describe('POST /auth/wechat', () => {
  it('trades a wx.login code for a token that an independent verifier accepts through discovery and the JWKS', async () => {
    const who = openid();
    const r = await login(wechat.issueLoginCode(who));
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');

    const discovery = await t.api('GET', '/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    expect(OpenIdConfigurationBody.parse(discovery.body)).toEqual({
      issuer: t.server.url, // AUTH_JWT_ISSUER defaults to the local server's own URL
      jwks_uri: `${t.server.url}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['id_token'],
    });
    const jwks = createRemoteJWKSet(new URL(discovery.body.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(r.body.token, jwks, {
      issuer: discovery.body.issuer,
      audience: 'songli',
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat', 'sub'],
      currentDate: t.clock.now(), // the server runs on the test's frozen clock
    });
    expect(payload.sub).toBe(who);
    expect(payload.iat).toBe(Date.parse(T0) / 1000);
    expect(payload.exp! - payload.iat!).toBe(7200);
    expect(new Date(payload.exp! * 1000).toISOString()).toBe(r.body.expiresAt);

    const { keys } = JwksBody.parse((await t.api('GET', '/.well-known/jwks.json')).body);
    expect(keys).toHaveLength(1);
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: keys[0]!.kid });
    expect(keys[0]!.kid).toBe(await calculateJwkThumbprint(keys[0]!, 'sha256')); // RFC 7638
  });

  it('signs the caller in on user routes as the openid, next to dev tokens', async () => {
    const who = openid();
    const { token } = (await login(wechat.issueLoginCode(who))).body;
    expect((await t.api('GET', '/products', { headers: bearer(token) })).status).toBe(200);
    const created = await t.api('POST', '/gifts', { headers: bearer(token), body: { skuId: 'sku_scarf_blue' } });
    expect(created.status).toBe(201);
    // The same user through a dev token (POST /dev/login still works) sees the gift the WeChat login created.
    const sent = await t.api('GET', '/gifts?role=sent', { as: who });
    expect(sent.body.gifts.map((g: { id: string }) => g.id)).toEqual([created.body.gift.id]);
  });

  it('answers 401 WECHAT_LOGIN_FAILED to a reused, an unknown or a high-risk code', async () => {
    const code = wechat.issueLoginCode(openid());
    expect((await login(code)).status).toBe(200);
    expectError(await login(code), 401, 'WECHAT_LOGIN_FAILED'); // 40163
    expectError(await login('0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P'), 401, 'WECHAT_LOGIN_FAILED'); // 40029
    wechat.faults.failNext('jscode2session', { kind: 'errcode', errcode: 40226 });
    expectError(await login(wechat.issueLoginCode(openid())), 401, 'WECHAT_LOGIN_FAILED');
  });

  it.each([
    ['rate limited (45011)', { kind: 'errcode', errcode: 45011 }],
    ['busy (-1)', { kind: 'system_error' }],
    ['hanging past the timeout', { kind: 'timeout', ms: 2_000, processed: false }],
    ['answering HTTP 502', { kind: 'error', status: 502, code: 'BAD_GATEWAY' }],
  ] as const)('answers 503 DEPENDENCY_UNAVAILABLE when WeChat is %s, and the same code works once it answers', async (_what, fault) => {
    const who = openid();
    const code = wechat.issueLoginCode(who);
    wechat.faults.failNext('jscode2session', fault);
    const started = performance.now();
    expectError(await login(code), 503, 'DEPENDENCY_UNAVAILABLE');
    expect(performance.now() - started).toBeLessThan(1_500); // WECHAT_API_TIMEOUT_MS=300, not the 2 s hang
    const retried = await login(code);
    expect(retried.status).toBe(200);
    expect(decodeJwt(retried.body.token).sub).toBe(who);
    expect((await t.api('GET', '/gifts?role=sent', { headers: bearer(retried.body.token) })).status).toBe(200);
  });

  it('validates the body as every route does: 422 with issues, 400 for broken JSON, 415 for another media type', async () => {
    const missing = await t.api('POST', '/auth/wechat', { body: {} });
    expectError(missing, 422, 'VALIDATION_FAILED');
    expect(missing.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['code']);
    expectError(await t.api('POST', '/auth/wechat', { body: { code: 'abc', openid: 'o_me' } }), 422, 'VALIDATION_FAILED');
    expectError(await t.api('POST', '/auth/wechat', { body: { code: 'a code' } }), 422, 'VALIDATION_FAILED');
    expectError(await t.api('POST', '/auth/wechat', { body: { code: 'x'.repeat(129) } }), 422, 'VALIDATION_FAILED');
    expectError(await t.api('POST', '/auth/wechat', { rawBody: '{"code":' }), 400, 'MALFORMED_JSON');
    expectError(
      await t.api('POST', '/auth/wechat', { rawBody: 'code=abc', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
});

describe('the app token on user routes', () => {
  let kid: string;
  beforeAll(async () => {
    kid = (await t.api('GET', '/.well-known/jwks.json')).body.keys[0].kid;
  });
  const forge = (claims: { iss?: string; aud?: string; exp?: number | null; key?: string; kid?: string }) => {
    const iat = Math.floor(t.clock.now().getTime() / 1000);
    const jwt = new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: claims.kid ?? kid })
      .setSubject('o_forged')
      .setIssuer(claims.iss ?? t.server.url)
      .setAudience(claims.aud ?? 'songli')
      .setIssuedAt(iat);
    if (claims.exp !== null) jwt.setExpirationTime(claims.exp ?? iat + 600);
    return jwt.sign(createPrivateKey(claims.key ?? signingKey));
  };

  it('accepts a token with the right issuer and audience (the forging below changes one thing at a time)', async () => {
    expect((await t.api('GET', '/products', { headers: bearer(await forge({})) })).status).toBe(200);
  });

  it('answers 401 to an expired token', async () => {
    const { token } = (await login(wechat.issueLoginCode(openid()))).body;
    t.clock.advanceSeconds(7_200);
    try {
      expectError(await t.api('GET', '/products', { headers: bearer(token) }), 401, 'UNAUTHENTICATED');
    } finally {
      t.clock.set(T0);
    }
    expect((await t.api('GET', '/products', { headers: bearer(token) })).status).toBe(200);
  });

  it('answers 401 to a wrong audience, a wrong issuer, no exp, another key or an unknown kid', async () => {
    for (const token of [
      await forge({ aud: 'another-app' }),
      await forge({ iss: 'https://login.example.cn' }),
      await forge({ exp: null }),
      await forge({ key: rsaKey() }),
      await forge({ kid: 'another-key' }),
    ]) {
      expectError(await t.api('GET', '/products', { headers: bearer(token) }), 401, 'UNAUTHENTICATED');
    }
  });
});

describe('logs of a whole login', () => {
  it('never carry a session_key WeChat answered with, nor the app secret', async () => {
    const code = wechat.issueLoginCode(openid());
    expect((await login(code)).status).toBe(200);
    expect((await login(code)).status).toBe(401);
    wechat.faults.failNext('jscode2session', { kind: 'errcode', errcode: 45011 });
    expect((await login(wechat.issueLoginCode(openid()))).status).toBe(503);

    expect(passThrough.sessionKeys.length).toBeGreaterThanOrEqual(5); // every successful login in this file
    const logs = logLines.join('\n');
    expect(logs).toContain('"route":"/auth/wechat"');
    expect(logs).toContain('errcode 45011'); // the failures are logged, so the check below reads real error logs
    for (const key of passThrough.sessionKeys) expect(logs).not.toContain(key);
    expect(logs).not.toContain('session_key');
    expect(logs).not.toContain(wechat.merchantSettings.appSecret);
  });
});

describe('without WeChat settings (local defaults)', () => {
  const dir = tempDataDir();
  afterAll(() => dir.remove());

  it('answers 403 WECHAT_LOGIN_DISABLED, still serves its keys, and keeps a generated key (0600) across restarts', async () => {
    let other = await startTestServer({ dataDir: dir.dir, env: { WECHAT_APPID: 'wx0123456789abcdef' } });
    let firstKid: string;
    try {
      expectError(await other.api('POST', '/auth/wechat', { body: { code: 'abc' } }), 403, 'WECHAT_LOGIN_DISABLED');
      const discovery = await other.api('GET', '/.well-known/openid-configuration');
      expect(discovery.body.issuer).toBe(other.server.url);
      firstKid = (await other.api('GET', '/.well-known/jwks.json')).body.keys[0].kid;
    } finally {
      await other.stop();
    }
    expect(statSync(`${dir.dir}/auth-jwt-private-key.pem`).mode & 0o777).toBe(0o600);
    other = await startTestServer({ dataDir: dir.dir });
    try {
      expect((await other.api('GET', '/.well-known/jwks.json')).body.keys[0].kid).toBe(firstKid);
    } finally {
      await other.stop();
    }
  });
});
