/**
 * The bundles `serverless package` ships (same esbuild options), loaded as Lambda would load them and fed
 * API Gateway HTTP API v2 and EventBridge events. Behind them: DynamoDB (dynalite on 127.0.0.1), a merchant
 * (catalog, fulfillment webhook) over real HTTP, WeChat (the stand-in: WeChat Pay with real signatures, its
 * notifications relayed to the bundled notify function as API Gateway would, subscription messages, jscode2session),
 * and SSM Parameter Store (a stand-in on 127.0.0.1) holding the secrets: the environment carries only where they are.
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction, deployableFunctions, ROOT } from '../../build/bundle';
import { FUNCTIONS } from '../../functions/manifest';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import {
  type EmbeddedDynamo,
  ensureGiftsTable,
  ensurePartsTable,
  startEmbeddedDynamo,
} from '../../shared/adapters/dynamodb/embedded-dynalite';
import { deploysTo } from '../../shared/composition/function-manifest';
import { HTTP_API_URL, httpApiEvent, lambdaContext, scheduledEvent } from '../support/aws-events';
import { type FakeAwsSecrets, ssmBatchReads, startFakeAwsSecrets } from '../support/fake-aws-secrets';
import { type FakeMerchant, merchantEnv, startFakeMerchant } from '../support/fake-merchant';
import { newRsaPrivateKeyPem } from '../support/rsa-key';
import { startRelay, wechatDeployEnv } from '../support/wechat-deploy-env';

type Handler = (event: unknown, context: unknown) => Promise<any>;
const OUT = join(ROOT, 'test-artifacts', 'bundles', 'aws');
const handlers: Record<string, Handler> = {};
let dynamo: EmbeddedDynamo;
let merchant: FakeMerchant;
let ssm: FakeAwsSecrets;
let wechat: WechatStandin;
let relay: Awaited<ReturnType<typeof startRelay>>;
/** The functions whose bundles were invoked: each is its own cold instance. */
const invoked = new Set<string>();
const savedEnv = { ...process.env };
const SSM_PATH = '/songli/qa/';

beforeAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  dynamo = await startEmbeddedDynamo();
  await ensureGiftsTable(dynamo.client, 'songli-gifts-test');
  await ensurePartsTable(dynamo.client, 'songli-parts-test');
  merchant = await startFakeMerchant();
  wechat = await startWechatStandin({ notifyRetryDelaysMs: [50, 100, 200], refundSettleMs: 50, refundSpacingSeconds: 0 });
  // WeChat Pay's notifications reach the bundled notify function as API Gateway would deliver them.
  relay = await startRelay(async (req) => {
    const res = await handlers['wechatpay-notify']!(
      httpApiEvent({ method: 'POST', routeKey: '/wechatpay/notify', path: '/wechatpay/notify', rawBody: req.body, headers: req.headers }),
      lambdaContext('songli-qa-wechatpay-notify'),
    );
    return { status: res.statusCode, headers: res.headers, body: res.body ?? null };
  });
  const { FULFILLMENT_WEBHOOK_SECRET, MERCHANT_API_SECRET, ...settings } = merchantEnv(merchant);
  const pay = wechatDeployEnv(wechat, `${relay.url}/wechatpay/notify`);
  const signingKey = newRsaPrivateKeyPem();
  ssm = await startFakeAwsSecrets({
    parameters: {
      [`${SSM_PATH}FULFILLMENT_WEBHOOK_SECRET`]: FULFILLMENT_WEBHOOK_SECRET,
      [`${SSM_PATH}MERCHANT_API_SECRET`]: MERCHANT_API_SECRET,
      ...Object.fromEntries(Object.entries(pay.secrets).map(([k, v]) => [`${SSM_PATH}${k}`, v])),
      [`${SSM_PATH}AUTH_JWT_PRIVATE_KEY`]: signingKey, // the sign-in functions' token key
    },
  });
  Object.assign(process.env, settings, pay.settings, {
    WECHAT_TEMPLATE_GIFT_CLAIMED: 'tmpl_gift_claimed_01',
    WECHAT_TEMPLATE_GIFT_ACCEPTED: 'tmpl_gift_accepted_01',
    WECHAT_TEMPLATE_GIFT_REFUNDED: 'tmpl_gift_refunded_01',
    AUTH_JWT_ISSUER: HTTP_API_URL, // what serverless.yml sets: the HTTP API's own endpoint
    WECHAT_API_TIMEOUT_MS: '500',
    SECRETS_SSM_PATH: SSM_PATH,
    AWS_ENDPOINT_URL_SSM: ssm.url,
    GIFTS_TABLE: 'songli-gifts-test',
    PARTS_TABLE: 'songli-parts-test',
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    DISPATCH_BASE_DELAY_SECONDS: '1',
    // These runs drive the scheduled dispatchers alone (no table stream here): nothing is left to a stream's first delivery.
    DISPATCH_FIRST_DELIVERY_SECONDS: '0',
  });
  const require = createRequire(import.meta.url);
  for (const name of deployableFunctions('aws')) {
    const file = join(OUT, `${name}.cjs`); // .cjs: the repo is "type": "module"; Lambda loads .js as CommonJS
    await bundleFunction(name, 'aws', file);
    const handler: Handler = require(file).handler;
    handlers[name] = (event, context) => {
      invoked.add(name);
      return handler(event, context);
    };
  }
}, 120_000);

