/**
 * The issue-14 table: reads bench/results/*.json (written by the benches `npm run bench` runs) and prints each figure
 * with its goal, the measured value, the ratio to its baseline and whether the goal is met. A missing result file is a
 * row saying so, never a failure. Results older than this run (BENCH_RUN_STARTED, epoch seconds, set by
 * `npm run bench`) are marked, so a stale figure is never read as today's.
 *
 *   npx tsx bench/summary.ts
 *
 * Writes bench/results/summary.json. Exit 0 whatever is met.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo, printTable, RESULTS_DIR, round, writeJson } from './lib/report';

/** Result files are read as loose JSON; each field is checked where it is used. */
type Json = any;

const runStarted = Number(process.env.BENCH_RUN_STARTED ?? 0) * 1000;

function read(file: string): Json | null {
  const path = join(RESULTS_DIR, file);
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

interface Row {
  figure: string;
  goal: string;
  /** What the issue says it was before the work (context, not measured here). */
  before: string;
  measured: string;
  ratio: string;
  met: 'yes' | 'NO' | '?';
  source: string;
}

const rows: Row[] = [];
const missing = (figure: string, goal: string, before: string, file: string) =>
  rows.push({ figure, goal, before, measured: '(no result)', ratio: '', met: '?', source: `${file} missing` });

/** `file` with a note when it was written before this run started. */
function sourceOf(file: string, json: Json): string {
  const date = Date.parse(json?.machine?.date ?? '');
  const load = json?.machine?.loadAvg1m;
  const stale = runStarted > 0 && (!Number.isFinite(date) || date < runStarted) ? ' (EARLIER RUN)' : '';
  return `${file}${load !== undefined ? ` load ${load}` : ''}${stale}`;
}
const yes = (ok: boolean): Row['met'] => (ok ? 'yes' : 'NO');

// HTTP: GET /claims/:token against bare node:http measured in the same run.
{
  const http = read('http.json');
  const target = (label: string) =>
    (http?.targets ?? []).find(
      (t: Json) => t.method === 'GET' && String(t.name).includes('/claims/:token') && String(t.name).includes(label),
    );
  const memory = target('(in-process store)'); // not the logged variant, '(in-process store, info log …)'
  const leveldb = target('LevelDB');
  if (!memory) missing('HTTP GET /claims/:token, in-process store', '≥ 0.5× bare, p99 < 10 ms', '0.09×', 'http.json');
  else {
    rows.push({
      figure: 'HTTP GET /claims/:token, in-process store (50 connections)',
      goal: '≥ 0.5× bare node:http, p99 < 10 ms',
      before: '0.09×, p99 17 ms',
      measured:
        `${Math.round(memory.requestsPerSecond)} req/s, p99 ${memory.latencyMs.p99} ms, ` +
        `${memory.serverCpuUsPerRequest ?? '?'} µs CPU/req`,
      ratio: `${memory.ratioVsBare}× bare (CPU: ${memory.cpuRatioVsBare ?? '?'}×)`,
      met: yes(memory.ratioVsBare >= 0.5 && memory.latencyMs.p99 < 10),
      source: sourceOf('http.json', http),
    });
  }
  if (!memory || !leveldb) missing('HTTP GET /claims/:token, embedded LevelDB', 'within 20 % of in-process', '0.084×', 'http.json');
  else {
    const vsMemory = leveldb.requestsPerSecond / memory.requestsPerSecond;
    rows.push({
      figure: 'HTTP GET /claims/:token, embedded LevelDB',
      goal: '≥ 0.8× the in-process store',
      before: '0.084× bare',
      measured: `${Math.round(leveldb.requestsPerSecond)} req/s, p99 ${leveldb.latencyMs.p99} ms (${leveldb.ratioVsBare}× bare)`,
      ratio: `${round(vsMemory, 3)}× in-process`,
      met: yes(vsMemory >= 0.8),
      source: sourceOf('http.json', http),
    });
  }
}

// In process: full lifecycles per second on the memory store.
{
  const json = read('lifecycles.json');
  const perSecond = json?.results?.memory?.perSecond;
  if (typeof perSecond !== 'number') missing('full lifecycles/s, memory store', '≥ 20,000/s', '5,700/s', 'lifecycles.json');
  else
    rows.push({
      figure: 'full lifecycles/s, memory store (in process)',
      goal: '≥ 20,000/s',
      before: '5,700/s',
      measured: `${Math.round(perSecond)}/s`,
      ratio: `${round(perSecond / 5700, 2)}× before`,
      met: yes(perSecond >= 20_000),
      source: sourceOf('lifecycles.json', json),
    });
}

// Contention: 1,000 concurrent claimers on the embedded store (LevelDB).
{
  const json = read('contention.json');
  const store = (json?.stores ?? []).find((s: Json) => /leveldb/i.test(String(s.store)));
  if (!store) missing('1,000 concurrent claimers, embedded LevelDB', '< 1 s', '—', 'contention.json');
  else
    rows.push({
      figure: `${json.claimers ?? 1000} concurrent claimers settled, ${store.store}`,
      goal: '< 1,000 ms (median round)',
      before: '—',
      measured:
        `median ${store.medianMs} ms, min ${store.minMs} ms` +
        (typeof store.medianServerCpuMs === 'number' ? ` (server CPU ${store.medianServerCpuMs} ms)` : ''),
      ratio: `${round(store.medianMs / 1000, 2)}× goal`,
      met: yes(store.medianMs < 1000 && store.allRoundsCorrect !== false),
      source: sourceOf('contention.json', json),
    });
}

// The 2,000,000-gift day through LevelDB: measured when bench:replay ran, else projected from the largest replay.
{
  const replays = readdirSync(RESULTS_DIR)
    .map((f) => /^replay-day-leveldb-(\d+)\.json$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ file: m[0], gifts: Number(m[1]) }))
    .sort((a, b) => b.gifts - a.gifts);
  // This run's replay (the largest one written since it started), else the largest of any run.
  const fresh = replays.find((r) => Date.parse(read(r.file)?.machine?.date ?? '') >= runStarted) ?? replays[0];
  const json = fresh ? read(fresh.file) : null;
  if (!fresh || typeof json?.wallSeconds !== 'number')
    missing('2,000,000-gift day replayed, LevelDB', '< 10 min', '40 min', 'replay-day-leveldb-*.json');
  else {
    const minutes = (json.wallSeconds * (2_000_000 / fresh.gifts)) / 60;
    const projected = fresh.gifts === 2_000_000 ? '' : ` (projected from ${fresh.gifts.toLocaleString('en')} gifts)`;
    rows.push({
      figure: `2,000,000-gift day through embedded LevelDB${projected}`,
      goal: '< 10 min',
      before: '40 min',
      measured: `${round(minutes, 1)} min${json.reconciled === false ? ' (NOT reconciled)' : ''}`,
      ratio: `${round(40 / minutes, 2)}× faster than before`,
      met: yes(minutes < 10 && json.reconciled !== false),
      source: sourceOf(fresh.file, json),
    });
  }
}

