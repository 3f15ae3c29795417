/**
 * Log privacy: every log line the local server writes at LOG_LEVEL=debug while complete gift flows run
 * (create, pay, claim, address, swap, accept, decline, a 422 on the address, a 404 with a token, a reissued
 * link, expiry by the cleanup, the handoff to the built-in sink, and a handoff to a hostile fulfillment
 * receiver that fails with 500 and echoes what it was sent) is captured and scanned for the recipient's
 * name, phone, street address and district, claim tokens and their secrets, bearer JWTs and webhook
 * signatures.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { sendGift, startTestServer, T0, type TestServer, tempDataDir } from '../support/http-harness';

const WEBHOOK_SECRET = 'whsec_logprivacy_0123456789abcdef';
/** Distinctive personal data: any of it in a log line is a leak. */
const ADDRESS = { name: '司马小蓟', phone: '13800138000', regionCode: '330106', detail: '青藤巷十七号甲一二零三室' };
const DISTRICT = '西湖区';

interface Captured {
  lines: string[];
  destination: { write(chunk: string): void };
}
const capture = (): Captured => {
  const lines: string[] = [];
  return { lines, destination: { write: (chunk: string) => lines.push(...chunk.split('\n').filter((l) => l.trim() !== '')) } };
};

const cleanups: Array<() => Promise<void> | void> = [];
const secrets = new Map<string, string>(); // value → what it is
const secret = (what: string, value: string | undefined | null) => {
  if (value) secrets.set(value, what);
};
for (const [k, v] of Object.entries(ADDRESS)) if (k !== 'regionCode') secret(`address ${k}`, v);
secret('address phone (E.164)', '+8613800138000');
secret('address district', DISTRICT);
secret('webhook secret', WEBHOOK_SECRET);

const sinkLogs = capture();
const hookLogs = capture();
let sinkServer: TestServer;
let hookServer: TestServer;
const receiverBodies: string[] = [];
let hookGiftId = '';

/** Logs in through the API and remembers the JWT (and its signature) as secrets. */
async function as(t: TestServer, user: string) {
  const jwt = await t.login(user);
  secret(`JWT of ${user}`, jwt);
  secret(`JWT signature of ${user}`, jwt.split('.')[2]);
  return user;
}

async function ok(t: TestServer, method: string, path: string, user: string, body?: unknown, status = 200) {
  const r = await t.api(method, path, { as: user, body });
  if (r.status !== status)
    throw new Error(
      `${method} ${path.replace(/\/claims\/[^/]+/, '/claims/…')} answered ${r.status} ${JSON.stringify(r.body)} (expected ${status})`,
    );
  return r.body;
}

async function send(t: TestServer, giver: string, sku = 'sku_scarf_blue') {
  const g = await sendGift(t, giver, sku, '生日快乐');
  secret(`claim token of ${g.giftId}`, g.token);
  secret(`claim secret of ${g.giftId}`, g.token.split('.')[1]);
  return g;
}

