/**
 * HTTP throughput and latency: autocannon, 50 connections, 10 s per target (`--duration <s>`), all in one run so
 * the figures are ratios on the same machine. Each server runs in its own child process.
 *
 *   npx tsx bench/http.ts [--duration 10] [--cpu-prof] [--stores memory,leveldb,dynalite,memory-logged] [--methods GET,POST]
 *
 * Targets: a bare node:http server with a fixed JSON body; songli `GET /claims/:token` as the bound recipient;
 * songli `POST /claims/:token/claim` as that recipient (an idempotent 200 every time). Writes
 * bench/results/http.json and bench/results/http-latency.svg. Goals are reported, never asserted: exit 0.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type ChildServer, cpuSecondsOf, startChildServer } from './lib/child-server';
import { summarizeCpuProfile } from './lib/cpu-profile';
import { writeLatencyChartSvg } from './lib/plot';
import { machineInfo, printTable, round, warnIfBusy, writeJson } from './lib/report';
import { httpJson, login, sendGift } from './lib/songli-client';

/** The slice of autocannon's (untyped) API used here. */
interface AutocannonResult {
  requests: { average: number; total: number; sent: number };
  latency: Record<string, number>;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
  duration: number;
}
type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    'cpu-prof': { type: 'boolean', default: false },
    stores: { type: 'string', default: 'dynalite,leveldb,memory,memory-logged' },
    methods: { type: 'string', default: 'GET,POST' },
  },
});
const DURATION = Number(args.duration);
const CONNECTIONS = 50;
const WARMUP_S = Math.min(2, DURATION);
const GOALS = { minRatio: 0.5, maxP99Ms: 10 };
const PERCENTILES = [1, 10, 25, 50, 75, 90, 97.5, 99, 99.9, 99.99];

interface Target {
  name: string;
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
}

const pct = (r: AutocannonResult, p: number) => r.latency[`p${String(p).replace('.', '_')}`] ?? NaN;

/**
 * Load-tests one target. Besides req/s it takes the server's CPU time per answered request: on a machine where other
 * work competes for the cores req/s swings with the load, the CPU each request costs the server much less so.
 */
async function measure(t: Target, serverPid: number): Promise<Measured> {
  const opts = { url: t.url, method: t.method, headers: t.headers, connections: CONNECTIONS };
  await autocannon({ ...opts, duration: WARMUP_S }); // JIT and connection warm-up, not counted
  process.stdout.write(`measuring ${t.name} for ${DURATION} s ... `);
  const cpuBefore = cpuSecondsOf(serverPid);
  const r = await autocannon({ ...opts, duration: DURATION });
  const cpuAfter = cpuSecondsOf(serverPid);
  const cpuUsPerRequest = cpuBefore === null || cpuAfter === null ? null : round(((cpuAfter - cpuBefore) * 1e6) / r.requests.total, 1);
  console.log(`${Math.round(r.requests.average)} req/s, ${cpuUsPerRequest ?? '?'} µs server CPU per request`);
  return Object.assign(r, { cpuUsPerRequest });
}
type Measured = AutocannonResult & { cpuUsPerRequest: number | null };