// Effects: p99 from 收下礼物 to the receiver, and the drain rate (bench/effect-latency.ts, the STREAM helper's).
{
  const json = read('effect-latency.json');
  // The embedded LevelDB store's rows: the change feed, and the dispatch timer measured as the baseline in the same run.
  const latency = (json?.latency ?? []) as Array<{ store: string; path: string; p99Ms: number }>;
  const fed = latency.find((r) => r.store === 'leveldb' && r.path === 'change feed');
  const timer = latency.find((r) => r.store === 'leveldb' && r.path !== 'change feed');
  const p99 = fed?.p99Ms ?? null;
  const rate =
    ((json?.drain ?? []) as Array<{ store: string; effectsPerSecond: number }>).find((r) => r.store === 'leveldb')?.effectsPerSecond ??
    null;
  if (p99 === null) missing('p99 收下礼物 → fulfillment receiver, local', '< 5 s', '~60 s', 'effect-latency.json');
  else
    rows.push({
      figure: 'p99 收下礼物 → fulfillment receiver, local',
      goal: '< 5,000 ms',
      before: '~60 s (per-minute poll)',
      measured: `${round(p99, 1)} ms (LevelDB, change feed)`,
      ratio: timer ? `${round(timer.p99Ms / p99, 0)}× shorter than the 5 s timer in this run` : `${round(p99 / 5000, 3)}× goal`,
      met: yes(p99 < 5000),
      source: sourceOf('effect-latency.json', json),
    });
  if (rate === null) missing('effects/s drained by one dispatcher, embedded store', '≥ 500/s', '100/min', 'effect-latency.json');
  else
    rows.push({
      figure: 'effects/s drained by one dispatcher, embedded store',
      goal: '≥ 500/s',
      before: '≤ 100 per minute',
      measured: `${Math.round(rate)}/s`,
      ratio: `${round(rate / 500, 2)}× goal`,
      met: yes(rate >= 500),
      source: sourceOf('effect-latency.json', json),
    });
}

