/**
 * The CloudBase entries (exports.main) over the same handlers. The SDK module is replaced: `init()` returns
 * the in-process stand-in of the database collection API (test/support/cloudbase-standin.ts, not the real
 * service), while `getCloudbaseContext` is the real SDK function reading the real context shape.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FUNCTIONS } from '../../functions/manifest';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { deploysTo } from '../../shared/composition/function-manifest';
import { integrationRequest, scfContext, TCB_ENV_ID, timerEvent } from '../support/cloudbase-context';
import type { CloudbaseStandin } from '../support/cloudbase-standin';
import { type FakeMerchant, merchantEnv, startFakeMerchant } from '../support/fake-merchant';
import { startRelay, wechatDeployEnv } from '../support/wechat-deploy-env';

const sdk = vi.hoisted(() => ({ loads: 0, initOptions: [] as unknown[], db: null as CloudbaseStandin | null }));
vi.mock('@cloudbase/node-sdk', async () => {
  sdk.loads++;
  const real = (await vi.importActual<{ default: { getCloudbaseContext: unknown; SYMBOL_CURRENT_ENV: symbol } }>('@cloudbase/node-sdk'))
    .default;
  const { CloudbaseStandin } = await import('../support/cloudbase-standin');
  sdk.db = new CloudbaseStandin();
  return {
    default: {
      SYMBOL_CURRENT_ENV: real.SYMBOL_CURRENT_ENV,
      getCloudbaseContext: real.getCloudbaseContext,
      init: (options: unknown) => {
        sdk.initOptions.push(options);
        return { database: () => sdk.db };
      },
    },
  };
});

const entry = async (name: string) =>
  (await import(`../../functions/${name}/cloudbase.ts`)).main as (event: unknown, context: unknown) => Promise<any>;
let merchant: FakeMerchant;
let wechat: WechatStandin;
let relay: Awaited<ReturnType<typeof startRelay>>;
const savedEnv = { ...process.env };
let loadsAfterImport = -1;
const fns: Record<string, (event: unknown, context: unknown) => Promise<any>> = {};

beforeAll(async () => {
  merchant = await startFakeMerchant();
  wechat = await startWechatStandin({ notifyRetryDelaysMs: [50, 100, 200], refundSettleMs: 50, refundSpacingSeconds: 0 });
  // WeChat Pay's notifications reach the notify function through the HTTP access service (path /songli-wechatpay).
  relay = await startRelay(async (req) => {
    const res = await fns['wechatpay-notify']!(
      integrationRequest('POST', '/wechatpay/notify', { rawBody: req.body, headers: req.headers }),
      scfContext('wechatpay-notify'),
    );
    return { status: res.statusCode, headers: res.headers, body: res.body || null };
  });
  const pay = wechatDeployEnv(wechat, `${relay.url}/wechatpay/notify`);
  // On CloudBase the secrets are environment variables too (cloudbaserc.json passes them from .env).
  Object.assign(process.env, merchantEnv(merchant), pay.settings, pay.secrets, {
    TCB_ENV: TCB_ENV_ID,
    WECHAT_TEMPLATE_GIFT_CLAIMED: 'tmpl_gift_claimed_01',
    WECHAT_TEMPLATE_GIFT_ACCEPTED: 'tmpl_gift_accepted_01',
  });
  for (const name of [
    'list-products',
    'create-gift',
    'pay-gift',
    'view-claim',
    'claim-gift',
    'set-address',
    'swap-variant',
    'accept-gift',
    'get-gift',
    'http-api',
    'sweep-gifts',
    'dispatch-handoffs',
    'dispatch-notifications',
    'wechatpay-notify',
  ]) {
    fns[name] = await entry(name);
  }
  loadsAfterImport = sdk.loads;
});
afterAll(async () => {
  process.env = savedEnv;
  await merchant?.close();
  await relay?.close();
  await wechat?.close();
});

/** wx.cloud.callFunction({ name, data }) as the caller `openid`. */
const callFn = (name: string, openid: string | undefined, data: object = {}) => fns[name]!(data, scfContext(name, openid));

