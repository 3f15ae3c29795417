/**
 * The bundles `serverless package` ships (same esbuild options), loaded as Lambda would load them and fed
 * API Gateway HTTP API v2 and EventBridge events. Behind them: DynamoDB (dynalite on 127.0.0.1), a merchant
 * (catalog, payments, fulfillment webhook) and WeChat (the stand-in's jscode2session) over real HTTP.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, deployableFunctions, ROOT } from '../../build/bundle';
import { FUNCTIONS } from '../../functions/manifest';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { type EmbeddedDynamo, ensureGiftsTable, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { deploysTo } from '../../shared/composition/function-manifest';
import { HTTP_API_URL, httpApiEvent, lambdaContext, scheduledEvent } from '../support/aws-events';
import { type FakeMerchant, merchantEnv, startFakeMerchant } from '../support/fake-merchant';

type Handler = (event: unknown, context: unknown) => Promise<any>;
const OUT = join(ROOT, 'test-artifacts', 'bundles', 'aws');
const handlers: Record<string, Handler> = {};
let dynamo: EmbeddedDynamo;
let merchant: FakeMerchant;
let wechat: WechatStandin;
const savedEnv = { ...process.env };

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  dynamo = await startEmbeddedDynamo();
  await ensureGiftsTable(dynamo.client, 'songli-gifts-test');
  merchant = await startFakeMerchant();
  wechat = await startWechatStandin();
  const signingKey = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  }).privateKey;
  Object.assign(process.env, merchantEnv(merchant), {
    // What serverless.yml sets (issuer = the HTTP API's endpoint) and what the sign-in functions read from SSM.
    AUTH_JWT_ISSUER: HTTP_API_URL,
    AUTH_JWT_PRIVATE_KEY: signingKey,
    WECHAT_APPID: wechat.merchantSettings.appId,
    WECHAT_APP_SECRET: wechat.merchantSettings.appSecret,
    WECHAT_API_BASE: wechat.url,
    WECHAT_API_TIMEOUT_MS: '500',
    GIFTS_TABLE: 'songli-gifts-test',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    DISPATCH_BASE_DELAY_SECONDS: '1',
  });
  const require = createRequire(import.meta.url);
  for (const name of deployableFunctions('aws')) {
    const file = join(OUT, `${name}.cjs`); // .cjs: the repo is "type": "module"; Lambda loads .js as CommonJS
    await bundleFunction(name, 'aws', file);
    handlers[name] = require(file).handler;
  }
}, 120_000);

afterAll(async () => {
  process.env = savedEnv;
  await merchant?.close();
  await wechat?.close();
  await dynamo?.close();
});

/** Invokes a bundled HTTP function; returns status and parsed body. */
async function call(
  fn: string,
  method: string,
  routeKey: string,
  opts: { sub?: string; params?: Record<string, string>; body?: unknown; query?: Record<string, string> } = {},
) {
  const path = routeKey.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(opts.params![k]!));
  const res = await handlers[fn]!(
    httpApiEvent({ method, routeKey, path, pathParameters: opts.params, body: opts.body, query: opts.query, sub: opts.sub }),
    lambdaContext(`songli-qa-${fn}`),
  );
  return { status: res.statusCode as number, headers: res.headers as Record<string, string>, body: res.body ? JSON.parse(res.body) : null };
}

