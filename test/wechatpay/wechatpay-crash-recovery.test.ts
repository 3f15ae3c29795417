/**
 * Crashes on the WeChat Pay money paths. The process is the local server (LevelDB, real HTTP); it dies between an
 * answer from WeChat Pay and the write that records it, and a new process on the same DATA_DIR takes over. WeChat is
 * the stand-in, on the same FixedClock, and outlives every restart; its notify_url is a relay that forwards to
 * whichever server runs (503 while none does), as a load balancer would. Every test counts what WeChat holds: one
 * order per gift, at most the price refunded, under one out_refund_no.
 */
import { afterEach, expect, it } from 'vitest';
import { startWechatStandin, type WechatStandinOptions } from '../../local/wechat-standin/start-wechat-standin';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import type { Gift, RefundEffect } from '../../shared/domain/gift';
import type { Deps } from '../../shared/ports/deps';
import { claimAndAccept, startTestServer, T0, type TestServer, tempDataDir } from '../support/http-harness';
import { startRelay } from '../support/wechat-deploy-env';

const PRICE = 29_900; // sku_scarf_blue
const GIVER = 'o_giver_paycrash';
const FRIEND = 'o_friend_paycrash';
const REFUNDED_NOTICE = 'TPL_GIFT_REFUNDED';
/** WeChat's 15 s … 6 h retries, compressed: enough of them to outlast a restart. */
const RETRIES = [20, 40, 80, 160, 320, ...Array<number>(15).fill(500)];

class Crash extends Error {}

/** The process's store: it dies (every call throws) at the first write `fatal` accepts, or when killed. */
function mortalStore(fatal: (next: Gift) => boolean = () => false) {
  let dead = false;
  const wrap = (deps: Deps): Deps => {
    const store = new Proxy(deps.store, {
      get(target, key) {
        const member = Reflect.get(target, key);
        if (typeof member !== 'function') return member;
        return (...args: unknown[]) => {
          if (!dead && key === 'replace' && fatal(args[0] as Gift)) dead = true;
          return dead ? Promise.reject(new Crash('the process is gone')) : member.apply(target, args);
        };
      },
    });
    return { ...deps, store };
  };
  const kill = () => {
    dead = true;
  };
  return { wrap, kill };
}

/** Parks the first two writes `meets` accepts until both wait: two deciders then compare-and-set against one version. */
function rendezvous(meets: (next: Gift) => boolean) {
  const waiting: Array<() => void> = [];
  const state = { met: false };
  const wrap = (deps: Deps): Deps => {
    const store = new Proxy(deps.store, {
      get: (target, key) => {
        if (key !== 'replace') return Reflect.get(target, key);
        return async (next: Gift, expected: number) => {
          if (!state.met && meets(next)) {
            await new Promise<void>((go) => {
              waiting.push(go);
              if (waiting.length === 2) state.met = true;
              if (state.met) for (const w of waiting) w();
              setTimeout(go, 3_000); // only one came: go on (the test fails on `met`)
            });
          }
          return target.replace(next, expected);
        };
      },
    });
    return { ...deps, store };
  };
  return { wrap, state };
}

