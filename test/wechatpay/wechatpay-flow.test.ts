/**
 * WeChat Pay end to end over real HTTP: the local server (embedded store) configured against the WeChat stand-in,
 * both on one frozen clock. The stand-in's notifications reach POST /wechatpay/notify for real, signed with WeChat's
 * key and encrypted with the APIv3 key; hostile ones are built here with the same primitives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatpaySignatureHeaders } from '../../local/wechat-standin/sign-as-wechatpay';
import { beijingTime } from '../../local/wechat-standin/standin-identity';
import { startWechatStandin, type WechatStandin } from '../../local/wechat-standin/start-wechat-standin';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { AEAD_ALGORITHM, encryptResource, paySignMessage, verify } from '../../shared/adapters/wechatpay/wechatpay-crypto';
import { refundNoOf } from '../../shared/domain/payment-numbers';
import type { Deps } from '../../shared/ports/deps';
import type { PaymentGateway } from '../../shared/ports/payments';
import { ADDRESS, startTestServer, T0, type TestServer, tempDataDir } from '../support/http-harness';

const clock = new FixedClock(T0);
/** WeChat's clock: the app's, minus a skew a test may set (servers' clocks never agree exactly). */
let wechatBehindMs = 0;
const wechatClock = { now: () => new Date(clock.now().getTime() - wechatBehindMs) };
const tmp = tempDataDir();
let wechat: WechatStandin;
let t: TestServer;
/** Runs inside `payments.close`, before the real call: lets a test put the payer's confirmation in that race. */
let beforeClose: ((orderNo: string) => void) | null = null;

