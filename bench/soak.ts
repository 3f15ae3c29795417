/**
 * Soak: the local server as `npm start` runs it (a data directory on disk, the cleanup every 60 s and the dispatchers
 * every 5 s, info logs) in a child process, driven by mixed traffic for a set time while its memory is sampled.
 *
 *   npm run soak -- --store dynalite|leveldb|memory --seconds 600 --clients 20 [--sample 5] [--warmup 120] [--idle 0]
 *
 * Traffic (bench/lib/soak-traffic.ts): 70 % full lifecycles ending accepted (create → pay → view → claim → address →
 * swap → view → accept, then the giver's view and lists), 10 % declined, 10 % new callers trying claim links with a
 * wrong secret and a malformed token (404s), 10 % reads of earlier gifts. Recipients and guessers are new users
 * every time (each logs in), givers come from a pool of 100 per client.
 *
 * Sampling: the child is started with `--expose-gc --require bench/lib/memory-probe.cjs`; every `--sample` seconds
 * the probe runs a full GC and reports process.memoryUsage() over IPC (the server's code is not changed). After the
 * traffic stops the server keeps running idle for `--idle` seconds (its timers still firing) and is sampled on.
 *
 * The store's own data: the memory store keeps every gift in the JS heap, so its heap is reported minus
 * gifts × the bytes one gift costs that store, measured beforehand in a fresh process on the same traffic
 * (bench/lib/memory-store-bytes.ts). dynalite and LevelDB keep their data on disk: their heap is taken as is.
 *
 * Verdict (flat): the median of that heap over the last minute of traffic is within ±15 % of its median over the first
 * minute after the warm-up, and at the end of the idle period it is not more than 15 % above it. Single samples vary
 * with the work in flight (dispatcher batches, the cleanup, requests): their range is printed too, as is what the
 * server kept per lifecycle over the whole run (heap at the end minus heap before the first request).
 * Also printed: least-squares slopes of heap and RSS after the warm-up, in bytes per minute and per lifecycle.
 * RSS is reported beside the heap: it also holds native memory (LevelDB's memtables and block cache, the allocator's
 * arenas), which the JS heap figures do not see. Writes bench/results/soak-<store>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type ChildServer, startChildServer } from './lib/child-server';
import { machineInfo, printTable, round, warnIfBusy, writeJson } from './lib/report';
import { addCounts, emptyCounts, prng, SoakClient, type TrafficCounts } from './lib/soak-traffic';
import { httpJson, login } from './lib/songli-client';

const { values: args } = parseArgs({
  options: {
    store: { type: 'string', default: 'dynalite' },
    seconds: { type: 'string', default: '600' },
    clients: { type: 'string', default: '20' },
    sample: { type: 'string', default: '5' },
    warmup: { type: 'string' },
    idle: { type: 'string', default: '0' },
    seed: { type: 'string', default: '20261124' },
    /** Diagnosis: heap snapshots after the warm-up and at the end go here (they pause the server while written and leave its RSS
     * inflated).
     */
    'snapshot-dir': { type: 'string' },
  },
});
const STORE = args.store!;
if (!['dynalite', 'leveldb', 'memory'].includes(STORE)) throw new Error(`--store must be dynalite, leveldb or memory, not ${STORE}`);
const SECONDS = Number(args.seconds);
const CLIENTS = Number(args.clients);
const SAMPLE_S = Number(args.sample);
const WARMUP_S = args.warmup !== undefined ? Number(args.warmup) : Math.min(120, Math.round(SECONDS / 5));
const IDLE_S = Number(args.idle);
const TOLERANCE = 0.15;
const HERE = dirname(fileURLToPath(import.meta.url));
const MiB = 2 ** 20;

interface Sample {
  t: number;
  phase: 'load' | 'idle';
  gifts: number;
  requests: number;
  rss: number;
  /** RSS split (Linux): anonymous memory (JS heap, malloc) and file-backed pages (the node binary, LevelDB's mapped tables). */
  rssAnon: number | null;
  rssFile: number | null;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** heapUsed minus the store's own data (memory store), else heapUsed. */
  heapExclStore: number;
  gcMs: number;
}

