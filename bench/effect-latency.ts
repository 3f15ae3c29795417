/**
 * How soon effects leave, and how fast one dispatcher drains a backlog. Printed and written to
 * bench/results/effect-latency.json; never asserted.
 *
 * (a) Latency: the local server (LevelDB, then dynalite) with a local webhook receiver as FULFILLMENT_WEBHOOK_URL, N
 *     gifts accepted over HTTP (收下礼物); the time from sending the accept to the handoff reaching the receiver, p50/p95/p99
 *     (from the tap: with the feed the handoff often arrives before the accept's 200 reaches the client).
 *     With the change feed (the default) and, as the baseline in the same run, without it: the dispatch timer every
 *     DISPATCH_INTERVAL_SECONDS (default 5 s), as before.
 * (b) Drain: ≥ 5,000 due handoffs seeded with the feed off, then one scheduled run with a deadline (what CloudBase's
 *     timer and AWS's safety net do): effects/s into the built-in journaled receiver, on LevelDB and on dynalite.
 *
 * On AWS the first delivery comes from DynamoDB Streams (functions/dispatch-stream): stream records are typically
 * readable within about a second of the write, Lambda polls each shard four times a second and waits at most the
 * batching window (1 s here) to fill a batch, so a handoff leaves ~1–2.5 s after 收下礼物 (plus the receiver call);
 * p99 well under 5 s unless the function is throttled or a batch fails (then bisected and retried at once).
 *
 *   npx tsx bench/effect-latency.ts [--gifts 200] [--drain 5000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalServer } from '../local/start-local-server';
import { DEMO_CATALOG } from '../shared/catalog/demo-catalog';
import { hashClaimToken } from '../shared/domain/claim-token';
import type { Gift } from '../shared/domain/gift';
import { DEFAULT_GIFT_POLICY } from '../shared/domain/gift-policy';
import { accept, claim, confirmPayment, newGift, setAddress } from '../shared/domain/gift-transitions';
import { iso } from '../shared/domain/time';
import { AddressBody } from '../shared/schemas/address';
import { dispatchDueEffects } from '../shared/use-cases/dispatch-effects';
import { machineInfo, printTable, round, warnIfBusy, writeJson } from './lib/report';
import { httpJson, mapLimit, sendGift } from './lib/songli-client';

const { values } = parseArgs({ options: { gifts: { type: 'string', default: '200' }, drain: { type: 'string', default: '5000' } } });
const GIFTS = Number(values.gifts);
const DRAIN = Number(values.drain);
const STORES = ['leveldb', 'dynalite'] as const;
const ADDRESS_INPUT = { name: '李四', phone: '13800138000', regionCode: '110105', detail: '朝阳路 1 号 2 单元 301' };
const ADDRESS = AddressBody.parse(ADDRESS_INPUT);
/** Accepts are spread over this long (two of the timer's default intervals). */
const SPREAD_SECONDS = 10;
const SECRET = 'whsec_bench_0123456789abcdef';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};

/** A merchant webhook that notes when each gift's handoff arrived (first arrival per gift). */
async function startReceiver() {
  const arrived = new Map<string, number>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const id = /"giftId":"([^"]+)"/.exec(body)?.[1];
      if (id && !arrived.has(id)) arrived.set(id, performance.now());
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, arrived, close: () => server.close() };
}