/** The payment gateway with a hook in front of close; every other call goes straight through. */
const hookClose = (deps: Deps): Deps => {
  const real = deps.payments;
  const payments = new Proxy(real, {
    get(target, key) {
      if (key === 'close')
        return async (orderNo: string) => {
          beforeClose?.(orderNo);
          return target.close(orderNo);
        };
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as PaymentGateway;
  return { ...deps, payments };
};

beforeAll(async () => {
  wechat = await startWechatStandin({
    clock: wechatClock,
    notifyRetryDelaysMs: [50, 100, 200],
    refundSettleMs: 50,
    refundSpacingSeconds: 0,
  });
  t = await startTestServer({
    dataDir: tmp.dir,
    clock,
    wechat,
    wrapDeps: hookClose,
    env: {
      PAYMENT_PROVIDER: 'wechatpay',
      WECHAT_TEMPLATE_GIFT_REFUNDED: 'TPL_REFUNDED',
      WECHAT_TEMPLATE_GIFT_EXPIRING: 'TPL_EXPIRING',
    },
  });
}, 60_000);
afterAll(async () => {
  await t?.stop();
  await wechat?.close();
  tmp.remove();
});

const stored = async (id: string) => (await t.server.deps.store.get(id))!;
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

async function createGift(giver: string, skuId = 'sku_scarf_blue'): Promise<string> {
  const r = await t.api('POST', '/gifts', { as: giver, body: { skuId } });
  expect(r.status).toBe(201);
  return r.body.gift.id;
}

async function openPayment(giver: string, id: string) {
  const r = await t.api('POST', `/gifts/${id}/pay`, { as: giver });
  expect(r.status).toBe(200);
  return r.body as { gift: { status: string; claimToken: string | null }; payment: Record<string, string> };
}

/** The giver pays in WeChat and WeChat Pay's notification (if not lost) has been answered. */
async function payInWechat(giver: string, id: string): Promise<void> {
  const { payment } = await openPayment(giver, id);
  expect(wechat.pay({ ...payment, openid: giver }).status).toBe(200);
  await wechat.idle();
}

async function giverView(giver: string, id: string) {
  const r = await t.api('GET', `/gifts/${id}`, { as: giver });
  expect(r.status).toBe(200);
  return r.body.gift;
}

/** POSTs a notification as WeChat Pay would; the answer is WeChat's format (204, or {"code":"FAIL","message"}). */
async function notify(body: string, headers: Record<string, string>) {
  const res = await fetch(`${t.server.url}/wechatpay/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A notification body as WeChat Pay builds it: the resource encrypted with the merchant's APIv3 key. */
function sealed(resource: object, eventType = 'TRANSACTION.SUCCESS', originalType: 'transaction' | 'refund' = 'transaction'): string {
  const s = encryptResource({ apiV3Key: wechat.identity.apiV3Key, plaintext: JSON.stringify(resource), associatedData: originalType });
  return JSON.stringify({
    id: crypto.randomUUID(),
    create_time: beijingTime(clock.now()),
    resource_type: 'encrypt-resource',
    event_type: eventType,
    summary: '支付成功',
    resource: {
      original_type: originalType,
      algorithm: AEAD_ALGORITHM,
      ciphertext: s.ciphertext,
      associated_data: s.associatedData,
      nonce: s.nonce,
    },
  });
}

/** What a paid order's notification says, as WeChat Pay words it. */
function paidTransaction(id: string, giver: string, totalFen: number) {
  return {
    appid: wechat.identity.appId,
    mchid: wechat.identity.mchid,
    out_trade_no: id,
    transaction_id: `4200${String(Date.now()).padStart(24, '0')}`,
    trade_type: 'JSAPI',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'OTHERS',
    attach: '',
    success_time: beijingTime(clock.now()),
    payer: { openid: giver },
    amount: { total: totalFen, payer_total: totalFen, currency: 'CNY', payer_currency: 'CNY' },
  };
}

describe('paying a gift with WeChat Pay', () => {
  it('opens one JSAPI order and answers exactly wx.requestPayment’s arguments; the notification makes the gift sent', async () => {
    const id = await createGift('o_pay_giver');
    const opened = await openPayment('o_pay_giver', id);
    expect(opened.gift).toMatchObject({ status: 'awaiting_payment', claimToken: null });
    const p = opened.payment;
    expect(p).toEqual({
      appId: wechat.identity.appId,
      timeStamp: expect.stringMatching(/^\d{10}$/),
      nonceStr: expect.stringMatching(/^[0-9A-Za-z]{1,32}$/),
      package: expect.stringMatching(/^prepay_id=\S+$/),
      signType: 'RSA',
      paySign: expect.any(String),
    });
    // paySign is the merchant's signature over appId\ntimeStamp\nnonceStr\npackage\n (checked with the merchant's public key).
    const message = paySignMessage(wechat.identity.appId, p.timeStamp!, p.nonceStr!, p.package!);
    expect(verify(wechat.identity.merchant.publicKeyPem, message, p.paySign!)).toBe(true);

    const gift = await stored(id);
    const order = wechat.orders.get(id)!;
    expect(order.request).toMatchObject({
      appid: wechat.identity.appId,
      mchid: wechat.identity.mchid,
      out_trade_no: id,
      amount: { total: gift.priceFen, currency: 'CNY' },
      payer: { openid: 'o_pay_giver' },
      notify_url: `${t.server.url}/wechatpay/notify`,
    });
    expect(Date.parse(order.request.time_expire!)).toBe(clock.now().getTime() + t.server.config.PAYMENT_TTL_SECONDS * 1000);
    // Paying again (a double tap, a retry) is the same order.
    expect((await openPayment('o_pay_giver', id)).payment.package).toBe(p.package);

    expect(wechat.pay({ ...p, openid: 'o_pay_giver' }).status).toBe(200);
    await wechat.idle();
    const delivered = wechat.notifications.filter((n) => (n.resource as { out_trade_no?: string }).out_trade_no === id);
    expect(delivered.map((n) => [n.eventType, n.state, n.attempts.at(-1)?.status])).toEqual([['TRANSACTION.SUCCESS', 'delivered', 204]]);
    const sent = await giverView('o_pay_giver', id);
    expect(sent).toMatchObject({ status: 'sent', claimToken: expect.stringMatching(new RegExp(`^${id}\\.`)) });
    expect((await stored(id)).payment).toMatchObject({ paymentId: order.transactionId, amountFen: gift.priceFen });
    expect((await t.api('GET', `/claims/${sent.claimToken}`, { as: 'o_pay_friend' })).status).toBe(200);

    // The same notification again (WeChat retries until acknowledged): acknowledged, nothing written.
    const version = (await stored(id)).version;
    const replay = await notify(delivered[0]!.body, wechatpaySignatureHeaders(wechat.identity, delivered[0]!.body, nowSeconds()));
    expect(replay.status).toBe(204);
    expect((await stored(id)).version).toBe(version);
  });

  it('POST /gifts opens the order with the gift: paying needs no second request; /pay and a replay answer the same order', async () => {
    const giver = 'o_create_opens';
    const created = await t.api('POST', '/gifts', {
      as: giver,
      body: { skuId: 'sku_scarf_blue' },
      headers: { 'idempotency-key': 'create-opens-0001' },
    });
    expect(created.status).toBe(201);
    const { gift, payment } = created.body as { gift: { id: string; status: string }; payment: Record<string, string> | null };
    expect(gift.status).toBe('awaiting_payment');
    expect(payment).toMatchObject({ appId: wechat.identity.appId, package: expect.stringMatching(/^prepay_id=\S+$/), signType: 'RSA' });
    const message = paySignMessage(wechat.identity.appId, payment!.timeStamp!, payment!.nonceStr!, payment!.package!);
    expect(verify(wechat.identity.merchant.publicKeyPem, message, payment!.paySign!)).toBe(true);
    expect(wechat.orders.get(gift.id)!.request).toMatchObject({ out_trade_no: gift.id, payer: { openid: giver } });
    // Opening it again, by /pay or by the create's retry, is the same WeChat Pay order (same prepay_id).
    expect((await openPayment(giver, gift.id)).payment.package).toBe(payment!.package);
    const replay = await t.api('POST', '/gifts', {
      as: giver,
      body: { skuId: 'sku_scarf_blue' },
      headers: { 'idempotency-key': 'create-opens-0001' },
    });
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.gift.id]).toEqual([201, 'true', gift.id]);
    expect(replay.body.payment.package).toBe(payment!.package);
    // The giver pays with what POST /gifts answered; the notification makes it sent.
    expect(wechat.pay({ ...payment!, openid: giver }).status).toBe(200);
    await wechat.idle();
    expect(await giverView(giver, gift.id)).toMatchObject({ status: 'sent' });
  });

  it('POST /gifts opens the one payment of a group order, quantity × price, with it', async () => {
    const giver = 'o_create_group';
    const created = await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_scarf_blue', mode: 'group', quantity: 3 } });
    expect(created.status).toBe(201);
    const order = wechat.orders.get(created.body.gift.id)!;
    expect(created.body.payment.package).toBe(`prepay_id=${order.prepayId}`);
    expect(order.request).toMatchObject({ amount: { total: 3 * created.body.gift.priceFen }, payer: { openid: giver } });
    expect(order.request.description).toBe('礼物 羊绒围巾 × 3');
  });

  it('POST /gifts still creates the gift when WeChat Pay cannot open its order: payment null, /pay opens it later', async () => {
    const giver = 'o_create_outage';
    wechat.faults.failNext('jsapi', { kind: 'system_error' }, 10);
    const created = await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_scarf_blue' } });
    wechat.faults.clear();
    expect([created.status, created.body.gift.status, created.body.payment]).toEqual([201, 'awaiting_payment', null]);
    expect(await stored(created.body.gift.id)).toMatchObject({ status: 'awaiting_payment' });
    await payInWechat(giver, created.body.gift.id);
    expect(await giverView(giver, created.body.gift.id)).toMatchObject({ status: 'sent' });
  });

  it('refuses forged, SIGNTEST, stale, unknown-key, tampered and mismatched notifications, changing nothing', async () => {
    const giver = 'o_hostile_giver';
    const id = await createGift(giver);
    await openPayment(giver, id);
    const before = await stored(id);
    const price = before.priceFen;

    // Sent to the gift's notify_url by the stand-in: a signature over other bytes, a SIGNTEST probe.
    for (const signature of ['bad_signature', 'signtest']) {
      const res = await fetch(`${wechat.url}/standin/forge-notification`, {
        method: 'POST',
        body: JSON.stringify({ out_trade_no: id, signature }),
      });
      const record = (await res.json()) as { attempts: Array<{ status: number }> };
      expect(
        record.attempts.map((a) => a.status),
        signature,
      ).toEqual([401]);
    }
    const refused = async (body: string, headers: Record<string, string>, status: number) => {
      const r = await notify(body, headers);
      expect(r).toEqual({ status, body: { code: 'FAIL', message: expect.any(String) } });
    };
    const genuine = sealed(paidTransaction(id, giver, price));
    const headers = (body: string, at = nowSeconds()) => wechatpaySignatureHeaders(wechat.identity, body, at);
    await refused(genuine, headers(genuine, nowSeconds() - 300), 401); // 300 s or more away is refused
    await refused(genuine, headers(genuine, nowSeconds() + 300), 401);
    await refused(genuine, { ...headers(genuine), 'Wechatpay-Serial': 'PUB_KEY_ID_0000000000000000000000000000' }, 401);
    await refused(genuine, {}, 401);
    // Signed correctly (as WeChat would), but the content is not this gift's payment.
    const tampered = genuine.replace(/"ciphertext":"(.)/, (_, c: string) => `"ciphertext":"${c === 'A' ? 'B' : 'A'}`);
    await refused(tampered, headers(tampered), 400);
    for (const wrong of [
      {
        ...paidTransaction(id, giver, price),
        amount: { total: price - 1, payer_total: price - 1, currency: 'CNY', payer_currency: 'CNY' },
      },
      { ...paidTransaction(id, giver, price), mchid: '1900000000' },
      { ...paidTransaction(id, giver, price), appid: 'wx0000000000000000' },
      { ...paidTransaction(id, 'o_someone_else', price) },
      { ...paidTransaction(id, giver, price), out_trade_no: 'not-a-gift-of-ours' },
    ]) {
      const body = sealed(wrong);
      await refused(body, headers(body), 400);
    }
    expect(await stored(id)).toEqual(before);
    expect((await giverView(giver, id)).status).toBe('awaiting_payment'); // the read asks WeChat Pay: NOTPAY
  });

  it('recovers a lost notification by querying the order: on the giver’s read, and in the cleanup before cancelling', async () => {
    wechat.faults.add({ target: 'notification', event: 'TRANSACTION', fault: { kind: 'lose' } });
    const a = await createGift('o_lost_a');
    await payInWechat('o_lost_a', a);
    expect((await stored(a)).status).toBe('awaiting_payment'); // nothing arrived
    expect(await giverView('o_lost_a', a)).toMatchObject({ status: 'sent', claimToken: expect.any(String) });

    wechat.faults.add({ target: 'notification', event: 'TRANSACTION', fault: { kind: 'lose' } });
    const b = await createGift('o_lost_b');
    await payInWechat('o_lost_b', b);
    clock.advanceSeconds(t.server.config.PAYMENT_TTL_SECONDS + 1);
    await t.server.runMaintenance();
    await t.server.runMaintenance();
    expect((await stored(b)).status).toBe('sent'); // paid in time: not canceled, nothing closed or refunded
    expect(wechat.orders.get(b)!.tradeState).toBe('SUCCESS');
    expect([...wechat.refunds.values()].filter((r) => r.outTradeNo === b)).toEqual([]);
  });

  it('cancels an unpaid gift by closing its order; the order cannot be paid afterwards', async () => {
    const id = await createGift('o_unpaid');
    const { payment } = await openPayment('o_unpaid', id);
    clock.advanceSeconds(t.server.config.PAYMENT_TTL_SECONDS + 1);
    await t.server.runMaintenance();
    await t.server.runMaintenance();
    expect(wechat.orders.get(id)!.tradeState).toBe('CLOSED');
    expect(await giverView('o_unpaid', id)).toMatchObject({
      status: 'canceled',
      refund: { status: 'done', outcome: 'payment_closed', amountFen: 0 },
    });
    expect(wechat.pay({ ...payment, openid: 'o_unpaid' }).status).not.toBe(200);
    expect([...wechat.refunds.values()].filter((r) => r.outTradeNo === id)).toEqual([]);
  });

  it('refunds once when the payer confirms between the query and the close (close answers ORDER_PAID)', async () => {
    const giver = 'o_race_giver';
    const id = await createGift(giver);
    const { payment } = await openPayment(giver, id);
    wechat.faults.add({ target: 'notification', event: 'TRANSACTION', fault: { kind: 'lose' } });
    // WeChat's clock runs 5 s behind the app's: at the app's deadline the order can still be paid for WeChat.
    wechatBehindMs = 5_000;
    beforeClose = (orderNo) => {
      // The payer confirms after the cleanup's query said NOTPAY, before the close.
      if (orderNo === id) expect(wechat.pay({ ...payment, openid: giver }).status).toBe(200);
    };
    clock.advanceSeconds(t.server.config.PAYMENT_TTL_SECONDS + 1);
    try {
      await t.server.runMaintenance();
    } finally {
      beforeClose = null;
      wechatBehindMs = 0;
    }
    await wechat.idle(); // the refund settles; WeChat Pay notifies REFUND.SUCCESS
    await t.server.runMaintenance();
    const gift = await stored(id);
    const refundEffect = gift.effects.find((e) => e.kind === 'refund')!;
    expect([...wechat.refunds.values()].filter((r) => r.outTradeNo === id)).toEqual([
      expect.objectContaining({
        outRefundNo: refundNoOf(id, refundEffect.id),
        status: 'SUCCESS',
        request: expect.objectContaining({ amount: { refund: gift.priceFen, total: gift.priceFen, currency: 'CNY' } }),
      }),
    ]);
    expect(await giverView(giver, id)).toMatchObject({
      status: 'canceled',
      refund: { status: 'done', outcome: 'refunded', providerStatus: 'succeeded', amountFen: gift.priceFen, reason: 'canceled' },
    });
    expect(wechat.messages.filter((m) => m.touser === giver).map((m) => m.template_id)).toEqual(['TPL_REFUNDED']);
  });
});

describe('refunds', () => {
  async function declinedGift(giver: string, friend: string): Promise<string> {
    const id = await createGift(giver);
    await payInWechat(giver, id);
    const { claimToken } = await giverView(giver, id);
    expect((await t.api('POST', `/claims/${claimToken}/claim`, { as: friend })).status).toBe(200);
    expect((await t.api('POST', `/claims/${claimToken}/decline`, { as: friend })).status).toBe(200);
    return id;
  }
  const refundsOf = (id: string) => [...wechat.refunds.values()].filter((r) => r.outTradeNo === id);

  it('retries a refund answered SYSTEM_ERROR with the same out_refund_no; PROCESSING is settled by the REFUND notification', async () => {
    const id = await declinedGift('o_refund_giver', 'o_refund_friend');
    const calls = wechat.calls.refund;
    wechat.faults.failNext('refund', { kind: 'system_error' });
    await t.server.runMaintenance();
    expect(await giverView('o_refund_giver', id)).toMatchObject({ refund: { status: 'pending', attempts: 1, providerStatus: null } });
    expect(refundsOf(id)).toEqual([]);

    wechat.faults.add({ target: 'notification', event: 'REFUND', fault: { kind: 'delay', ms: 300 } });
    clock.advanceSeconds(3_600);
    await t.server.runMaintenance();
    expect(await giverView('o_refund_giver', id)).toMatchObject({ refund: { status: 'pending', providerStatus: 'processing' } });
    await wechat.idle();
    const gift = await stored(id);
    const effect = gift.effects.find((e) => e.kind === 'refund')!;
    expect(wechat.calls.refund - calls).toBe(2);
    expect(refundsOf(id)).toEqual([
      expect.objectContaining({
        outRefundNo: refundNoOf(id, effect.id),
        status: 'SUCCESS',
        request: expect.objectContaining({ reason: expect.any(String) }),
      }),
    ]);
    expect(refundsOf(id)[0]!.request.amount).toEqual({ refund: gift.priceFen, total: gift.priceFen, currency: 'CNY' });
    expect(await giverView('o_refund_giver', id)).toMatchObject({
      status: 'declined',
      refund: { status: 'done', outcome: 'refunded', providerStatus: 'succeeded', reason: 'declined', amountFen: gift.priceFen },
    });
    clock.advanceSeconds(3_600);
    await t.server.runMaintenance();
    expect(wechat.calls.refund - calls).toBe(2); // settled: never asked again
  });

  it('shows an ABNORMAL refund as failed for an operator and does not ask again', async () => {
    wechat.faults.add({ target: 'refund_outcome', status: 'ABNORMAL' });
    const id = await declinedGift('o_abnormal_giver', 'o_abnormal_friend');
    await t.server.runMaintenance();
    await wechat.idle();
    expect(await giverView('o_abnormal_giver', id)).toMatchObject({ refund: { status: 'failed', providerStatus: 'abnormal' } });
    const calls = wechat.calls.refund;
    clock.advanceSeconds(3_600);
    await t.server.runMaintenance();
    expect(wechat.calls.refund).toBe(calls);
    expect(refundsOf(id).map((r) => r.status)).toEqual(['ABNORMAL']);
  });
});

describe('the recipient’s reminder', () => {
  it('goes once before the 24 hours run out, and not to a recipient who accepted', async () => {
    const waiting = await createGift('o_remind_giver');
    await payInWechat('o_remind_giver', waiting);
    const accepted = await createGift('o_remind_giver');
    await payInWechat('o_remind_giver', accepted);
    const link = async (id: string) => (await giverView('o_remind_giver', id)).claimToken as string;
    const [w, a] = [await link(waiting), await link(accepted)];
    expect((await t.api('POST', `/claims/${w}/claim`, { as: 'o_remind_waiting' })).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', `/claims/${a}/claim`, undefined],
      ['PUT', `/claims/${a}/address`, ADDRESS],
      ['POST', `/claims/${a}/accept`, undefined],
    ] as const) {
      expect((await t.api(method, path, { as: 'o_remind_accepted', body })).status).toBe(200);
    }
    const reminders = (openid: string) => wechat.messages.filter((m) => m.touser === openid && m.template_id === 'TPL_EXPIRING');
    clock.advanceSeconds(24 * 3600 - t.server.config.REMINDER_BEFORE_EXPIRY_SECONDS - 60);
    await t.server.runMaintenance();
    expect(reminders('o_remind_waiting')).toEqual([]); // not yet
    clock.advanceSeconds(120);
    await t.server.runMaintenance();
    await t.server.runMaintenance();
    clock.advanceSeconds(600);
    await t.server.runMaintenance();
    expect(reminders('o_remind_waiting')).toHaveLength(1);
    expect(JSON.stringify(reminders('o_remind_waiting')[0]!.data)).not.toMatch(/¥|元|\d{3,}\.\d{2}/); // never the price
    expect(reminders('o_remind_accepted')).toEqual([]);
  });
});
