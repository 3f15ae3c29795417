/**
 * Receivers that fail N times: a real signed webhook receiver on 127.0.0.1 for the fulfillment handoff and a
 * refund provider that errors. Each ends with exactly one effect after N + 1 attempts, spaced by backoff.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { verifyWebhook } from '../../shared/domain/webhook-signature';
import { claimAndAccept, sendGift, startTestServer, T0, type TestServer, tempDataDir } from '../support/http-harness';
import { override } from '../support/override';

const SECRET = 'whsec_test_0123456789abcdef';
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Receiver {
  url: string;
  requests: Array<{ verdict: string; key: string | undefined; status: number }>;
  accepted: Map<string, unknown>;
}

/** A merchant endpoint that verifies the signature, fails the first `failures` deliveries, and dedupes by key. */
async function merchantReceiver(failures: number, clock: FixedClock): Promise<Receiver> {
  const r: Receiver = { url: '', requests: [], accepted: new Map() };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const verdict = verifyWebhook(
        SECRET,
        { signature: req.headers['x-songli-signature'] as string, timestamp: req.headers['x-songli-timestamp'] as string },
        body,
        Math.floor(clock.now().getTime() / 1000),
      );
      const key = req.headers['idempotency-key'] as string | undefined;
      let status = 200;
      if (verdict !== 'ok') status = 401;
      else if (r.requests.filter((x) => x.verdict === 'ok').length < failures) status = 503;
      else if (!r.accepted.has(key!)) r.accepted.set(key!, JSON.parse(body));
      r.requests.push({ verdict, key, status });
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ reference: `wms-${r.accepted.size}` }));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/gift`;
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return r;
}

async function boot(opts: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const t = await startTestServer(opts);
  cleanups.push(() => t.stop());
  return t;
}

it('retries a fulfillment webhook that fails 4 times with backoff, then hands off exactly once', async () => {
  const N = 4;
  const clock = new FixedClock(T0);
  const receiver = await merchantReceiver(N, clock);
  const tmp = tempDataDir();
  cleanups.push(tmp.remove);
  const t = await boot({
    dataDir: tmp.dir,
    clock,
    env: { FULFILLMENT_WEBHOOK_URL: receiver.url, FULFILLMENT_WEBHOOK_SECRET: SECRET, DISPATCH_BASE_DELAY_SECONDS: '5' },
  });
  const { giftId, token } = await sendGift(t, 'giver_w');
  await claimAndAccept(t, 'friend_w', token);

  const attemptTimes: string[] = [];
  for (let round = 0; round < 20 && receiver.accepted.size === 0; round++) {
    const before = receiver.requests.length;
    await t.server.runMaintenance();
    if (receiver.requests.length > before) attemptTimes.push(clock.now().toISOString());
    clock.advanceSeconds(5);
  }
  // A few more passes after success change nothing.
  for (let i = 0; i < 3; i++, clock.advanceSeconds(3_600)) await t.server.runMaintenance();

  expect(receiver.requests.map((r) => r.status)).toEqual([503, 503, 503, 503, 200]);
  expect(receiver.requests.every((r) => r.verdict === 'ok' && r.key === `songli:${giftId}:handoff`)).toBe(true);
  expect([...receiver.accepted.keys()]).toEqual([`songli:${giftId}:handoff`]);
  expect(receiver.accepted.get(`songli:${giftId}:handoff`)).toMatchObject({
    type: 'gift.accepted',
    data: { giftId, is_present: true, openid: 'friend_w', present_giver_openid: 'giver_w' },
  });
  // Backoff 5, 10, 20, 40 s between the five attempts.
  const gaps = attemptTimes.slice(1).map((at, i) => (Date.parse(at) - Date.parse(attemptTimes[i]!)) / 1000);
  expect(gaps).toEqual([5, 10, 20, 40]);

  const view = await t.api('GET', `/gifts/${giftId}`, { as: 'giver_w' });
  expect(view.body.gift.handoff).toMatchObject({ status: 'done', attempts: N + 1, lastError: null });
});

it('keeps an effect that exhausts its retries visible as failed with the last error', async () => {
  const clock = new FixedClock(T0);
  const receiver = await merchantReceiver(1_000, clock);
  const tmp = tempDataDir();
  cleanups.push(tmp.remove);
  const t = await boot({
    dataDir: tmp.dir,
    clock,
    env: { FULFILLMENT_WEBHOOK_URL: receiver.url, FULFILLMENT_WEBHOOK_SECRET: SECRET, DISPATCH_MAX_ATTEMPTS: '3' },
  });
  const { giftId, token } = await sendGift(t, 'giver_x');
  await claimAndAccept(t, 'friend_x', token);
  for (let i = 0; i < 6; i++, clock.advanceSeconds(3_600)) await t.server.runMaintenance();
  expect(receiver.requests).toHaveLength(3);
  const view = await t.api('GET', `/gifts/${giftId}`, { as: 'giver_x' });
  expect(view.body.gift.handoff).toMatchObject({ status: 'failed', attempts: 3, lastError: expect.stringContaining('HTTP 503') });
});

it('retries a refund provider that fails 3 times, then refunds exactly once', async () => {
  const N = 3;
  const clock = new FixedClock(T0);
  const tmp = tempDataDir();
  cleanups.push(tmp.remove);
  let calls = 0;
  const t = await boot({
    dataDir: tmp.dir,
    clock,
    wrapDeps: (deps) => ({
      ...deps,
      payments: override(deps.payments, {
        refund: async (req) => {
          if (++calls <= N) throw new Error(`refund provider unavailable (${calls})`);
          return deps.payments.refund(req);
        },
      }),
    }),
  });
  const { giftId, token } = await sendGift(t, 'giver_rf');
  await t.api('POST', `/claims/${token}/claim`, { as: 'friend_rf' });
  await t.api('POST', `/claims/${token}/decline`, { as: 'friend_rf' });

  await t.server.runMaintenance();
  const afterFirst = await t.api('GET', `/gifts/${giftId}`, { as: 'giver_rf' });
  expect(afterFirst.body.gift.refund).toMatchObject({
    status: 'pending',
    attempts: 1,
    lastError: 'Error: refund provider unavailable (1)',
  });

  for (let i = 0; i < 10; i++, clock.advanceSeconds(60)) await t.server.runMaintenance();
  expect(calls).toBe(N + 1);
  expect(t.server.dev.payments!.listRefunds().filter((r) => r.giftId === giftId)).toEqual([
    expect.objectContaining({ requests: 1, amountFen: 29_900 }),
  ]);
  const view = await t.api('GET', `/gifts/${giftId}`, { as: 'giver_rf' });
  expect(view.body.gift.refund).toMatchObject({ status: 'done', attempts: N + 1 });
});