async function latency(store: (typeof STORES)[number], feed: boolean) {
  const receiver = await startReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'songli-latency-'));
  const server = await startLocalServer({
    webRoot: null,
    env: {
      PORT: '0',
      DATA_DIR: dir,
      LOCAL_STORE: store,
      LOG_LEVEL: 'silent',
      LOCAL_CHANGE_FEED: String(feed),
      FULFILLMENT_WEBHOOK_URL: receiver.url,
      FULFILLMENT_WEBHOOK_SECRET: SECRET,
    },
  });
  try {
    // Gifts claimed with an address first; then the accepts spread evenly over SPREAD_SECONDS, so the timer's
    // baseline is met at every phase of its interval (a burst right after start would all wait for the first tick).
    const ready = await mapLimit(
      Array.from({ length: GIFTS }, (_, i) => i),
      8,
      async (i) => {
        const giver = await server.dev.issueToken(`lat_giver_${i}`);
        const friend = await server.dev.issueToken(`lat_friend_${i}`);
        const { giftId, claimToken } = await sendGift(server.url, giver, 'sku_scarf_blue');
        await httpJson(server.url, 'POST', `/claims/${claimToken}/claim`, { token: friend });
        await httpJson(server.url, 'PUT', `/claims/${claimToken}/address`, { token: friend, body: ADDRESS_INPUT });
        return { giftId, claimToken, friend };
      },
    );
    const acceptedAt = new Map<string, number>();
    await Promise.all(
      ready.map(async ({ giftId, claimToken, friend }, i) => {
        await new Promise((r) => setTimeout(r, (i * SPREAD_SECONDS * 1000) / GIFTS));
        const tapped = performance.now();
        const r = await httpJson(server.url, 'POST', `/claims/${claimToken}/accept`, { token: friend });
        if (r.status !== 200) throw new Error(`accept answered ${r.status} ${JSON.stringify(r.body)}`);
        acceptedAt.set(giftId, tapped);
      }),
    );
    const waitUntil = performance.now() + 30_000;
    while (receiver.arrived.size < acceptedAt.size && performance.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
    const ms = [...acceptedAt].flatMap(([id, at]) => (receiver.arrived.has(id) ? [receiver.arrived.get(id)! - at] : []));
    return {
      store,
      path: feed ? 'change feed' : `timer every ${server.config.DISPATCH_INTERVAL_SECONDS} s (baseline)`,
      gifts: acceptedAt.size,
      delivered: ms.length,
      p50Ms: round(pct(ms, 50)),
      p95Ms: round(pct(ms, 95)),
      p99Ms: round(pct(ms, 99)),
      maxMs: round(Math.max(...ms)),
      minMs: round(Math.min(...ms)),
    };
  } finally {
    await server.close();
    receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const scarf = DEMO_CATALOG.find((p) => p.skus.some((s) => s.id === 'sku_scarf_blue'))!;
/** An accepted gift with its handoff and the giver's notices due, built with the domain transitions (no HTTP). */
function acceptedGift(n: number, now: string): Gift {
  const sku = scarf.skus.find((s) => s.id === 'sku_scarf_blue')!;
  const g = newGift(
    { id: `g_drain_${n}`, giverId: `giver_${n}`, product: scarf, sku, message: null, idempotency: null },
    now,
    DEFAULT_GIFT_POLICY,
  );
  const paid = confirmPayment(
    g,
    { paymentId: `pay_${n}`, amountFen: sku.priceFen, paidAt: now },
    { hash: hashClaimToken('t'), version: 1 },
    now,
    DEFAULT_GIFT_POLICY,
  );
  const claimed = claim(paid, `friend_${n}`, now, DEFAULT_GIFT_POLICY);
  return accept(setAddress(claimed, `friend_${n}`, ADDRESS, now), `friend_${n}`, now);
}

async function drain(store: (typeof STORES)[number]) {
  const dir = mkdtempSync(join(tmpdir(), 'songli-drain-'));
  const server = await startLocalServer({
    timers: false,
    webRoot: null,
    env: { PORT: '0', DATA_DIR: dir, LOCAL_STORE: store, LOG_LEVEL: 'silent', LOCAL_CHANGE_FEED: 'false' },
  });
  try {
    const now = iso(server.deps.clock.now());
    await mapLimit(
      Array.from({ length: DRAIN }, (_, i) => i),
      32,
      (i) => server.deps.store.insert(acceptedGift(i, now)),
    );
    const started = performance.now();
    const report = await dispatchDueEffects(server.deps, 'handoff', { deadline: Date.now() + 600_000, concurrency: 16 });
    const seconds = (performance.now() - started) / 1000;
    return {
      store,
      seeded: DRAIN,
      delivered: report.succeeded,
      seconds: round(seconds, 2),
      effectsPerSecond: round(report.succeeded / seconds, 0),
    };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const machine = machineInfo();
warnIfBusy(machine);
const latencies: Array<Awaited<ReturnType<typeof latency>>> = [];
for (const store of STORES) for (const feed of [true, false]) latencies.push(await latency(store, feed));
console.log(
  `\nFrom 收下礼物 (the accept sent) to the fulfillment receiver (${GIFTS} gifts accepted over ${SPREAD_SECONDS} s, webhook on 127.0.0.1):`,
);
printTable(latencies);
const drains: Array<Awaited<ReturnType<typeof drain>>> = [];
for (const store of STORES) drains.push(await drain(store));
console.log(`\nOne scheduled dispatch run with a deadline, ${DRAIN} due handoffs, 16 documents at a time:`);
printTable(drains);
const ratio = (store: string) => {
  const [feed, poll] = [true, false].map((f) => latencies.find((l) => l.store === store && l.path.startsWith(f ? 'change' : 'timer'))!);
  return round(poll!.p99Ms / feed!.p99Ms, 1);
};
for (const store of STORES) console.log(`${store}: p99 with the feed is ${ratio(store)}× shorter than the timer's`);
const file = writeJson('effect-latency.json', {
  machine: { ...machine, loadAvg1mAfter: machineInfo().loadAvg1m },
  gifts: GIFTS,
  latency: latencies,
  drain: drains,
  goals: { p99Ms: 5_000, drainEffectsPerSecond: 500 },
});
console.log(`\nwrote ${file}`);
