/**
 * The WeChat stand-in over real HTTP on 127.0.0.1, driven by a minimal client on our crypto (every answer's signature
 * verified, errors and 204 included) and a receiver that verifies and decrypts notifications; the plugin's own
 * client talks to it too. Notification retries run on a compressed schedule.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { authorizationHeader, jsapiPayParams } from '../../shared/adapters/wechatpay/wechatpay-crypto';
import { startNotifyReceiver } from './support/notify-receiver';
import { oracle } from './support/wechatpay-oracle';
import { wechatpayTestClient } from './support/wechatpay-test-client';

let standin: WechatStandin;
let receiver: Awaited<ReturnType<typeof startNotifyReceiver>>;
let client: ReturnType<typeof wechatpayTestClient>;
let seq = 0;
const tradeNo = () => `gift_${Date.now()}_${++seq}`;

beforeAll(async () => {
  standin = await startWechatStandin({
    notifyRetryDelaysMs: [20, 20, 40],
    notifyTimeoutMs: 1000,
    refundSettleMs: 30,
    refundSpacingSeconds: 0,
  });
  receiver = await startNotifyReceiver(standin.identity);
  client = wechatpayTestClient(standin.url, standin.identity);
});
afterAll(async () => {
  await standin?.close();
  await receiver?.close();
});

const order = (outTradeNo: string, overrides: Record<string, unknown> = {}) => ({
  appid: standin.identity.appId,
  mchid: standin.identity.mchid,
  description: '送礼物·蓝色围巾 🧣',
  out_trade_no: outTradeNo,
  attach: '生日快乐',
  notify_url: receiver.url(),
  amount: { total: 19900, currency: 'CNY' },
  payer: { openid: 'o_giver' },
  ...overrides,
});

/** The payer confirming (the stand-in's control API), its answer's body typed loosely. */
const pay = (req: Parameters<WechatStandin['pay']>[0]) => standin.pay(req) as { status: number; body: any };

/** An order placed and paid; its TRANSACTION.SUCCESS delivered. */
async function paidOrder(total = 19900) {
  const no = tradeNo();
  const placed = await client.jsapi(order(no, { amount: { total, currency: 'CNY' } }));
  expect(pay({ prepay_id: placed.body.prepay_id }).status).toBe(200);
  await standin.idle();
  return no;
}

describe('every answer is signed', () => {
  it('verifies the signature of success, error and 204 answers alike (and every answer in this file: see the last test)', async () => {
    const no = tradeNo();
    await client.jsapi(order(no));
    await client.query('not_an_order');
    await client.close(no);
    expect(client.answers.map((a) => a.status)).toEqual([200, 404, 204]);
    expect(client.answers.at(-1)!.raw).toBe('');
  });

  it('refuses requests whose Authorization does not verify with 401 SIGN_ERROR (itself signed)', async () => {
    const no = tradeNo();
    const stale = await client.call('POST', '/v3/pay/transactions/jsapi', order(no), { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const missing = await client.call('GET', `/v3/pay/transactions/out-trade-no/${no}?mchid=${standin.identity.mchid}`, undefined, {
      authorization: 'Bearer x',
    });
    const swapped = await client.call('GET', '/v3/refund/domestic/refunds/r1', undefined, {
      authorization: authorizationHeader({
        mchid: standin.identity.mchid,
        serialNo: standin.identity.merchant.serialNo,
        privateKeyPem: standin.identity.wechatpay.privateKeyPem,
        method: 'GET',
        pathWithQuery: '/v3/refund/domestic/refunds/r1',
      }),
    });
    for (const a of [stale, missing, swapped]) expect([a.status, a.body.code, a.verdict.ok]).toEqual([401, 'SIGN_ERROR', true]);
    expect(standin.orders.has(no)).toBe(false);
  });

  it('interoperates with wechatpay-axios-plugin’s client: it signs, the stand-in verifies; the stand-in signs, it verifies', async () => {
    const id = standin.identity;
    const wxpay = new oracle.Wechatpay({
      baseURL: `${standin.url}/`,
      mchid: id.mchid,
      serial: id.merchant.serialNo,
      privateKey: id.merchant.privateKeyPem,
      certs: { [id.wechatpay.publicKeyId]: id.wechatpay.publicKeyPem },
      proxy: false,
    });
    const no = tradeNo();
    const placed = await wxpay.v3.pay.transactions.jsapi.post(order(no));
    expect(placed.data.prepay_id).toMatch(/^wx\d{14}/);
    const queried = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: id.mchid }, out_trade_no: no });
    expect(queried.data).toMatchObject({ out_trade_no: no, trade_state: 'NOTPAY', amount: { total: 19900 } });
    const closed = await wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.close.post({ mchid: id.mchid }, { out_trade_no: no });
    expect(closed.status).toBe(204);
    standin.faults.failNext('query', { kind: 'bad_signature' });
    await expect(
      wxpay.v3.pay.transactions.outTradeNo._out_trade_no_.get({ params: { mchid: id.mchid }, out_trade_no: no }),
    ).rejects.toThrow(/Verify the response/);
  });
});