/** A fulfillment receiver that always fails with 500 and echoes the request back: verbatim first, then the address first. */
async function hostileReceiver(): Promise<string> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      receiverBodies.push(body);
      const signature = req.headers['x-songli-signature'] as string | undefined;
      secret('webhook signature', signature);
      secret('webhook signature (hex)', signature?.replace(/^v1=/, ''));
      let echo = body;
      if (receiverBodies.length > 1) {
        // Receivers that reject an address tend to quote it: put it where a truncated error message keeps it.
        const address = (JSON.parse(body) as { data?: { address?: unknown } }).data?.address;
        echo = JSON.stringify({ error: 'address rejected', address, request: body });
      }
      res.writeHead(500, { 'content-type': 'application/json' }).end(echo);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/fulfillment`;
}

async function boot(logs: Captured, clock: FixedClock, env: Record<string, string> = {}) {
  const tmp = tempDataDir();
  cleanups.push(tmp.remove);
  // startTestServer spreads `env` over its defaults, so LOG_LEVEL here replaces the suite's 'silent'.
  const t = await startTestServer({
    dataDir: tmp.dir,
    clock,
    webRoot: null,
    logDestination: logs.destination,
    env: { LOG_LEVEL: 'debug', ...env },
  });
  cleanups.push(() => t.stop());
  return t;
}

beforeAll(async () => {
  // ---- the built-in sink: every flow ----
  const clock = new FixedClock(T0);
  sinkServer = await boot(sinkLogs, clock);
  const t = sinkServer;
  const giver = await as(t, 'lp_giver');
  const friend = await as(t, 'lp_friend');
  const stranger = await as(t, 'lp_stranger');

  // accepted, with an address and a swap
  const a = await send(t, giver);
  await ok(t, 'GET', `/claims/${a.token}`, friend);
  await ok(t, 'POST', `/claims/${a.token}/claim`, friend);
  await ok(t, 'PUT', `/claims/${a.token}/address`, stranger, ADDRESS, 403);
  await ok(t, 'PUT', `/claims/${a.token}/address`, friend, ADDRESS);
  await ok(t, 'PUT', `/claims/${a.token}/variant`, friend, { skuId: 'sku_scarf_grey' });
  await ok(t, 'POST', `/claims/${a.token}/accept`, friend);
  await ok(t, 'PUT', `/claims/${a.token}/address`, friend, ADDRESS, 409);

  // declined
  const b = await send(t, giver, 'sku_tea_250');
  await ok(t, 'POST', `/claims/${b.token}/claim`, friend);
  await ok(t, 'POST', `/claims/${b.token}/decline`, friend);

  // 422s on the address, each carrying the personal data
  const c = await send(t, giver);
  await ok(t, 'POST', `/claims/${c.token}/claim`, friend);
  await ok(t, 'PUT', `/claims/${c.token}/address`, friend, { ...ADDRESS, regionCode: '000000' }, 422);
  await ok(t, 'PUT', `/claims/${c.token}/address`, friend, { ...ADDRESS, phone: '+86 138-0013-800' }, 422);
  await ok(t, 'PUT', `/claims/${c.token}/address`, friend, { ...ADDRESS, surname: ADDRESS.name }, 422);
  await ok(t, 'PUT', `/claims/${c.token}/address`, friend, { ...ADDRESS, detail: `${ADDRESS.detail}\u0000` }, 422);
  await ok(t, 'POST', `/claims/${c.token}/accept`, stranger, undefined, 403);

  // 404s with tokens: a wrong secret for a real gift, an unknown gift, garbage
  const wrong = `${c.giftId}.${'W'.repeat(32)}`;
  const unknown = `g_doesnotexist00000000.${'Z'.repeat(32)}`;
  secret('wrong claim token', wrong);
  secret('unknown claim token', unknown);
  await ok(t, 'GET', `/claims/${wrong}`, stranger, undefined, 404);
  await ok(t, 'POST', `/claims/${unknown}/claim`, stranger, undefined, 404);
  await ok(t, 'GET', `/claims/${wrong}/nope`, stranger, undefined, 404);

  // a reissued link: both the old and the new token are secrets
  const d = await send(t, giver);
  const reissued = await ok(t, 'POST', `/gifts/${d.giftId}/claim-link`, giver);
  secret('reissued claim token', reissued.gift.claimToken);
  secret('reissued claim secret', reissued.gift.claimToken.split('.')[1]);
  await ok(t, 'GET', `/claims/${d.token}`, friend, undefined, 404);
  await ok(t, 'POST', `/claims/${reissued.gift.claimToken}/claim`, giver, undefined, 403);

  // expiry: claimed with an address, then the clock passes the deadline; the cleanup expires and refunds
  const e = await send(t, giver);
  await ok(t, 'POST', `/claims/${e.token}/claim`, friend);
  await ok(t, 'PUT', `/claims/${e.token}/address`, friend, ADDRESS);
  await ok(t, 'POST', '/dev/sweep', giver); // hands gift a off to the built-in sink, refunds b
  clock.advanceSeconds(25 * 3600);
  const swept = await ok(t, 'POST', '/dev/sweep', giver);
  expect(swept.sweep['sweep-gifts']).toMatchObject({ expired: expect.any(Number) });
  await ok(t, 'POST', `/claims/${e.token}/accept`, friend, undefined, 410);

  // the receivers got what they should (the address travels to fulfillment, just never into a log)
  const sink = await ok(t, 'GET', '/dev/fulfillments', giver);
  expect(JSON.stringify(sink)).toContain(ADDRESS.detail);
  await ok(t, 'GET', '/dev/refunds', giver);
  await ok(t, 'GET', '/dev/notifications', giver);
  await ok(t, 'GET', `/gifts/${a.giftId}`, giver);
  await ok(t, 'GET', '/gifts?role=sent', giver);
  await ok(t, 'GET', '/gifts?role=received', friend);

  // ---- a hostile fulfillment receiver: 500 with the request echoed back ----
  const hookClock = new FixedClock(T0);
  const url = await hostileReceiver();
  hookServer = await boot(hookLogs, hookClock, {
    FULFILLMENT_WEBHOOK_URL: url,
    FULFILLMENT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    DISPATCH_BASE_DELAY_SECONDS: '1',
  });
  const h = hookServer;
  const hGiver = await as(h, 'lp_hook_giver');
  const hFriend = await as(h, 'lp_hook_friend');
  const f = await send(h, hGiver);
  hookGiftId = f.giftId;
  await ok(h, 'POST', `/claims/${f.token}/claim`, hFriend);
  await ok(h, 'PUT', `/claims/${f.token}/address`, hFriend, ADDRESS);
  await ok(h, 'POST', `/claims/${f.token}/accept`, hFriend);
  for (let i = 0; i < 3; i++) {
    await ok(h, 'POST', '/dev/sweep', hGiver);
    hookClock.advanceSeconds(60);
  }
  expect(receiverBodies.length).toBeGreaterThanOrEqual(3);
  expect(receiverBodies[0]).toContain(ADDRESS.detail); // the receiver did get the address to echo
}, 120_000);

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Every string of a parsed line (keys and values), so \u-escaped text is scanned decoded too. */
const strings = (v: unknown): string[] =>
  typeof v === 'string'
    ? [v]
    : Array.isArray(v)
      ? v.flatMap(strings)
      : v && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)])
        : [];

it('writes no personal data, claim token, JWT or webhook signature into any log line', () => {
  const all = [...sinkLogs.lines.map((l) => ['sink', l] as const), ...hookLogs.lines.map((l) => ['webhook', l] as const)];
  const parsed = all.map(([server, line]) => ({ server, line, json: JSON.parse(line) as Record<string, unknown> }));
  const leaks: string[] = [];
  for (const { server, line, json } of parsed) {
    const haystack = `${line}\n${strings(json).join('\n')}`;
    for (const [value, what] of secrets) {
      if (haystack.includes(value))
        leaks.push(
          `[${server}] ${what} (${value.length > 40 ? `${value.slice(0, 40)}…` : value}) ` +
            `in: ${line.length > 600 ? `${line.slice(0, 600)}…` : line}`,
        );
    }
  }
  console.log(`log privacy: ${parsed.length} log lines scanned, ${leaks.length} secrets found`);

  // The capture works and sees what it should: request lines by route pattern with their statuses, and the dispatcher.
  const requests = parsed
    .filter((p) => p.json.msg === 'request')
    .map((p) => `${p.server} ${p.json.method} ${p.json.route} ${p.json.status}`);
  expect(secrets.size).toBeGreaterThan(15);
  expect(requests).toEqual(
    expect.arrayContaining([
      'sink POST /gifts 201',
      'sink POST /gifts/:id/pay 200',
      'sink GET /claims/:token 200',
      'sink GET /claims/:token 404',
      'sink POST /claims/:token/claim 200',
      'sink POST /claims/:token/claim 404',
      'sink PUT /claims/:token/address 200',
      'sink PUT /claims/:token/address 403',
      'sink PUT /claims/:token/address 409',
      'sink PUT /claims/:token/address 422',
      'sink PUT /claims/:token/variant 200',
      'sink POST /claims/:token/accept 200',
      'sink POST /claims/:token/accept 410',
      'sink POST /claims/:token/decline 200',
      'sink POST /gifts/:id/claim-link 200',
      'sink POST /dev/sweep 200',
      'sink GET (unmatched) 404',
      'webhook POST /claims/:token/accept 200',
      'webhook POST /dev/sweep 200',
    ]),
  );
  const messages = parsed.map((p) => `${p.server} ${p.json.msg}`);
  expect(messages).toEqual(
    expect.arrayContaining(['sink gift accepted', 'sink gift declined', 'sink effect delivered', 'webhook effect delivery failed']),
  );
  expect(parsed.some((p) => p.server === 'sink' && p.json.msg === 'sweep finished' && Number(p.json.expired) >= 1)).toBe(true);

  expect(leaks, leaks.join('\n')).toEqual([]);
});

it("keeps the hostile receiver's echo of the address out of the giver's view as well", async () => {
  // The failed handoff's last error is part of the giver's view (handoff progress); the giver must never see the address.
  const giver = 'lp_hook_giver';
  const one = await hookServer.api('GET', `/gifts/${hookGiftId}`, { as: giver });
  const list = await hookServer.api('GET', '/gifts?role=sent', { as: giver });
  expect(one.status).toBe(200);
  const seen = JSON.stringify([one.body, list.body]);
  const leaked = [ADDRESS.name, ADDRESS.phone, '+8613800138000', ADDRESS.detail, DISTRICT].filter((s) => seen.includes(s));
  expect(leaked, `giver view: ${JSON.stringify(one.body.gift?.handoff ?? one.body).slice(0, 800)}`).toEqual([]);
  void sinkServer;
});