async function main(): Promise<void> {
  const machine = machineInfo();
  console.log(
    `${machine.cpuModel} × ${machine.cpuCount}, ${machine.totalMemGiB} GiB, node ${machine.node}; ` +
      `${CONNECTIONS} connections, ${DURATION} s per target\n`,
  );
  warnIfBusy(machine);
  const results: { target: Target; result: Measured }[] = [];

  let server: ChildServer = await startChildServer('bare-server');
  try {
    const bare: Target = { name: 'bare node:http', url: `${server.url}/`, method: 'GET' };
    results.push({ target: bare, result: await measure(bare, server.pid) });
  } finally {
    await server.stop();
  }

  server = await startChildServer('hono-floor');
  try {
    const floor: Target = { name: 'bare Hono (node-server), same body', url: `${server.url}/claims/x`, method: 'GET' };
    results.push({ target: floor, result: await measure(floor, server.pid) });
  } finally {
    await server.stop();
  }

  const profileDir = args['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'songli-prof-')) : null;
  // The same server on each local store: dynalite (what `npm start` runs by default), LevelDB (LOCAL_STORE=leveldb)
  // and the in-process memory store, which isolates the app's own cost (routing, auth, validation, use case, JSON).
  // `memory-logged` is the in-process store again with a log line per request at info (as `npm start` logs), into a
  // file: what logging adds (the other targets log nothing).
  const logDir = mkdtempSync(join(tmpdir(), 'songli-bench-log-'));
  for (const [store, label] of [
    ['dynalite', 'embedded DynamoDB'],
    ['leveldb', 'embedded LevelDB'],
    ['memory', 'in-process store'],
    ['memory-logged', 'in-process store, info log per request'],
  ] as const) {
    if (!args.stores.split(',').includes(store)) continue;
    const logged = store === 'memory-logged';
    server = await startChildServer('songli-server', {
      env: { BENCH_STORE: logged ? 'memory' : store, ...(logged ? { BENCH_LOG_FILE: join(logDir, 'server.log') } : {}) },
      // One profile: the silent servers' (a logged server's would be picked as the largest).
      execArgv: profileDir && !logged ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    });
    try {
      const giver = await login(server.url, 'bench-giver');
      const friend = await login(server.url, 'bench-friend');
      const { claimToken } = await sendGift(server.url, giver);
      const first = await httpJson(server.url, 'POST', `/claims/${claimToken}/claim`, { token: friend });
      if (first.status !== 200) throw new Error(`first claim answered ${first.status} ${JSON.stringify(first.body)}`);
      const auth = { authorization: `Bearer ${friend}` };
      for (const t of [
        { name: `songli GET /claims/:token (${label})`, url: `${server.url}/claims/${claimToken}`, method: 'GET', headers: auth },
        {
          name: `songli POST /claims/:token/claim (${label})`,
          url: `${server.url}/claims/${claimToken}/claim`,
          method: 'POST',
          headers: auth,
        },
      ] satisfies Target[]) {
        if (!args.methods.split(',').includes(t.method) || (logged && t.method !== 'GET')) continue;
        results.push({ target: t, result: await measure(t, server.pid) });
      }
    } finally {
      await server.stop();
    }
  }
  rmSync(logDir, { recursive: true, force: true });

  const bareRps = results[0]!.result.requests.average;
  const bareCpu = results[0]!.result.cpuUsPerRequest;
  /** Bare node:http's CPU per request over this target's: the req/s ratio a dedicated, saturated core would show. */
  const cpuRatio = (r: Measured) => (bareCpu && r.cpuUsPerRequest ? round(bareCpu / r.cpuUsPerRequest, 3) : null);
  const rows = results.map(({ target, result: r }, i) => {
    const ratio = r.requests.average / bareRps;
    const clean = r.non2xx === 0 && r.errors === 0 && r.timeouts === 0;
    const goalsMet = i <= 1 ? null : ratio >= GOALS.minRatio && pct(r, 99) < GOALS.maxP99Ms;
    return {
      target: target.name,
      'req/s': Math.round(r.requests.average),
      'p50 ms': pct(r, 50),
      'p90 ms': pct(r, 90),
      'p99 ms': pct(r, 99),
      'p99.9 ms': pct(r, 99.9),
      'vs bare': round(ratio, 3),
      'CPU µs/req': r.cpuUsPerRequest,
      'CPU vs bare': cpuRatio(r),
      requests: r.requests.total,
      'non-2xx': r.non2xx,
      errors: r.errors + r.timeouts,
      goals: goalsMet === null ? (i === 0 ? 'baseline' : 'reference') : goalsMet ? 'met' : 'MISSED',
      clean,
    };
  });
  console.log();
  printTable(rows.map(({ clean: _c, ...row }) => row));
  console.log(
    `\ngoals for songli routes: ≥ ${GOALS.minRatio}× bare req/s and p99 < ${GOALS.maxP99Ms} ms (latency histogram has 1 ms resolution)`,
  );
  for (const r of rows.slice(2)) {
    console.log(
      `  ${r.target}: ${r['vs bare']}× bare (${r['vs bare'] >= GOALS.minRatio ? 'met' : 'MISSED'}), ` +
        `p99 ${r['p99 ms']} ms (${r['p99 ms'] < GOALS.maxP99Ms ? 'met' : 'MISSED'})`,
    );
  }
  const dirty = rows.filter((r) => !r.clean);
  for (const r of dirty) {
    const codes = JSON.stringify(results.find((x) => x.target.name === r.target)!.result.statusCodeStats);
    console.log(
      `\n!!!!!!!! ${r.target}: ${r['non-2xx']} non-2xx answers and ${r.errors} errors/timeouts (status codes ${codes}): ` +
        'ITS FIGURES ARE NOT VALID !!!!!!!!',
    );
  }
  if (dirty.length === 0) console.log('every response was 2xx; no errors or timeouts');

  const json = writeJson('http.json', {
    bench: 'http',
    connections: CONNECTIONS,
    durationSeconds: DURATION,
    warmupSeconds: WARMUP_S,
    goals: GOALS,
    allResponses2xx: dirty.length === 0,
    targets: results.map(({ target, result: r }, i) => ({
      name: target.name,
      method: target.method,
      route:
        i === 0
          ? '/'
          : i === 1
            ? '/claims/:token (fixed body)'
            : target.url.replace(/^https?:\/\/[^/]+/, '').replace(/claims\/[^/]+/, 'claims/:token'),
      requestsPerSecond: round(r.requests.average, 1),
      ratioVsBare: round(r.requests.average / bareRps, 3),
      serverCpuUsPerRequest: r.cpuUsPerRequest,
      cpuRatioVsBare: cpuRatio(r),
      requests: r.requests.total,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
      latencyMs: {
        mean: r.latency.mean,
        min: r.latency.min,
        max: r.latency.max,
        ...Object.fromEntries(PERCENTILES.map((p) => [`p${p}`, pct(r, p)])),
      },
      goalsMet: i <= 1 ? null : rows[i]!.goals === 'met',
    })),
  });
  const svg = await writeLatencyChartSvg('http-latency.svg', {
    title: `HTTP latency distribution (${CONNECTIONS} connections, ${DURATION} s per target)`,
    series: results.map(({ target, result: r }) => ({
      name: target.name,
      points: PERCENTILES.map((p) => ({ percentile: p, ms: pct(r, p) })),
    })),
  });
  console.log(`\nwrote ${json}\nwrote ${svg}`);

  if (profileDir) {
    // The main thread's profile is the largest (tsx's loader thread writes a small one too).
    const file = readdirSync(profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort((a, b) => statSync(join(profileDir, b)).size - statSync(join(profileDir, a)).size)[0];
    if (file) {
      console.log(`\nsongli server CPU profile (${join(profileDir, file)}), top self time:`);
      printTable(summarizeCpuProfile(join(profileDir, file), 12, 'package'));
      console.log();
      printTable(summarizeCpuProfile(join(profileDir, file), 12, 'function'));
    }
  }
}

main().catch((e) => {
  console.error('bench/http failed:', e);
  process.exitCode = 1;
});