/** notify_url across restarts. `hold(family)` parks that family's notifications until `release()`: to order or race them. */
async function notifyRelay() {
  const state = { target: null as TestServer | null, parked: 0 };
  let gate: { family: string; open: Promise<void>; release: () => void } | null = null;
  const relay = await startRelay(async ({ headers, body }) => {
    if (gate && String(JSON.parse(body).event_type).startsWith(gate.family)) {
      state.parked++;
      await gate.open;
    }
    if (!state.target) return { status: 503 };
    const forwarded = Object.fromEntries(Object.entries(headers).filter(([k]) => k === 'content-type' || k.startsWith('wechatpay-')));
    const res = await fetch(`${state.target.server.url}/wechatpay/notify`, { method: 'POST', headers: forwarded, body });
    return { status: res.status, body: await res.text() };
  });
  const release = () => {
    gate?.release();
    gate = null;
  };
  const hold = (family: 'TRANSACTION' | 'REFUND' | '' = '') => {
    let open!: () => void;
    gate = { family, open: new Promise<void>((r) => (open = r)), release: () => open() };
    state.parked = 0;
  };
  const close = () => {
    release();
    return relay.close();
  };
  return { url: `${relay.url}/wechatpay/notify`, state, hold, release, close };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type World = Awaited<ReturnType<typeof world>>;

/** WeChat, the relay and a data directory for one test. `wechatLagMs`: WeChat's clock runs behind ours. */
async function world(opts: { wechatLagMs?: number; standin?: WechatStandinOptions } = {}) {
  const clock = new FixedClock(T0);
  const lag = opts.wechatLagMs ?? 0;
  const wechat = await startWechatStandin({
    clock: lag ? { now: () => new Date(clock.now().getTime() - lag) } : clock,
    notifyRetryDelaysMs: RETRIES,
    refundSettleMs: 50,
    refundSpacingSeconds: 0,
    ...opts.standin,
  });
  const relay = await notifyRelay();
  const tmp = tempDataDir();
  cleanups.push(tmp.remove, wechat.close, relay.close);
  return { clock, wechat, relay, dataDir: tmp.dir };
}

/** A process on the world's data directory; the relay now forwards to it. */
async function boot(w: World, wrapDeps?: (d: Deps) => Deps): Promise<TestServer> {
  const env = {
    LOCAL_STORE: 'leveldb',
    PAYMENT_PROVIDER: 'wechatpay', // no WECHATPAY_MCHID: the stand-in's merchant settings
    WECHATPAY_API_BASE: w.wechat.url, // else the http notify URL is checked against the production API's https rule
    WECHATPAY_NOTIFY_URL: w.relay.url,
    WECHAT_TEMPLATE_GIFT_REFUNDED: REFUNDED_NOTICE,
  };
  const t = await startTestServer({ dataDir: w.dataDir, clock: w.clock, wechat: w.wechat, wrapDeps, env });
  cleanups.push(() => t.stop().catch(() => undefined));
  w.relay.state.target = t;
  return t;
}

/** The process is gone: nothing reaches it any more and its store is closed. */
async function die(w: World, t: TestServer): Promise<void> {
  w.relay.state.target = null;
  await t.stop();
}

async function waitFor(what: string, ok: () => boolean, ms = 5_000): Promise<void> {
  for (const until = Date.now() + ms; !ok(); await new Promise((r) => setTimeout(r, 10)))
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
}

async function createGift(t: TestServer): Promise<string> {
  const created = await t.api('POST', '/gifts', { as: GIVER, body: { skuId: 'sku_scarf_blue' } });
  expect(created.status).toBe(201);
  return created.body.gift.id;
}

/** 支付 as the page does it: POST /gifts opens the order with the gift and answers wx.requestPayment's arguments. */
async function createAndOpen(t: TestServer, key?: string): Promise<{ giftId: string; payment: Record<string, string> }> {
  const headers = key ? { 'idempotency-key': key } : undefined;
  const created = await t.api('POST', '/gifts', { as: GIVER, body: { skuId: 'sku_scarf_blue' }, headers });
  expect(created).toMatchObject({ status: 201, body: { gift: { status: 'awaiting_payment' }, payment: { signType: 'RSA' } } });
  return { giftId: created.body.gift.id, payment: created.body.payment };
}

/** 去支付 (重新支付): the arguments of wx.requestPayment. */
async function openPayment(t: TestServer, giftId: string): Promise<Record<string, string>> {
  const opened = await t.api('POST', `/gifts/${giftId}/pay`, { as: GIVER });
  expect(opened).toMatchObject({ status: 200, body: { gift: { status: 'awaiting_payment' } } });
  return opened.body.payment;
}

const payerConfirms = (w: World, payment: Record<string, string>) => expect(w.wechat.pay({ ...payment, openid: GIVER }).status).toBe(200);

/** Created, paid in WeChat, notified: the claim link. */
async function sendThroughWechat(w: World, t: TestServer): Promise<{ giftId: string; token: string }> {
  const { giftId, payment } = await createAndOpen(t);
  payerConfirms(w, payment);
  await w.wechat.idle();
  const view = await t.api('GET', `/gifts/${giftId}`, { as: GIVER });
  expect(view.body.gift.status).toBe('sent');
  return { giftId, token: view.body.gift.claimToken };
}

async function decline(t: TestServer, token: string): Promise<void> {
  expect((await t.api('POST', `/claims/${token}/claim`, { as: FRIEND })).status).toBe(200);
  expect((await t.api('POST', `/claims/${token}/decline`, { as: FRIEND })).status).toBe(200);
}

const stored = async (t: TestServer, id: string) => (await t.server.deps.store.get(id)) as Gift;
const refundsOf = (g: Gift) => g.effects.filter((e): e is RefundEffect => e.kind === 'refund');
/** The dispatcher's write of what WeChat answered a refund attempt (done, or processing). */
const recordsRefundAnswer = (g: Gift) => refundsOf(g).some((r) => r.status !== 'pending' || r.providerStatus !== undefined);
const refundsAtWechat = (w: World, giftId: string) => [...w.wechat.refunds.values()].filter((r) => r.outTradeNo === giftId);
const refundedAtWechat = (w: World, giftId: string) =>
  refundsAtWechat(w, giftId).reduce((sum, r) => sum + (r.status === 'CLOSED' ? 0 : r.request.amount.refund), 0);
const notices = (w: World) => w.wechat.messages.filter((m) => m.template_id === REFUNDED_NOTICE && m.touser === GIVER);
const releaseAndSettle = (w: World) => {
  w.relay.release();
  return w.wechat.idle();
};
const notifications = (w: World, eventType: string) => w.wechat.notifications.filter((n) => n.eventType === eventType);

it('applies a payment notification that died with the process once, after the restart, racing the giver’s read', async () => {
  const w = await world();
  const first = await boot(w, mortalStore((g) => g.status === 'sent').wrap);
  const { giftId, payment } = await createAndOpen(first);
  payerConfirms(w, payment);
  const [note] = notifications(w, 'TRANSACTION.SUCCESS');
  await waitFor('the first delivery', () => note!.attempts.length > 0);
  expect(note!.attempts[0]).toMatchObject({ status: 500, acknowledged: false }); // the write failed: WeChat must retry
  await die(w, first);

  w.relay.hold(); // the next retry waits at the door of the new process, then races the giver's page
  const race = rendezvous((g) => g.status === 'sent');
  const second = await boot(w, race.wrap);
  await waitFor('a retry', () => w.relay.state.parked > 0);
  expect((await stored(second, giftId)).status).toBe('awaiting_payment');
  const [view] = await Promise.all([second.api('GET', `/gifts/${giftId}`, { as: GIVER }), releaseAndSettle(w)]);

  expect([race.state.met, view.body.gift.status]).toEqual([true, 'sent']); // both decided on the unpaid gift; one wrote
  const gift = await stored(second, giftId);
  expect(gift).toMatchObject({ status: 'sent', version: 2, payment: { paymentId: w.wechat.orders.get(giftId)!.transactionId } });
  expect([w.wechat.orders.size, w.wechat.calls.jsapi]).toEqual([1, 1]);
  expect(note!.attempts.filter((a) => a.acknowledged)).toHaveLength(1);
  expect(note!.state).toBe('delivered');

  await claimAndAccept(second, FRIEND, view.body.gift.claimToken);
  await second.server.runMaintenance();
  await second.server.runMaintenance();
  const handoffs = second.server.dev.fulfillmentSink!.list().filter((h) => h.giftId === giftId);
  expect(handoffs).toEqual([
    expect.objectContaining({ deliveries: 1, handoff: expect.objectContaining({ paymentId: gift.payment!.paymentId }) }),
  ]);
});

it('reopens the order WeChat created while POST /gifts died waiting for the answer: the retry answers the same order', async () => {
  const w = await world();
  const first = await boot(w);
  w.wechat.faults.failNext('jsapi', { kind: 'timeout', ms: 60_000, processed: true }); // the order is made, the answer hangs
  const pending = first
    .api('POST', '/gifts', { as: GIVER, body: { skuId: 'sku_scarf_blue' }, headers: { 'idempotency-key': 'crash-create-0001' } })
    .then(
      (answered) => answered,
      (e: unknown) => e,
    );
  await waitFor('WeChat to open the order', () => w.wechat.orders.size === 1);
  await die(w, first);
  expect(await pending).toBeInstanceOf(Error); // the giver's 支付 never got an answer; the gift was stored before the order

  const second = await boot(w);
  const { giftId, payment } = await createAndOpen(second, 'crash-create-0001'); // the page retries with the visit's key
  const order = w.wechat.orders.get(giftId)!;
  expect(payment.package).toBe(`prepay_id=${order.prepayId}`);
  expect([w.wechat.orders.size, w.wechat.calls.jsapi]).toEqual([1, 2]); // asked twice, opened once
  payerConfirms(w, payment);
  await w.wechat.idle();
  expect((await second.api('GET', `/gifts/${giftId}`, { as: GIVER })).body.gift.status).toBe('sent');
  expect(await stored(second, giftId)).toMatchObject({ version: 2, payment: { paymentId: order.transactionId, amountFen: PRICE } });
});

it('reopens the order for a 重新支付 that died waiting for the answer: one order, and paying works', async () => {
  const w = await world();
  const first = await boot(w);
  const giftId = await createGift(first);
  w.wechat.faults.failNext('jsapi', { kind: 'timeout', ms: 60_000, processed: true }); // the order is made, the answer hangs
  const pending = first.api('POST', `/gifts/${giftId}/pay`, { as: GIVER }).then(
    (answered) => answered,
    (e: unknown) => e,
  );
  await waitFor('WeChat to answer for the order again', () => w.wechat.calls.jsapi === 2); // POST /gifts opened it
  await die(w, first);
  expect(await pending).toBeInstanceOf(Error); // the giver's 去支付 never got an answer

  const second = await boot(w);
  const payment = await openPayment(second, giftId);
  const order = w.wechat.orders.get(giftId)!;
  expect(payment.package).toBe(`prepay_id=${order.prepayId}`);
  // Asked three times (POST /gifts, the /pay that died, the /pay after the restart), opened once.
  expect([w.wechat.orders.size, w.wechat.calls.jsapi]).toEqual([1, 3]);
  payerConfirms(w, payment);
  await w.wechat.idle();
  expect((await second.api('GET', `/gifts/${giftId}`, { as: GIVER })).body.gift.status).toBe('sent');
  expect(await stored(second, giftId)).toMatchObject({ version: 2, payment: { paymentId: order.transactionId, amountFen: PRICE } });
});

it('asks again under the same out_refund_no when the process died after WeChat accepted the refund', async () => {
  // A refund to a bank card: PROCESSING until WeChat settles it (by hand below), so the dispatcher's retry finds it open.
  const w = await world({ standin: { refundSettleMs: 600_000 } });
  const first = await boot(w, mortalStore(recordsRefundAnswer).wrap);
  const { giftId, token } = await sendThroughWechat(w, first);
  await decline(first, token);
  await expect(first.server.runMaintenance()).rejects.toBeInstanceOf(Crash);
  expect(refundsAtWechat(w, giftId).map((r) => r.status)).toEqual(['PROCESSING']);
  await die(w, first);

  w.clock.advanceSeconds(61); // the dead attempt's lease runs out
  const second = await boot(w);
  // LevelDB's dispatcher held its lease in memory (ports/effect-leases.ts): the dead attempt was never written, counted
  // or answered; the retry below is the first attempt on record.
  expect(refundsOf(await stored(second, giftId))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  expect(refundsOf(await stored(second, giftId))[0]!.providerStatus).toBeUndefined(); // the answer was never recorded
  await second.server.runMaintenance();
  const [refund] = refundsAtWechat(w, giftId);
  expect([refundsAtWechat(w, giftId).length, w.wechat.calls.refund, refund!.outRefundNo]).toEqual([1, 2, `${giftId}-refund`]);
  expect(refundsOf(await stored(second, giftId))).toEqual([
    expect.objectContaining({ status: 'pending', attempts: 1, providerStatus: 'processing', receipt: refund!.refundId }),
  ]);

  w.wechat.settleRefund(refund!.outRefundNo); // REFUND.SUCCESS goes out
  const [note] = notifications(w, 'REFUND.SUCCESS');
  await waitFor('the refund notification', () => note?.state === 'delivered');
  expect(refundsOf(await stored(second, giftId))).toEqual([
    expect.objectContaining({ status: 'done', attempts: 1, outcome: 'refunded', providerStatus: 'succeeded', receipt: refund!.refundId }),
  ]);
  expect(refundedAtWechat(w, giftId)).toBe(PRICE);
  await second.server.runMaintenance();
  expect(notices(w)).toHaveLength(1);
  const view = await second.api('GET', `/gifts/${giftId}`, { as: GIVER });
  expect(view.body.gift).toMatchObject({ status: 'declined', refund: { status: 'done', outcome: 'refunded', amountFen: PRICE } });
});

it('closes an unpaid, canceled gift again after the process died before recording the close: nothing to refund', async () => {
  const w = await world();
  const first = await boot(w, mortalStore(recordsRefundAnswer).wrap);
  const giftId = await createGift(first);
  const payment = await openPayment(first, giftId);
  w.clock.advanceSeconds(1_800); // the payment window is over: canceled, then the order is closed
  await expect(first.server.runMaintenance()).rejects.toBeInstanceOf(Crash);
  expect(w.wechat.calls.close).toBe(1);
  await die(w, first);

  w.clock.advanceSeconds(61);
  const second = await boot(w);
  await second.server.runMaintenance();
  await second.server.runMaintenance();
  expect(w.wechat.calls.close).toBe(2);
  expect(w.wechat.orders.get(giftId)!.tradeState).toBe('CLOSED');
  expect(w.wechat.pay({ ...payment, openid: GIVER }).status).toBe(409); // it can never be paid now
  expect([w.wechat.refunds.size, w.wechat.calls.refund, notices(w).length]).toEqual([0, 0, 0]);
  expect(refundsOf(await stored(second, giftId))).toEqual([
    // The attempt that died was held in memory, not written: one attempt on record (two calls to WeChat).
    expect.objectContaining({ status: 'done', attempts: 1, outcome: 'payment_closed', paymentId: null }),
  ]);
  const view = await second.api('GET', `/gifts/${giftId}`, { as: GIVER });
  expect(view.body.gift).toMatchObject({ status: 'canceled', refund: { status: 'done', outcome: 'payment_closed', amountFen: 0 } });
});

it('refunds a payment made in the last second exactly once when the process died after the close answered ORDER_PAID', async () => {
  // WeChat's clock runs a second behind ours: at our payment deadline it still takes the money for one more second.
  const w = await world({ wechatLagMs: 1_000 });
  const mortal = mortalStore(recordsRefundAnswer);
  let payment: Record<string, string> = {};
  // The payer confirms between our cancel and our close: the close answers ORDER_PAID.
  const payerPaysBeforeClose = (deps: Deps): Deps => {
    const payments = new Proxy(deps.payments, {
      get: (target, key) => {
        if (key !== 'close') return Reflect.get(target, key);
        return (orderNo: string) => {
          payerConfirms(w, payment);
          return target.close(orderNo);
        };
      },
    });
    return mortal.wrap({ ...deps, payments });
  };
  const first = await boot(w, payerPaysBeforeClose);
  const giftId = await createGift(first);
  payment = await openPayment(first, giftId);
  w.relay.hold('TRANSACTION'); // the payment's notification reaches the app last (WeChat's retries land late)
  w.clock.advanceSeconds(1_800);
  await expect(first.server.runMaintenance()).rejects.toBeInstanceOf(Crash); // closed → paid → refunded, none recorded
  expect([w.wechat.calls.close, w.wechat.calls.refund, refundsAtWechat(w, giftId).length]).toEqual([1, 1, 1]);
  await die(w, first);

  w.clock.advanceSeconds(61);
  const second = await boot(w);
  await waitFor('the refund notification', () => notifications(w, 'REFUND.SUCCESS')[0]?.state === 'delivered');
  expect(refundsOf(await stored(second, giftId))).toEqual([expect.objectContaining({ status: 'done', outcome: 'refunded' })]);
  w.relay.release(); // now the payment notification: the money it reports has already gone back
  await w.wechat.idle();
  for (let i = 0; i < 2; i++) {
    w.clock.advanceSeconds(61);
    await second.server.runMaintenance();
  }

  expect([w.wechat.calls.close, w.wechat.calls.refund, refundsAtWechat(w, giftId).length]).toEqual([1, 1, 1]);
  expect(refundedAtWechat(w, giftId)).toBe(PRICE);
  const gift = await stored(second, giftId);
  expect(gift).toMatchObject({ status: 'canceled', payment: { paymentId: w.wechat.orders.get(giftId)!.transactionId } });
  expect(refundsOf(gift)).toEqual([expect.objectContaining({ id: 'refund', status: 'done', outcome: 'refunded' })]);
  expect(notices(w)).toHaveLength(1);
  const view = await second.api('GET', `/gifts/${giftId}`, { as: GIVER });
  expect(view.body.gift).toMatchObject({ status: 'canceled', refund: { status: 'done', outcome: 'refunded', amountFen: PRICE } });
});

it('applies a REFUND.SUCCESS that arrived while the store was down once, after the restart, racing the dispatcher', async () => {
  const w = await world();
  const mortal = mortalStore();
  const first = await boot(w, mortal.wrap);
  const { giftId, token } = await sendThroughWechat(w, first);
  await decline(first, token);
  w.relay.hold('REFUND');
  await first.server.runMaintenance(); // the refund is requested and recorded as processing
  const before = await stored(first, giftId);
  expect(refundsOf(before)[0]).toMatchObject({ status: 'pending', providerStatus: 'processing' });
  mortal.kill();
  await waitFor('WeChat to settle the refund', () => w.relay.state.parked > 0);
  w.relay.release();
  const [note] = notifications(w, 'REFUND.SUCCESS');
  await waitFor('a refused delivery', () => note!.attempts.some((a) => a.status === 500));
  await die(w, first);

  w.relay.hold('REFUND');
  const race = rendezvous((g) => refundsOf(g).some((r) => r.status === 'done'));
  const second = await boot(w, race.wrap);
  await waitFor('a retry', () => w.relay.state.parked > 0);
  w.clock.advanceSeconds(61); // the dispatcher's query is due too: both settle the refund at once
  await Promise.all([second.server.runMaintenance(), releaseAndSettle(w)]);

  const gift = await stored(second, giftId);
  expect(race.state.met).toBe(true);
  // The dispatcher's lease, then whichever settles first: the dispatcher (its settle records the refund and the giver's
  // notice sent with it: +2) or the notification (the refund; the notice then leased and sent by its pass: +4).
  expect([before.version + 2, before.version + 4]).toContain(gift.version);
  const [refund] = refundsAtWechat(w, giftId);
  expect(refundsOf(gift)).toEqual([
    expect.objectContaining({ status: 'done', outcome: 'refunded', providerStatus: 'succeeded', receipt: refund!.refundId }),
  ]);
  expect(gift.effects.filter((e) => e.id === 'notify:gift_refunded')).toHaveLength(1);
  expect([refundsAtWechat(w, giftId).length, w.wechat.calls.refund, refundedAtWechat(w, giftId)]).toEqual([1, 1, PRICE]);
  expect(note!.attempts.filter((a) => a.acknowledged)).toHaveLength(1);
  await second.server.runMaintenance();
  expect(notices(w)).toHaveLength(1);
  const view = await second.api('GET', `/gifts/${giftId}`, { as: GIVER });
  expect(view.body.gift).toMatchObject({ status: 'declined', refund: { status: 'done', outcome: 'refunded', amountFen: PRICE } });
});