describe('JSAPI orders', () => {
  it('answers the same prepay_id for the same out_trade_no and parameters, 400 INVALID_REQUEST for other parameters', async () => {
    const no = tradeNo();
    const first = await client.jsapi(order(no));
    const again = await client.jsapi({ ...order(no), payer: { openid: 'o_giver' } });
    expect(first.status).toBe(200);
    expect(again.body.prepay_id).toBe(first.body.prepay_id);
    const changed = await client.jsapi(order(no, { amount: { total: 100, currency: 'CNY' } }));
    expect([changed.status, changed.body.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(changed.requestId).toMatch(/-268498688$/);
    expect(standin.orders.get(no)!.request.amount.total).toBe(19900);
  });

  it('validates the fields with PARAM_ERROR naming the field', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ out_trade_no: 'abc12' }, 'out_trade_no'],
      [{ out_trade_no: 'gift#1234' }, 'out_trade_no'],
      [{ out_trade_no: 'x'.repeat(33) }, 'out_trade_no'],
      [{ amount: { total: 0, currency: 'CNY' } }, 'amount.total'],
      [{ amount: { total: 1.5, currency: 'CNY' } }, 'amount.total'],
      [{ amount: { total: 100, currency: 'USD' } }, 'amount.currency'],
      [{ payer: {} }, 'payer.openid'],
      [{ description: '' }, 'description'],
      [{ notify_url: 'https://shop.example/notify?gift=1' }, 'notify_url'],
      [{ notify_url: 'http://shop.example/notify' }, 'notify_url'],
      [{ time_expire: '2030-01-01 10:00:00' }, 'time_expire'],
    ];
    for (const [override, field] of bad) {
      const a = await client.jsapi(order(tradeNo(), override));
      expect([a.status, a.body.code, a.verdict.ok], field).toEqual([400, 'PARAM_ERROR', true]);
      expect(a.body.message).toContain(field);
    }
    const wrongApp = await client.jsapi(order(tradeNo(), { appid: 'wx0000000000000000' }));
    expect(wrongApp.body.code).toBe('APPID_MCHID_NOT_MATCH');
    const ok = await client.jsapi(order(tradeNo(), { out_trade_no: `A-b_c*${seq}`, time_expire: '2099-06-08T10:34:56+08:00' }));
    expect(ok.status).toBe(200);
  });

  it('pays → the order is SUCCESS and a signed, encrypted TRANSACTION.SUCCESS reaches notify_url', async () => {
    const no = tradeNo();
    const placed = await client.jsapi(order(no));
    const params = jsapiPayParams({
      appId: standin.identity.appId,
      prepayId: placed.body.prepay_id,
      privateKeyPem: standin.identity.merchant.privateKeyPem,
    });
    expect(pay({ ...params, paySign: params.paySign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }).body).toMatchObject({
      code: 'SIGN_ERROR',
    });
    const paid = pay({ ...params, openid: 'o_giver' });
    expect(paid.status).toBe(200);
    await standin.idle();
    const [event] = receiver.events().filter((e) => e.plaintext.out_trade_no === no);
    expect(event).toMatchObject({ eventType: 'TRANSACTION.SUCCESS', associatedData: 'transaction', answered: 204 });
    const queried = await client.query(no);
    expect(queried.body).toMatchObject({ trade_state: 'SUCCESS', transaction_id: expect.stringMatching(/^\d{28}$/) });
    expect(event!.plaintext).toEqual(queried.body);
    expect(event!.plaintext).toMatchObject({
      appid: standin.identity.appId,
      mchid: standin.identity.mchid,
      attach: '生日快乐',
      payer: { openid: 'o_giver' },
      amount: { total: 19900, payer_total: 19900, currency: 'CNY', payer_currency: 'CNY' },
      success_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/),
    });
    const record = standin.notifications.find((n) => n.id === event!.id)!;
    expect(JSON.parse(record.body)).toMatchObject({
      resource_type: 'encrypt-resource',
      event_type: 'TRANSACTION.SUCCESS',
      summary: '支付成功',
      resource: { original_type: 'transaction', algorithm: 'AEAD_AES_256_GCM', associated_data: 'transaction' },
    });
    expect(pay({ prepay_id: placed.body.prepay_id }).body.code).toBe('ORDER_PAID');
    const replaced = await client.jsapi(order(no));
    expect([replaced.status, replaced.body.code]).toEqual([400, 'ORDER_PAID']);
  });

  it('closes an unpaid order with 204, again with 204; a closed order cannot be paid; a paid one answers ORDER_PAID', async () => {
    const no = tradeNo();
    const placed = await client.jsapi(order(no));
    expect((await client.close(no)).status).toBe(204);
    const again = await client.close(no);
    expect([again.status, again.raw, again.verdict.ok]).toEqual([204, '', true]);
    expect((await client.query(no)).body.trade_state).toBe('CLOSED');
    expect(pay({ prepay_id: placed.body.prepay_id }).body.code).toBe('ORDER_CLOSED');
    const paidNo = await paidOrder();
    const refused = await client.close(paidNo);
    expect([refused.status, refused.body.code, refused.verdict.ok]).toEqual([400, 'ORDER_PAID', true]);
    expect((await client.close('never_placed')).body.code).toBe('ORDER_NOT_EXIST');
  });
});