describe('CloudBase functions', () => {
  it('loads the SDK lazily: importing every entry loads nothing, the first call loads it once', async () => {
    expect(loadsAfterImport).toBe(0);
    const r = await callFn('list-products', 'o_cb_giver');
    expect(r.statusCode).toBe(200);
    expect(sdk.loads).toBe(1);
    expect(sdk.initOptions).toEqual([{ env: TCB_ENV_ID }]);
  });

  it('takes the caller from WX_OPENID and answers 401 without one', async () => {
    expect(await callFn('list-products', undefined)).toMatchObject({ statusCode: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
  });

  it('rejects a callFunction payload that is not { params, query, body } with 422', async () => {
    expect(await callFn('get-gift', 'o_cb_giver', { params: {} })).toMatchObject({
      statusCode: 422,
      body: { error: { code: 'VALIDATION_FAILED', issues: [{ path: 'params.id' }] } },
    });
    expect(await callFn('get-gift', 'o_cb_giver', { id: 'g_1' })).toMatchObject({
      statusCode: 422,
      body: { error: { code: 'VALIDATION_FAILED' } },
    });
  });

  it('runs the gift flow through callFunction, then hands off through the timer-triggered dispatcher', async () => {
    const giver = 'o_cb_giver';
    const friend = 'o_cb_friend';
    const created = await callFn('create-gift', giver, { body: { skuId: 'sku_tea_250', message: '尝尝新茶' } });
    expect(created.statusCode).toBe(201);
    const id = created.body.gift.id;
    // 去支付: the pay function answers wx.requestPayment's arguments; the payer confirms; WeChat Pay notifies.
    const opened = await callFn('pay-gift', giver, { params: { id } });
    expect(opened.body.payment).toMatchObject({ signType: 'RSA', package: expect.stringMatching(/^prepay_id=/) });
    expect(wechat.pay({ ...opened.body.payment, openid: giver }).status).toBe(200);
    await wechat.idle();
    const sent = await callFn('get-gift', giver, { params: { id } });
    expect(sent.body.gift.status).toBe('sent');
    const token = sent.body.gift.claimToken;
    const card = await callFn('view-claim', friend, { params: { token } });
    expect(card.body.gift).toMatchObject({ message: '尝尝新茶', alternatives: [{ skuId: 'sku_tea_250_tin', inStock: true }] });
    expect(JSON.stringify(card.body)).not.toMatch(/price|amount/i);
    expect((await callFn('claim-gift', giver, { params: { token } })).statusCode).toBe(403);
    expect((await callFn('claim-gift', friend, { params: { token } })).statusCode).toBe(200);
    expect(
      (
        await callFn('set-address', friend, {
          params: { token },
          body: { name: '王五', phone: '+86 139 0013 9000', regionCode: '310104', detail: '漕溪北路 88 号' },
        })
      ).statusCode,
    ).toBe(200);
    expect((await callFn('swap-variant', friend, { params: { token }, body: { skuId: 'sku_tea_250_tin' } })).body.gift.sku.id).toBe(
      'sku_tea_250_tin',
    );
    expect((await callFn('accept-gift', friend, { params: { token } })).body.gift.status).toBe('accepted');

    const report = await fns['dispatch-handoffs']!(timerEvent('dispatch-handoffs-every-minute'), scfContext('dispatch-handoffs'));
    expect(report).toMatchObject({ attempted: 1, succeeded: 1 });
    expect([...merchant.handoffs.values()].map((h) => h.data)).toEqual([
      expect.objectContaining({ giftId: id, openid: friend, present_giver_openid: giver, skuId: 'sku_tea_250_tin' }),
    ]);
    expect(await fns['sweep-gifts']!(timerEvent('sweep-gifts-every-minute'), scfContext('sweep-gifts'))).toMatchObject({
      expired: 0,
      canceled: 0,
    });
    await fns['dispatch-notifications']!(timerEvent('dispatch-notifications-every-minute'), scfContext('dispatch-notifications'));
    expect(
      wechat.messages
        .filter((m) => m.touser === giver)
        .map((m) => m.template_id)
        .sort(),
    ).toEqual(['tmpl_gift_accepted_01', 'tmpl_gift_claimed_01']);

    // Every state change of a gift reached the database as a version compare-and-set.
    const updates = sdk.db!.calls.filter((c) => c.op === 'where.update' && c.collection === 'songli_gifts');
    expect(updates.length).toBeGreaterThan(5);
    for (const u of updates) expect(Object.keys((u as { query: object }).query).sort()).toEqual(['_id', 'version']);
  });

  it('serves the whole contract over the HTTP access service through http-api, with integration responses', async () => {
    const ctx = scfContext('http-api', 'o_cb_http');
    const created = await fns['http-api']!(integrationRequest('POST', '/gifts', { body: { skuId: 'sku_scarf_blue' } }), ctx);
    expect(created).toMatchObject({
      statusCode: 201,
      isBase64Encoded: false,
      headers: { 'content-type': expect.stringMatching(/application\/json/) },
    });
    const id = JSON.parse(created.body).gift.id;
    const listed = await fns['http-api']!(integrationRequest('GET', '/gifts', { query: { role: 'sent' } }), ctx);
    expect(JSON.parse(listed.body).gifts.map((g: any) => g.id)).toEqual([id]);
    const malformed = await fns['http-api']!(integrationRequest('POST', '/gifts', { rawBody: '{"skuId":' }), ctx);
    expect({ status: malformed.statusCode, body: JSON.parse(malformed.body) }).toMatchObject({
      status: 400,
      body: { error: { code: 'MALFORMED_JSON' } },
    });
    const unknown = await fns['http-api']!(integrationRequest('DELETE', '/gifts'), ctx);
    expect(unknown.statusCode).toBe(404);
    const base64 = await fns['http-api']!(
      {
        ...integrationRequest('POST', '/gifts'),
        body: Buffer.from(JSON.stringify({ skuId: 'sku_pendant' })).toString('base64'),
        isBase64Encoded: true,
        headers: { 'content-type': 'application/json' },
      },
      ctx,
    );
    expect(JSON.parse(base64.body).error.code).toBe('GIFT_INELIGIBLE');
  });

  it('deploys every function of the manifest from cloudbaserc.json: timers on the scheduled ones, the HTTP access paths', () => {
    const rc = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'cloudbaserc.json'), 'utf8'));
    const deployed = FUNCTIONS.filter((f) => deploysTo(f, 'cloudbase')).map((f) => f.name);
    expect(rc.functions.map((f: any) => f.name).sort()).toEqual(deployed.sort());
    const timers = rc.functions.filter((f: any) => f.triggers).map((f: any) => [f.name, f.triggers[0].type, f.triggers[0].config]);
    expect(timers.sort()).toEqual([
      ['dispatch-handoffs', 'timer', '0 */1 * * * * *'],
      ['dispatch-notifications', 'timer', '0 */1 * * * * *'],
      ['dispatch-refunds', 'timer', '0 */1 * * * * *'],
      ['sweep-gifts', 'timer', '0 */1 * * * * *'],
    ]);
    expect(rc.gateway.routes).toEqual([
      expect.objectContaining({ path: '/songli', target: 'function:http-api', enableAuth: true }),
      expect.objectContaining({ path: '/songli-callbacks', target: 'function:fulfillment-events', enableAuth: false }),
      expect.objectContaining({ path: '/songli-preview', target: 'function:preview-claim', enableAuth: false }),
      expect.objectContaining({ path: '/songli-wechatpay', target: 'function:wechatpay-notify', enableAuth: false }),
    ]);
    for (const f of rc.functions) expect(f).toMatchObject({ handler: 'index.main', installDependency: true, runtime: 'Nodejs24.11' });
  });
});