describe('bundled Lambda handlers', () => {
  it('bundles one handler per function, none of them carrying the AWS SDK or dev-only engines', () => {
    expect(Object.keys(handlers)).toHaveLength(FUNCTIONS.filter((f) => deploysTo(f, 'aws')).length);
    for (const h of Object.values(handlers)) expect(typeof h).toBe('function');
    for (const name of Object.keys(handlers)) {
      const code = readFileSync(join(OUT, `${name}.cjs`), 'utf8');
      expect(code).toContain('require("@aws-sdk/client-dynamodb")'); // left to the Lambda runtime
      expect(code).not.toMatch(/dynalite|@cloudbase\/node-sdk|classic-level/);
    }
  });

  it('answers 401 when the authorizer passed no subject, and 4xx JSON for bad input', async () => {
    const anon = await call('list-products', 'GET', '/products');
    expect(anon).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    const bad = await call('create-gift', 'POST', '/gifts', { sub: 'o_giver_aws', body: { skuId: 42 } });
    expect(bad).toMatchObject({ status: 422, body: { error: { code: 'VALIDATION_FAILED' } } });
    expect(bad.headers['content-type']).toMatch(/application\/json/);
  });

  it('signs in through the bundled auth-wechat against WeChat; the bundled discovery and JWKS verify the token', async () => {
    const openid = 'oBundle_0123456789abcdefghij';
    const code = wechat.issueLoginCode(openid);
    const signedIn = await call('auth-wechat', 'POST', '/auth/wechat', { body: { code } });
    expect(signedIn.status).toBe(200);
    const discovery = await call('openid-configuration', 'GET', '/.well-known/openid-configuration');
    expect(discovery.body).toMatchObject({ issuer: HTTP_API_URL, jwks_uri: `${HTTP_API_URL}/.well-known/jwks.json` });
    const jwks = await call('jwks', 'GET', '/.well-known/jwks.json');
    const { payload } = await jwtVerify(signedIn.body.token, createLocalJWKSet(jwks.body), {
      issuer: discovery.body.issuer,
      audience: 'songli',
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    expect(payload.sub).toBe(openid);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(7200);
    // What the authorizer hands on: the token's sub is the caller of every user route.
    expect((await call('list-gifts', 'GET', '/gifts', { sub: payload.sub, query: { role: 'sent' } })).status).toBe(200);

    const reused = await call('auth-wechat', 'POST', '/auth/wechat', { body: { code } });
    expect(reused).toMatchObject({ status: 401, body: { error: { code: 'WECHAT_LOGIN_FAILED' } } });
    wechat.faults.failNext('jscode2session', { kind: 'timeout', ms: 2_000, processed: false });
    const hanging = await call('auth-wechat', 'POST', '/auth/wechat', { body: { code: wechat.issueLoginCode(openid) } });
    expect(hanging).toMatchObject({ status: 503, body: { error: { code: 'DEPENDENCY_UNAVAILABLE' } } });
  });

  it('runs the whole gift flow across the functions and hands off once through the scheduled dispatcher', async () => {
    const giver = 'o_giver_aws';
    const friend = 'o_friend_aws';
    const products = await call('list-products', 'GET', '/products', { sub: giver });
    expect(products.body.products.find((p: any) => p.id === 'p_scarf').giftable).toBe(true);

    const created = await call('create-gift', 'POST', '/gifts', {
      sub: giver,
      body: { skuId: 'sku_scarf_blue', message: '天冷了，围上' },
    });
    expect(created.status).toBe(201);
    const id = created.body.gift.id;
    const paid = await call('pay-gift', 'POST', '/gifts/{id}/pay', { sub: giver, params: { id } });
    expect(paid.body.gift.status).toBe('sent');
    const token = paid.body.gift.claimToken;
    expect([...merchant.charges.values()]).toContainEqual(expect.objectContaining({ giftId: id, amountFen: 29_900 }));

    expect((await call('claim-gift', 'POST', '/claims/{token}/claim', { sub: giver, params: { token } })).status).toBe(403);
    const viewed = await call('view-claim', 'GET', '/claims/{token}', { sub: friend, params: { token } });
    expect(viewed.body.gift.message).toBe('天冷了，围上');
    expect((await call('claim-gift', 'POST', '/claims/{token}/claim', { sub: friend, params: { token } })).status).toBe(200);
    const addressed = await call('set-address', 'PUT', '/claims/{token}/address', {
      sub: friend,
      params: { token },
      body: { name: '李四', phone: '13800138000', regionCode: '440305', detail: '科技园 1 栋' },
    });
    expect(addressed.body.gift.address.district).toBe('南山区');
    expect(
      (await call('swap-variant', 'PUT', '/claims/{token}/variant', { sub: friend, params: { token }, body: { skuId: 'sku_scarf_grey' } }))
        .status,
    ).toBe(200);
    expect((await call('accept-gift', 'POST', '/claims/{token}/accept', { sub: friend, params: { token } })).body.gift.status).toBe(
      'accepted',
    );

    merchant.failFulfillments(1);
    const first = await handlers['dispatch-handoffs']!(
      scheduledEvent('songli-qa-dispatch-handoffs'),
      lambdaContext('songli-qa-dispatch-handoffs'),
    );
    expect(first).toMatchObject({ attempted: 1, failed: 1 });
    const giverView = await call('get-gift', 'GET', '/gifts/{id}', { sub: giver, params: { id } });
    expect(giverView.body.gift.handoff).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringContaining('HTTP 503') });
    expect(JSON.stringify(giverView.body)).not.toContain('科技园');

    const list = await call('list-gifts', 'GET', '/gifts', { sub: friend, query: { role: 'received' } });
    expect(list.body.gifts.map((g: any) => g.id)).toEqual([id]);
    const sweep = await handlers['sweep-gifts']!(scheduledEvent('songli-qa-sweep-gifts'), lambdaContext('songli-qa-sweep-gifts'));
    expect(sweep).toMatchObject({ expired: 0 });
    const notified = await handlers['dispatch-notifications']!(
      scheduledEvent('songli-qa-dispatch-notifications'),
      lambdaContext('songli-qa-dispatch-notifications'),
    );
    expect(notified.succeeded).toBeGreaterThanOrEqual(2);
    expect([...merchant.notifications.values()].map((n) => n.event).sort()).toEqual(['gift_accepted', 'gift_claimed']);
  });

  it('declines through its own function and refunds the original payment through the refund dispatcher', async () => {
    const created = await call('create-gift', 'POST', '/gifts', { sub: 'o_giver2', body: { skuId: 'sku_tea_250' } });
    const id = created.body.gift.id;
    const token = (await call('pay-gift', 'POST', '/gifts/{id}/pay', { sub: 'o_giver2', params: { id } })).body.gift.claimToken;
    await call('claim-gift', 'POST', '/claims/{token}/claim', { sub: 'o_friend2', params: { token } });
    expect((await call('decline-gift', 'POST', '/claims/{token}/decline', { sub: 'o_friend2', params: { token } })).body.gift.status).toBe(
      'declined',
    );
    await handlers['dispatch-refunds']!(scheduledEvent('songli-qa-dispatch-refunds'), lambdaContext('songli-qa-dispatch-refunds'));
    await handlers['dispatch-refunds']!(scheduledEvent('songli-qa-dispatch-refunds'), lambdaContext('songli-qa-dispatch-refunds'));
    const charge = [...merchant.charges.values()].find((c) => c.giftId === id)!;
    expect([...merchant.refunds.values()].filter((r) => r.paymentId === charge.paymentId)).toEqual([
      expect.objectContaining({ amountFen: 26_800, reason: 'declined' }),
    ]);
    const reissue = await call('reissue-claim-link', 'POST', '/gifts/{id}/claim-link', { sub: 'o_giver2', params: { id } });
    expect(reissue.status).toBe(409);
  });

  it('hands off exactly once after the failed attempt, once the backoff has passed', async () => {
    // Bundles run on the system clock: the retry is due 1 s (DISPATCH_BASE_DELAY_SECONDS) after the failure.
    await new Promise((r) => setTimeout(r, 1_100));
    const run = () =>
      handlers['dispatch-handoffs']!(scheduledEvent('songli-qa-dispatch-handoffs'), lambdaContext('songli-qa-dispatch-handoffs'));
    expect(await run()).toMatchObject({ attempted: 1, succeeded: 1 });
    expect(await run()).toMatchObject({ attempted: 0 });
    expect(merchant.handoffs.size).toBe(1);
    const [handoff] = [...merchant.handoffs.values()];
    expect(handoff.data).toMatchObject({
      is_present: true,
      present_giver_openid: 'o_giver_aws',
      openid: 'o_friend_aws',
      skuId: 'sku_scarf_grey',
      originalSkuId: 'sku_scarf_blue',
    });
    expect(merchant.requests.filter((r) => r.path === '/merchant/fulfillment').map((r) => r.status)).toEqual([503, 200]);
    expect(merchant.requests.every((r) => r.verdict === 'ok')).toBe(true);
  }, 20_000);
});