describe('refunds', () => {
  const refund = (outTradeNo: string, outRefundNo: string, amount = 19900) => ({
    out_trade_no: outTradeNo,
    out_refund_no: outRefundNo,
    reason: '礼物过期未领取',
    notify_url: receiver.url('/wechatpay/refund-notify'),
    amount: { refund: amount, total: 19900, currency: 'CNY' },
  });

  it('accepts as PROCESSING, then settles SUCCESS with a REFUND.SUCCESS notification', async () => {
    const no = await paidOrder();
    const accepted = await client.refund(refund(no, `${no}_r`));
    expect(accepted.body).toMatchObject({
      status: 'PROCESSING',
      out_trade_no: no,
      amount: { refund: 19900, total: 19900, currency: 'CNY' },
    });
    expect((await client.query(no)).body.trade_state).toBe('REFUND');
    await standin.idle();
    const [event] = receiver.events('/wechatpay/refund-notify').filter((e) => e.plaintext.out_trade_no === no);
    expect(event).toMatchObject({ eventType: 'REFUND.SUCCESS', associatedData: 'refund' });
    expect(event!.plaintext).toMatchObject({
      out_refund_no: `${no}_r`,
      refund_id: accepted.body.refund_id,
      refund_status: 'SUCCESS',
      amount: { total: 19900, refund: 19900, payer_total: 19900, payer_refund: 19900 },
    });
    expect((await client.queryRefund(`${no}_r`)).body).toMatchObject({ status: 'SUCCESS', success_time: expect.any(String) });
  });

  it('refunds one out_refund_no at most once, even asked twice at the same time', async () => {
    const no = await paidOrder();
    const [a, b] = await Promise.all([client.refund(refund(no, `${no}_r`, 5000)), client.refund(refund(no, `${no}_r`, 5000))]);
    expect(a.body.refund_id).toBe(b.body.refund_id);
    await standin.idle();
    expect((await client.refund(refund(no, `${no}_r`, 5000))).body).toMatchObject({ refund_id: a.body.refund_id, status: 'SUCCESS' });
    expect([...standin.refunds.values()].filter((r) => r.outTradeNo === no)).toHaveLength(1);
    expect(receiver.events('/wechatpay/refund-notify').filter((e) => e.plaintext.out_trade_no === no)).toHaveLength(1);
    const changed = await client.refund(refund(no, `${no}_r`, 6000));
    expect([changed.status, changed.body.code]).toEqual([400, 'INVALID_REQUEST']);
    const tooMuch = await client.refund(refund(no, `${no}_r2`, 19900 - 5000 + 1));
    expect([tooMuch.status, tooMuch.body.code]).toEqual([400, 'INVALID_REQUEST']);
    expect((await client.refund(refund('never_paid_order', 'r_x'))).body.code).toBe('RESOURCE_NOT_EXISTS');
    expect((await client.queryRefund('r_never')).status).toBe(404);
  });

  it('ends ABNORMAL when told to, notifying REFUND.ABNORMAL; NOT_ENOUGH injected refuses the refund', async () => {
    const no = await paidOrder();
    standin.faults.failNext('refund', { kind: 'error', status: 403, code: 'NOT_ENOUGH', message: '余额不足' });
    const refused = await client.refund(refund(no, `${no}_r`));
    expect([refused.status, refused.body.code, refused.verdict.ok]).toEqual([403, 'NOT_ENOUGH', true]);
    standin.faults.add({ target: 'refund_outcome', status: 'ABNORMAL' });
    expect((await client.refund(refund(no, `${no}_r`))).body.status).toBe('PROCESSING');
    await standin.idle();
    expect((await client.queryRefund(`${no}_r`)).body.status).toBe('ABNORMAL');
    const events = receiver.events('/wechatpay/refund-notify').filter((e) => e.plaintext.out_trade_no === no);
    expect(events.map((e) => [e.eventType, e.plaintext.refund_status])).toEqual([['REFUND.ABNORMAL', 'ABNORMAL']]);
  });
});