interface ProbeReply {
  type: 'memory';
  id: number;
  rss: number;
  rssAnon: number | null;
  rssFile: number | null;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  gcMs: number;
}

/** Asks the child's probe for one sample (a full GC first). */
function probe(server: ChildServer, type: 'memory-probe' | 'heap-snapshot' = 'memory-probe', extra: object = {}): Promise<any> {
  const id = Math.random();
  return new Promise((resolveReply, reject) => {
    const timer = setTimeout(() => {
      server.process.off('message', on);
      reject(new Error(`${type} did not answer within 5 min`));
    }, 300_000);
    const on = (m: unknown) => {
      if ((m as { id?: number }).id !== id) return;
      clearTimeout(timer);
      server.process.off('message', on);
      resolveReply(m);
    };
    server.process.on('message', on);
    server.process.send({ type, id, ...extra });
  });
}

const WINDOW_S = 60;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : sxy / sxx;
}

/** The memory store's retained bytes per gift, measured in a fresh process on the soak's own documents. */
function memoryStoreBytesPerGift(): { bytesPerGift: number; gifts: number } {
  console.log("measuring the memory store's bytes per gift in a fresh process (bench/lib/memory-store-bytes.ts) ...");
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', resolve(HERE, 'lib/memory-store-bytes.ts'), '--gifts', '10000'],
    { encoding: 'utf8' },
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as { bytesPerGift: number; gifts: number };
  console.log(`  ${r.bytesPerGift} bytes per gift (${r.gifts} gifts)\n`);
  return r;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(`${machine.cpuModel} × ${machine.cpuCount}, ${machine.totalMemGiB} GiB, node ${machine.node}`);
  console.log(
    `soak: store ${STORE}, ${SECONDS} s of traffic from ${CLIENTS} clients, ` +
      `then ${IDLE_S} s idle; a sample every ${SAMPLE_S} s, warm-up ${WARMUP_S} ` +
      `s\n`,
  );
  warnIfBusy(machine);
  const perGift = STORE === 'memory' ? memoryStoreBytesPerGift() : null;
  const method =
    STORE === 'memory'
      ? `heap minus gifts × ${perGift!.bytesPerGift} B (the memory store's retained ` +
        `bytes per gift, measured in a fresh process on ${perGift!.gifts} gifts ` +
        `of this same traffic by bench/lib/memory-store-bytes.ts)`
      : `heap as measured (the ${STORE} store keeps its data on disk; its in-process caches are bounded and count against the heap)`;

  const dataDir = mkdtempSync(join(tmpdir(), `songli-soak-${STORE}-`));
  const server = await startChildServer('soak-server', {
    env: { LOCAL_STORE: STORE, DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' },
    execArgv: ['--expose-gc', '--require', resolve(HERE, 'lib/memory-probe.cjs')],
    quiet: true,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const random = prng(Number(args.seed));
  const clients = Array.from({ length: CLIENTS }, (_, i) => new SoakClient(server.url, agent, i, random));
  const totals = (): TrafficCounts => clients.reduce((acc, c) => addCounts(acc, c.counts), emptyCounts());
  const samples: Sample[] = [];
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let phase: Sample['phase'] = 'load';
  let warmSnapshot = false;

  const takeSample = async () => {
    const m = (await probe(server)) as ProbeReply;
    const c = totals();
    const heapExclStore = perGift ? m.heapUsed - c.gifts * perGift.bytesPerGift : m.heapUsed;
    const s: Sample = {
      t: round(elapsed(), 1),
      phase,
      gifts: c.gifts,
      requests: c.requests,
      rss: m.rss,
      rssAnon: m.rssAnon,
      rssFile: m.rssFile,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      heapExclStore,
      gcMs: round(m.gcMs, 1),
    };
    samples.push(s);
    if (args['snapshot-dir'] && !warmSnapshot && s.t >= WARMUP_S) {
      warmSnapshot = true;
      console.log(
        'heap snapshot:',
        (await probe(server, 'heap-snapshot', { path: join(resolve(args['snapshot-dir']), `soak-${STORE}-warm.heapsnapshot`) })).path,
      );
    }
    if (samples.length === 1 || samples.length % 6 === 0) {
      console.log(
        `${String(Math.round(s.t)).padStart(5)} s ${s.phase.padEnd(4)}  gifts ${String(s.gifts).padStart(6)} ` +
          ` rss ${(s.rss / MiB).toFixed(1).padStart(7)} MiB  heap ${(s.heapUsed / MiB).toFixed(1).padStart(6)} ` +
          `MiB` +
          (perGift ? `  heap excl. store ${(s.heapExclStore / MiB).toFixed(1).padStart(6)} MiB` : '') +
          `  external ${(s.external / MiB).toFixed(1).padStart(6)} MiB`,
      );
    }
  };

  try {
    await takeSample(); // before any traffic
    let stop = false;
    const sampler = (async () => {
      while (!stop) {
        await new Promise((r) => setTimeout(r, SAMPLE_S * 1000));
        if (!stop) await takeSample();
      }
    })();
    const deadline = performance.now() + SECONDS * 1000;
    await Promise.all(
      clients.map(async (c) => {
        while (performance.now() < deadline) await c.step();
      }),
    );
    phase = 'idle';
    const idleUntil = performance.now() + IDLE_S * 1000;
    while (performance.now() < idleUntil) await new Promise((r) => setTimeout(r, 200));
    stop = true;
    await sampler;
    await takeSample();
    if (args['snapshot-dir'])
      console.log(
        'heap snapshot:',
        (await probe(server, 'heap-snapshot', { path: join(resolve(args['snapshot-dir']), `soak-${STORE}-end.heapsnapshot`) })).path,
      );

    // Reconcile: every accepted gift reached the fulfillment sink exactly once, every declined one was refunded.
    // The dispatchers deliver at most 100 effects of each kind per run, so a fast store ends with a backlog: drain it.
    const admin = await login(server.url, 'soak-admin', agent);
    let drainRuns = 0;
    for (; drainRuns < 10_000; drainRuns++) {
      const run = await httpJson(server.url, 'POST', '/dev/sweep', { token: admin, agent });
      if (Object.values(run.body.dispatched as Record<string, { attempted: number }>).every((r) => r.attempted === 0)) break;
    }
    console.log(`backlog drained by ${drainRuns} extra cleanup/dispatch runs`);
    const fulfillments = (await httpJson(server.url, 'GET', '/dev/fulfillments', { token: admin, agent })).body.fulfillments
      .length as number;
    const refunds = (await httpJson(server.url, 'GET', '/dev/refunds', { token: admin, agent })).body.refunds.length as number;
    const c = totals();
    report(samples, c, { fulfillments, refunds }, method, perGift?.bytesPerGift ?? null);
  } finally {
    agent.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(
  samples: Sample[],
  c: TrafficCounts,
  received: { fulfillments: number; refunds: number },
  method: string,
  bytesPerGift: number | null,
): void {
  const mib = (b: number) => round(b / MiB, 1);
  console.log();
  // The table: about 20 rows, always the first sample, the first after warm-up and the last.
  const every = Math.max(1, Math.round(samples.length / 20));
  const firstAfterWarmup = samples.findIndex((s) => s.t >= WARMUP_S);
  printTable(
    samples
      .filter((_, i) => i % every === 0 || i === samples.length - 1 || i === firstAfterWarmup)
      .map((s) => ({
        s: Math.round(s.t),
        phase: s.phase,
        gifts: s.gifts,
        requests: s.requests,
        'rss MiB': mib(s.rss),
        'anon MiB': s.rssAnon === null ? null : mib(s.rssAnon),
        'file MiB': s.rssFile === null ? null : mib(s.rssFile),
        'heapTotal MiB': mib(s.heapTotal),
        'heapUsed MiB': mib(s.heapUsed),
        ...(bytesPerGift ? { 'heap excl. store MiB': mib(s.heapExclStore) } : {}),
        'external MiB': mib(s.external),
        'gc ms': s.gcMs,
      })),
  );

  const after = samples.filter((s) => s.t >= WARMUP_S && s.phase === 'load');
  const idle = samples.filter((s) => s.phase === 'idle');
  const ref = after[0] ?? samples[0]!;
  const end = samples[samples.length - 1]!;
  const giftsAfter = (after[after.length - 1]?.gifts ?? 0) - (after[0]?.gifts ?? 0);
  const minutesAfter = ((after[after.length - 1]?.t ?? 0) - (after[0]?.t ?? 0)) / 60;
  type Key = 'heapExclStore' | 'heapUsed' | 'rss' | 'rssAnon';
  const perMin = (key: Key, set: Sample[]) => slope(set.filter((s) => s[key] !== null).map((s) => [s.t / 60, s[key]!]));
  const perGift = (key: Key) => slope(after.filter((s) => s[key] !== null).map((s) => [s.gifts, s[key]!]));
  // Flat: the median of the last minute of traffic within ±15 % of the median of the first minute after the warm-up
  // (one sample catches whatever work is in flight: dispatcher batches, the cleanup, requests), and at the end of
  // the idle period no more than 15 % above it (the heap drops once the work in flight is done; it must not climb).
  const heapOf = (set: Sample[]) => median(set.map((s) => s.heapExclStore));
  const firstMinute = after.filter((s) => s.t < ref.t + WINDOW_S);
  const lastMinute = after.filter((s) => s.t > (after[after.length - 1]?.t ?? 0) - WINDOW_S);
  const refHeap = heapOf(firstMinute);
  const lastHeap = heapOf(lastMinute);
  const drift = (lastHeap - refHeap) / refHeap;
  const band = after.length
    ? [Math.min(...after.map((s) => s.heapExclStore)), Math.max(...after.map((s) => s.heapExclStore))].map((h) => (h - refHeap) / refHeap)
    : [NaN, NaN];
  const idleEndRise = idle.length ? (idle[idle.length - 1]!.heapExclStore - refHeap) / refHeap : null;
  const flat = after.length >= 2 && Math.abs(drift) <= TOLERANCE && (idleEndRise === null || idleEndRise <= TOLERANCE);
  // Over the whole run, from before the first request to the end: what the server kept per lifecycle (for the memory
  // store, to be compared with its bytes per gift).
  const keptPerLifecycle = end.gifts ? (end.heapUsed - samples[0]!.heapUsed) / end.gifts : NaN;

  const slopes = {
    heapExclStore: { bytesPerMinute: Math.round(perMin('heapExclStore', after)), bytesPerLifecycle: round(perGift('heapExclStore'), 1) },
    heapUsed: { bytesPerMinute: Math.round(perMin('heapUsed', after)), bytesPerLifecycle: round(perGift('heapUsed'), 1) },
    rss: { bytesPerMinute: Math.round(perMin('rss', after)), bytesPerLifecycle: round(perGift('rss'), 1) },
    rssAnon: { bytesPerMinute: Math.round(perMin('rssAnon', after)), bytesPerLifecycle: round(perGift('rssAnon'), 1) },
    ...(idle.length >= 2
      ? {
          idleHeapExclStore: { bytesPerMinute: Math.round(perMin('heapExclStore', idle)) },
          idleRss: { bytesPerMinute: Math.round(perMin('rss', idle)) },
        }
      : {}),
  };
  console.log(
    `\ntraffic: ${c.requests} requests, ${c.gifts} gifts (${c.accepted} accepted, ` +
      `${c.declined} declined), ${c.wrongTokens} wrong-token lookups, ${c.reads} ` +
      `read rounds`,
  );
  const unexpected = Object.entries(c.unexpected);
  console.log(
    unexpected.length === 0
      ? 'every answer was the expected one'
      : `UNEXPECTED ANSWERS: ${unexpected.map(([k, v]) => `${k} ×${v}`).join(', ')}`,
  );
  const reconciled = received.fulfillments === c.accepted && received.refunds === c.declined;
  console.log(
    `receivers: ${received.fulfillments} fulfillments (accepted ${c.accepted}), ` +
      `${received.refunds} refunds (declined ${c.declined}): ${reconciled ? 'reconciled' : 'MISMATCH'}`,
  );
  console.log(`\nstore's own data: ${method}`);
  console.log(`after the ${WARMUP_S} s warm-up (${after.length} samples over ${round(minutesAfter, 1)} min, ${giftsAfter} lifecycles):`);
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${round(x * 100, 1)} %`;
  console.log(
    `  heap${bytesPerGift ? ' excl. store' : ''}: ${mib(refHeap)} MiB (median ` +
      `of the first minute) → ${mib(lastHeap)} MiB (median of the last minute ` +
      `of traffic): ${pct(drift)}`,
  );
  console.log(
    `    slope ${slopes.heapExclStore.bytesPerMinute} B/min, ${slopes.heapExclStore.bytesPerLifecycle} ` +
      `B/lifecycle; single samples ${pct(band[0]!)} … ${pct(band[1]!)}`,
  );
  if (bytesPerGift)
    console.log(
      `  heapUsed (store included): ${mib(ref.heapUsed)} → ${mib(end.heapUsed)} ` +
        `MiB; slope ${slopes.heapUsed.bytesPerMinute} B/min, ${slopes.heapUsed.bytesPerLifecycle} ` +
        `B/lifecycle`,
    );
  console.log(
    `  rss: ${mib(ref.rss)} → ${mib(end.rss)} MiB; slope ${slopes.rss.bytesPerMinute} B/min, ${slopes.rss.bytesPerLifecycle} B/lifecycle`,
  );
  if (ref.rssAnon !== null && end.rssAnon !== null) {
    console.log(
      `    anonymous ${mib(ref.rssAnon)} → ${mib(end.rssAnon)} MiB (slope ${slopes.rssAnon.bytesPerMinute} ` +
        `B/min); file-backed ${mib(ref.rssFile!)} → ${mib(end.rssFile!)} MiB`,
    );
  }
  if (idle.length >= 2) {
    console.log(
      `  idle ${IDLE_S} s: heap slope ${slopes.idleHeapExclStore!.bytesPerMinute} ` +
        `B/min, rss slope ${slopes.idleRss!.bytesPerMinute} B/min; heap at the end ` +
        `${mib(end.heapExclStore)} MiB (${pct(idleEndRise!)})`,
    );
  }
  console.log(
    `whole run: rss ${mib(samples[0]!.rss)} → ${mib(end.rss)} MiB, heap ${mib(samples[0]!.heapUsed)} ` +
      `→ ${mib(end.heapUsed)} MiB: ${Math.round(keptPerLifecycle)} B kept per ` +
      `lifecycle` +
      (bytesPerGift ? ` (the store's own: ${bytesPerGift} B per gift)` : ''),
  );
  console.log(
    `verdict: heap ${flat ? 'FLAT' : 'NOT FLAT'} (last minute within ±${TOLERANCE * 100} ` +
      `% of the first after warm-up${idle.length ? ', idle not above it by more' : ''})`,
  );

  const path = writeJson(`soak-${STORE}.json`, {
    bench: 'soak',
    store: STORE,
    seconds: SECONDS,
    clients: CLIENTS,
    sampleSeconds: SAMPLE_S,
    warmupSeconds: WARMUP_S,
    idleSeconds: IDLE_S,
    storeDataExcluded: method,
    memoryStoreBytesPerGift: bytesPerGift,
    traffic: c,
    received: { ...received, reconciled },
    start: { rss: samples[0]!.rss, rssAnon: samples[0]!.rssAnon, rssFile: samples[0]!.rssFile, heapUsed: samples[0]!.heapUsed },
    afterWarmup: {
      t: ref.t,
      rss: ref.rss,
      rssAnon: ref.rssAnon,
      rssFile: ref.rssFile,
      heapUsed: ref.heapUsed,
      heapExclStore: ref.heapExclStore,
    },
    end: { t: end.t, rss: end.rss, rssAnon: end.rssAnon, rssFile: end.rssFile, heapUsed: end.heapUsed, heapExclStore: end.heapExclStore },
    slopes,
    heapExclStoreFirstMinute: refHeap,
    heapExclStoreLastMinute: lastHeap,
    drift: round(drift, 4),
    sampleBand: band.map((b) => round(b, 4)),
    idleEndRise: idleEndRise === null ? null : round(idleEndRise, 4),
    keptBytesPerLifecycle: round(keptPerLifecycle, 1),
    tolerance: TOLERANCE,
    flat,
    samples,
  });
  console.log(`\nwrote ${path}`);
}

main().catch((e) => {
  console.error('bench/soak failed:', e);
  process.exitCode = 1;
});