afterAll(async () => {
  process.env = savedEnv;
  await merchant?.close();
  await relay?.close();
  await wechat?.close();
  await ssm?.close();
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

/**
 * 去支付 as a mini program does it: the pay function answers wx.requestPayment's arguments, the payer confirms in
 * WeChat (the stand-in verifies paySign), WeChat Pay notifies the notify function; then the giver's page reads the gift
 * sent, with its claim link.
 */
async function payThroughWechat(giver: string, id: string): Promise<string> {
  const opened = await call('pay-gift', 'POST', '/gifts/{id}/pay', { sub: giver, params: { id } });
  expect(opened.body.gift.status).toBe('awaiting_payment');
  expect(opened.body.payment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
  expect(wechat.pay({ ...opened.body.payment, openid: giver }).status).toBe(200);
  await wechat.idle();
  const sent = await call('get-gift', 'GET', '/gifts/{id}', { sub: giver, params: { id } });
  expect(sent.body.gift).toMatchObject({ status: 'sent', claimToken: expect.stringMatching(new RegExp(`^${id}\\.`)) });
  return sent.body.gift.claimToken;
}

describe('bundled Lambda handlers', () => {
  it('bundles one handler per function, each with its own small AWS client, no AWS SDK and no dev-only engine', () => {
    expect(Object.keys(handlers)).toHaveLength(FUNCTIONS.filter((f) => deploysTo(f, 'aws')).length);
    for (const h of Object.values(handlers)) expect(typeof h).toBe('function');
    for (const name of Object.keys(handlers)) {
      const code = readFileSync(join(OUT, `${name}.cjs`), 'utf8');
      // DynamoDB, SSM and Secrets Manager through shared/adapters/aws/ (AWS JSON over SigV4), neither the SDK bundled nor
      // the Lambda runtime's copy required; only @aws-sdk/util-dynamodb's marshalling is bundled (one error message names
      // @aws-sdk/lib-dynamodb).
      expect(code).not.toMatch(/require\("@aws-sdk|@smithy\/|aws-lambda-powertools|middlewareStack/);
      expect(code).toContain('DynamoDB_20120810');
      expect(code).toContain('AmazonSSM');
      expect(code).not.toMatch(/FULFILLMENT_WEBHOOK_SECRET=|merchant_secret_0123456789/); // nothing secret is baked in
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
    const token = await payThroughWechat(giver, id);
    expect(wechat.orders.get(id)).toMatchObject({
      tradeState: 'SUCCESS',
      request: { amount: { total: 29_900 }, payer: { openid: giver } },
    });

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
    expect(
      wechat.messages
        .filter((m) => m.touser === giver)
        .map((m) => m.template_id)
        .sort(),
    ).toEqual(['tmpl_gift_accepted_01', 'tmpl_gift_claimed_01']);
  });

  it('declines through its own function and refunds the original payment through the refund dispatcher', async () => {
    const created = await call('create-gift', 'POST', '/gifts', { sub: 'o_giver2', body: { skuId: 'sku_tea_250' } });
    const id = created.body.gift.id;
    const token = await payThroughWechat('o_giver2', id);
    await call('claim-gift', 'POST', '/claims/{token}/claim', { sub: 'o_friend2', params: { token } });
    expect((await call('decline-gift', 'POST', '/claims/{token}/decline', { sub: 'o_friend2', params: { token } })).body.gift.status).toBe(
      'declined',
    );
    // The refund is accepted as PROCESSING; WeChat Pay's REFUND.SUCCESS notification (through the notify function) settles it.
    await handlers['dispatch-refunds']!(scheduledEvent('songli-qa-dispatch-refunds'), lambdaContext('songli-qa-dispatch-refunds'));
    await wechat.idle();
    await handlers['dispatch-refunds']!(scheduledEvent('songli-qa-dispatch-refunds'), lambdaContext('songli-qa-dispatch-refunds'));
    expect([...wechat.refunds.values()].filter((r) => r.outTradeNo === id)).toEqual([
      expect.objectContaining({
        outRefundNo: `${id}-refund`,
        status: 'SUCCESS',
        request: expect.objectContaining({ amount: expect.objectContaining({ refund: 26_800, total: 26_800 }) }),
      }),
    ]);
    const view = await call('get-gift', 'GET', '/gifts/{id}', { sub: 'o_giver2', params: { id } });
    expect(view.body.gift.refund).toMatchObject({ status: 'done', outcome: 'refunded', providerStatus: 'succeeded', amountFen: 26_800 });
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

  it('read the secrets from SSM once per cold instance, decrypted, and refuse a secret left in the environment', async () => {
    const reads = ssmBatchReads(ssm);
    expect(invoked.size).toBeGreaterThanOrEqual(10);
    expect(reads).toHaveLength(invoked.size); // each function's instance read once, however often it was invoked
    for (const r of reads) {
      expect(r.body.WithDecryption).toBe(true);
      expect(r.body.Names).toContain(`${SSM_PATH}MERCHANT_API_SECRET`);
    }
    // A fresh instance of a bundle (a cold start) with a secret also set as an environment variable refuses to start.
    const file = join(OUT, 'list-products.cjs');
    const copy = join(OUT, 'list-products-cold.cjs');
    copyFileSync(file, copy);
    process.env.MERCHANT_API_SECRET = 'plaintext_in_the_lambda_env';
    try {
      const cold: Handler = createRequire(import.meta.url)(copy).handler;
      const event = httpApiEvent({ method: 'GET', routeKey: '/products', path: '/products', sub: 'o_cold' });
      await expect(cold(event, lambdaContext('songli-qa-list-products'))).rejects.toThrow(
        /MERCHANT_API_SECRET: is a secret and must not be an environment variable.*\(SSM parameter \/songli\/qa\/MERCHANT_API_SECRET\)/,
      );
    } finally {
      delete process.env.MERCHANT_API_SECRET;
    }
  });

  it('a broken setting stops the functions whose adapters read it, not the others (each checks what it wires)', async () => {
    const cold = (name: string): Handler => {
      const copy = join(OUT, `${name}-cold-template.cjs`);
      copyFileSync(join(OUT, `${name}.cjs`), copy);
      return createRequire(import.meta.url)(copy).handler;
    };
    const saved = process.env.WECHAT_TEMPLATE_GIFT_CLAIMED;
    process.env.WECHAT_TEMPLATE_GIFT_CLAIMED = 'tmpl_gift_claimed_01:thing1=amount'; // claim notices carry no amount
    try {
      // The notice dispatcher wires the notifier: it refuses to start, naming the setting and the problem.
      const dispatcher = cold('dispatch-notifications');
      await expect(
        dispatcher(scheduledEvent('songli-qa-dispatch-notifications'), lambdaContext('songli-qa-dispatch-notifications')),
      ).rejects.toThrow(/WECHAT_TEMPLATE_GIFT_CLAIMED: thing1=amount: gift_claimed notices carry no amount/);
      // The catalog never reads a template: it starts and answers.
      const products = cold('list-products');
      const event = httpApiEvent({ method: 'GET', routeKey: '/products', path: '/products', sub: 'o_cold_template' });
      expect((await products(event, lambdaContext('songli-qa-list-products'))).statusCode).toBe(200);
    } finally {
      process.env.WECHAT_TEMPLATE_GIFT_CLAIMED = saved;
    }
  });
});