describe('injected faults', () => {
  it('SYSTEM_ERROR: answered 500 (signed); a retry with the same parameters succeeds; a processed one is not repeated', async () => {
    const no = tradeNo();
    standin.faults.failNext('jsapi', { kind: 'system_error' }, 2);
    for (let i = 0; i < 2; i++) {
      const failed = await client.jsapi(order(no));
      expect([failed.status, failed.body.code, failed.verdict.ok]).toEqual([500, 'SYSTEM_ERROR', true]);
    }
    expect(standin.orders.has(no)).toBe(false);
    expect((await client.jsapi(order(no))).status).toBe(200);

    const paidNo = await paidOrder();
    standin.faults.failNext('refund', { kind: 'system_error', processed: true });
    expect(
      (await client.refund({ out_trade_no: paidNo, out_refund_no: `${paidNo}_r`, amount: { refund: 1, total: 19900, currency: 'CNY' } }))
        .status,
    ).toBe(500);
    const retried = await client.refund({
      out_trade_no: paidNo,
      out_refund_no: `${paidNo}_r`,
      amount: { refund: 1, total: 19900, currency: 'CNY' },
    });
    expect(retried.status).toBe(200);
    expect([...standin.refunds.values()].filter((r) => r.outTradeNo === paidNo)).toHaveLength(1);
  });

  it('a timeout: the client gives up, the order was placed, the retry gets the same prepay_id', async () => {
    const no = tradeNo();
    standin.faults.failNext('jsapi', { kind: 'timeout', ms: 2000 });
    await expect(client.call('POST', '/v3/pay/transactions/jsapi', order(no), { timeoutMs: 200 })).rejects.toThrow();
    await vi.waitFor(() => expect(standin.orders.has(no)).toBe(true));
    expect((await client.jsapi(order(no))).body.prepay_id).toBe(standin.orders.get(no)!.prepayId);
  });

  it('answers with a bad signature or a SIGNTEST probe when told to, which the client refuses', async () => {
    standin.faults.failNext('query', { kind: 'bad_signature' });
    standin.faults.failNext('query', { kind: 'signtest' });
    expect((await client.query('whatever')).verdict).toEqual({ ok: false, reason: 'bad_signature' });
    expect((await client.query('whatever')).verdict).toEqual({ ok: false, reason: 'signtest' });
    expect((await client.query('whatever')).verdict).toEqual({ ok: true });
    standin.faults.add({ target: 'call', endpoint: 'query', fault: { kind: 'signtest' } });
    expect((await fetch(`${standin.url}/standin/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await client.query('whatever')).verdict.ok).toBe(true);
  });

  it('retries an unacknowledged notification on the (compressed) schedule until 204, and gives up after the last', async () => {
    receiver.answerNext(500, 'hang');
    const no = await paidOrder();
    const record = standin.notifications.find((n) => (n.resource as any).out_trade_no === no)!;
    expect(record.state).toBe('delivered');
    expect(record.attempts.map((a) => a.status)).toEqual([500, null, 204]);
    expect(record.attempts[1]!.error).toMatch(/no answer within 1000 ms/);

    receiver.answerNext(503, 503, 503, 503);
    const lostNo = await paidOrder();
    const gaveUp = standin.notifications.find((n) => (n.resource as any).out_trade_no === lostNo)!;
    expect([gaveUp.state, gaveUp.attempts.length]).toEqual(['gave_up', 4]);
  });

  it('duplicated notifications arrive twice with one id; lost ones never arrive, so only the query tells', async () => {
    standin.faults.add({ target: 'notification', event: 'TRANSACTION', fault: { kind: 'duplicate' } });
    const dup = await paidOrder();
    const twice = receiver.events().filter((e) => e.plaintext.out_trade_no === dup);
    expect(twice).toHaveLength(2);
    expect(twice[0]!.id).toBe(twice[1]!.id);

    await fetch(`${standin.url}/standin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'notification', fault: { kind: 'lose' } }),
    });
    const lost = await paidOrder();
    expect(receiver.received.filter((e) => e.plaintext?.out_trade_no === lost)).toHaveLength(0);
    expect(standin.notifications.find((n) => (n.resource as any).out_trade_no === lost)!.state).toBe('lost');
    expect((await client.query(lost)).body.trade_state).toBe('SUCCESS');
  });

  it('a delayed notification arrives late; a SIGNTEST probe and a forged one are refused by a verifying receiver', async () => {
    standin.faults.add({ target: 'notification', fault: { kind: 'delay', ms: 150 } });
    const started = Date.now();
    const late = await paidOrder();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(receiver.events().filter((e) => e.plaintext.out_trade_no === late)).toHaveLength(1);

    standin.faults.add({ target: 'notification', fault: { kind: 'signtest' } });
    const probed = await paidOrder();
    const record = standin.notifications.find((n) => (n.resource as any).out_trade_no === probed)!;
    expect(record.attempts.map((a) => [a.signature, a.status])).toEqual([
      ['signtest', 401],
      ['genuine', 204],
    ]);
    expect(receiver.received.some((r) => r.verdict.ok === false && r.verdict.reason === 'signtest')).toBe(true);

    const unpaid = tradeNo();
    await client.jsapi(order(unpaid));
    const forged = await fetch(`${standin.url}/standin/forge-notification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ out_trade_no: unpaid }),
    }).then((r) => r.json());
    expect(forged).toMatchObject({ state: 'forged', attempts: [{ signature: 'bad_signature', status: 401, acknowledged: false }] });
    expect(receiver.received.at(-1)!.verdict).toEqual({ ok: false, reason: 'bad_signature' });
    expect((await client.query(unpaid)).body.trade_state).toBe('NOTPAY');
  });
});

describe('on WeChat’s clock: expiry, refund limits, login, stable token and subscribe messages', () => {
  let wx: WechatStandin;
  const clock = new FixedClock(new Date());
  const get = (path: string) => fetch(`${wx.url}${path}`).then((r) => r.json() as Promise<any>);
  const post = (path: string, body: unknown) =>
    fetch(`${wx.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      (r) => r.json() as Promise<any>,
    );
  const session = (code: string, secret = wx.identity.appSecret) =>
    get(`/sns/jscode2session?appid=${wx.identity.appId}&secret=${secret}&js_code=${code}&grant_type=authorization_code`);
  const token = (force_refresh = false) =>
    post('/cgi-bin/stable_token', {
      grant_type: 'client_credential',
      appid: wx.identity.appId,
      secret: wx.identity.appSecret,
      force_refresh,
    });
  const send = (accessToken: string, data: Record<string, string>, touser = 'o_giver') =>
    post(`/cgi-bin/message/subscribe/send?access_token=${accessToken}`, {
      touser,
      template_id: 'TPL_GIFT_CLAIMED',
      page: 'pages/gift/detail?id=g1',
      data: Object.fromEntries(Object.entries(data).map(([k, value]) => [k, { value }])),
      miniprogram_state: 'formal',
      lang: 'zh_CN',
    });

  beforeAll(async () => {
    wx = await startWechatStandin({
      clock,
      identity: standin.identity,
      templates: { TPL_GIFT_CLAIMED: ['thing1', 'amount2', 'phrase3'] },
      notifyRetryDelaysMs: [],
      refundSettleMs: 5,
    });
  });
  afterAll(() => wx?.close());

  it('closes an unpaid order at time_expire, renews a prepay_id after 2 h, spaces refunds 1 min apart, at most 50', async () => {
    const timed = wechatpayTestClient(wx.url, wx.identity, () => Math.floor(clock.now().getTime() / 1000));
    const inTenMinutes = new Date(clock.now().getTime() + 600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const expiring = tradeNo();
    const placed = await timed.jsapi(order(expiring, { time_expire: inTenMinutes, notify_url: receiver.url('/timed') }));
    expect((await timed.query(expiring)).body.trade_state).toBe('NOTPAY');
    clock.advanceSeconds(601);
    expect((await timed.query(expiring)).body.trade_state).toBe('CLOSED');
    expect((wx.pay({ prepay_id: placed.body.prepay_id }).body as any).code).toBe('ORDER_CLOSED');

    const no = tradeNo();
    const first = (await timed.jsapi(order(no, { notify_url: receiver.url('/timed') }))).body.prepay_id;
    clock.advanceSeconds(2 * 3600);
    const second = (await timed.jsapi(order(no, { notify_url: receiver.url('/timed') }))).body.prepay_id;
    expect(second).not.toBe(first);
    expect((wx.pay({ prepay_id: first }).body as any).code).toBe('PREPAY_EXPIRED');
    expect(wx.pay({ prepay_id: second }).status).toBe(200);

    const refund = (i: number) =>
      timed.refund({ out_trade_no: no, out_refund_no: `${no}_${i}`, amount: { refund: 1, total: 19900, currency: 'CNY' } });
    expect((await refund(1)).status).toBe(200);
    const tooSoon = await refund(2);
    expect([tooSoon.status, tooSoon.body.code]).toEqual([429, 'FREQUENCY_LIMITED']);
    for (let i = 2; i <= 50; i++) {
      clock.advanceSeconds(60);
      expect((await refund(i)).status, `refund ${i}`).toBe(200);
    }
    clock.advanceSeconds(60);
    const fiftyFirst = await refund(51);
    expect([fiftyFirst.status, fiftyFirst.body.code]).toEqual([400, 'INVALID_REQUEST']);
    expect(timed.answers.every((a) => a.verdict.ok)).toBe(true);
    await wx.idle();
  });

  it('jscode2session trades a code once, within 5 minutes; bad codes, reused codes and wrong secrets are refused', async () => {
    const { code } = await post('/standin/login-code', { openid: 'o_friend', unionid: 'u_friend' });
    expect(await session(code)).toEqual({ openid: 'o_friend', unionid: 'u_friend', session_key: expect.any(String) });
    expect((await session(code)).errcode).toBe(40163);
    expect((await session('nonsense')).errcode).toBe(40029);
    expect((await session(wx.issueLoginCode('o_x'), 'wrong')).errcode).toBe(40125);
    const expiring = wx.issueLoginCode('o_late');
    clock.advanceSeconds(300);
    expect((await session(expiring)).errcode).toBe(40029);
    wx.faults.failNext('jscode2session', { kind: 'system_error' });
    wx.faults.failNext('jscode2session', { kind: 'errcode', errcode: 45011 });
    const fresh = wx.issueLoginCode('o_friend');
    expect((await session(fresh)).errcode).toBe(-1);
    expect((await session(fresh)).errcode).toBe(45011);
    expect((await session(fresh)).openid).toBe('o_friend');
  });

  it('stable_token hands out the same token until 5 minutes before expiry; force_refresh revokes it, at most every 30 s', async () => {
    const before = wx.calls.stable_token;
    const first = await token();
    expect(first.expires_in).toBe(7200);
    clock.advanceSeconds(3600);
    expect(await token()).toEqual({ access_token: first.access_token, expires_in: 3600 });
    clock.advanceSeconds(3301);
    const renewed = await token();
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed.expires_in).toBe(7200);
    expect((await send(first.access_token, { thing1: '围巾', amount2: '¥199.00', phrase3: '已领取' })).errcode).toBe(0);
    clock.advanceSeconds(300);
    expect((await send(first.access_token, { thing1: '围巾', amount2: '¥199.00', phrase3: '已领取' })).errcode).toBe(42001);
    const forced = await token(true);
    expect(forced.access_token).not.toBe(renewed.access_token);
    expect((await send(renewed.access_token, { thing1: '围巾', amount2: '¥199.00', phrase3: '已领取' })).errcode).toBe(40001);
    expect((await token(true)).errcode).toBe(45011);
    expect(wx.calls.stable_token - before).toBe(5);
  });

  it('subscribe/send checks the keyword rules (47003 naming the keyword), the template, and refusals (43101)', async () => {
    const { access_token } = await token();
    const good = { thing1: '蓝色围巾'.padEnd(20, '围'), amount2: '¥199.00', phrase3: '已领取' };
    expect(await send(access_token, good)).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(wx.messages.at(-1)).toMatchObject({
      touser: 'o_giver',
      template_id: 'TPL_GIFT_CLAIMED',
      data: { thing1: { value: good.thing1 } },
    });
    const cases: Array<[Record<string, string>, string]> = [
      [{ ...good, thing1: '围'.repeat(21) }, 'data.thing1'],
      [{ ...good, amount2: '199' }, 'data.amount2'],
      [{ ...good, phrase3: 'done' }, 'data.phrase3'],
      [{ ...good, phrase3: '已经领取了' + '的' }, 'data.phrase3'],
      [{ thing1: good.thing1, amount2: good.amount2 }, 'data.phrase3'],
      [{ ...good, name4: '小明' }, 'data.name4'],
    ];
    for (const [data, field] of cases) {
      const answer = await send(access_token, data);
      expect(answer.errcode, field).toBe(47003);
      expect(answer.errmsg).toContain(field);
    }
    wx.refuseSubscription('o_stranger');
    expect((await send(access_token, good, 'o_stranger')).errcode).toBe(43101);
    wx.acceptSubscription('o_stranger', 'TPL_GIFT_CLAIMED');
    expect((await send(access_token, good, 'o_stranger')).errcode).toBe(0);
    const unknown = await post(`/cgi-bin/message/subscribe/send?access_token=${access_token}`, {
      touser: 'o',
      template_id: 'NOPE',
      data: {},
    });
    expect(unknown.errcode).toBe(40037);
    expect((await send('not-a-token', good)).errcode).toBe(40001);
  });
});

describe('all along', () => {
  it('verified the signature of every answer the client got, except the two it was told to break', () => {
    const refused = client.answers.filter((a) => !a.verdict.ok).map((a) => a.verdict);
    expect(refused).toEqual([
      { ok: false, reason: 'bad_signature' },
      { ok: false, reason: 'signtest' },
    ]);
    expect(client.answers.length).toBeGreaterThan(50);
  });
});