// Cost on DynamoDB (bench/cost.ts), with the before file when there is one.
{
  const json = read('cost.json');
  const before = read('cost-before.json');
  const figures: Array<[string, string, string, (v: number) => boolean, string]> = [
    ['usdPerMillionGifts', 'USD per million gifts (DynamoDB on demand)', '≤ $12', (v) => v <= 12, '$73'],
    ['roundTripsPerGift', 'store round trips per full gift', '≤ 15', (v) => v <= 15, '~28'],
    ['hottestKeyThrottleGiftsPerSecond', 'hottest-key throttle point, gifts/s', '≥ 5,000/s', (v) => v >= 5000, '—'],
  ];
  for (const [key, figure, goal, ok, issueBefore] of figures) {
    const v = json?.[key];
    if (typeof v !== 'number') {
      missing(figure, goal, issueBefore, 'cost.json');
      continue;
    }
    const b = before?.[key];
    rows.push({
      figure,
      goal,
      before: typeof b === 'number' ? `${b} (cost-before.json)` : issueBefore,
      measured: String(v),
      ratio: typeof b === 'number' && b !== 0 ? `${round(v / b, 3)}× before` : '',
      met: yes(ok(v)),
      source: sourceOf('cost.json', json),
    });
  }
}

// Cold starts and bundle sizes (bench/cold-start.ts): the worst function is the figure.
{
  const json = read('cold-start.json');
  const results: Json[] = json?.results ?? [];
  if (results.length === 0) missing('slowest cold start / largest bundle', '≤ 40 ms, ≤ 150 KB', '96–164 ms', 'cold-start.json');
  else {
    const slowest = results.reduce((a, b) => (b.totalMs > a.totalMs ? b : a));
    const largest = results.reduce((a, b) => (b.bundleKB > a.bundleKB ? b : a));
    rows.push({
      figure: `slowest cold start (require + first call): ${slowest.platform} ${slowest.function}`,
      goal: '≤ 40 ms',
      before: '96–164 ms',
      measured: `${slowest.totalMs} ms`,
      ratio: `${round(slowest.totalMs / 40, 2)}× goal`,
      met: yes(slowest.totalMs <= 40),
      source: sourceOf('cold-start.json', json),
    });
    rows.push({
      figure: `largest bundle: ${largest.platform} ${largest.function}`,
      goal: '≤ 150 KB',
      before: '—',
      measured: `${largest.bundleKB} KB`,
      ratio: `${round(largest.bundleKB / 150, 2)}× goal`,
      met: yes(largest.bundleKB <= 150),
      source: sourceOf('cold-start.json', json),
    });
  }
}

const machine = machineInfo();
console.log(`\nIssue 14 figures (${machine.cpuModel} × ${machine.cpuCount}, node ${machine.node}, load now ${machine.loadAvg1m})`);
printTable(rows.map((r) => ({ ...r })));
const met = rows.filter((r) => r.met === 'yes').length;
console.log(`\n${met} of ${rows.length} goals met; '?' = no result file (run its bench).`);
const file = writeJson('summary.json', { bench: 'summary', rows });
console.log(`wrote ${file}`);
