/**
 * Replays one day of gifting through the real use cases, the cleanup and the dispatchers on a frozen clock:
 * N gifts spread over 24 h with a realistic mix (some never paid, most claimed and accepted, some swapped,
 * declined or left to expire), then the following day until every gift has settled. Reports wall time and
 * final counts that must reconcile exactly with the plan and with what the receivers got.
 *
 *   npm run bench:replay                                          (2,000,000 gifts, the seed's scale, on LevelDB)
 *   npx tsx bench/replay-day.ts --gifts 20000 --store leveldb     (a quick run; also: dynalite, memory; --freeze)
 *   --in-flight 64: users' steps in flight at once (embedded stores); --cache-docs N: the LevelDB store's parsed cache
 *   --change-feed off: effects left to the scheduled dispatchers only (the local server's LOCAL_CHANGE_FEED=false)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { CHANGE_FEED_CONCURRENCY, DispatchQueue } from '../local/change-feed';
import { DynamoDbAttemptLimiter } from '../shared/adapters/dynamodb/dynamodb-attempt-limiter';
import { DynamoDbGiftStore } from '../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbAttemptLimiter } from '../shared/adapters/leveldb/leveldb-attempt-limiter';
import { LevelDbGiftStore } from '../shared/adapters/leveldb/leveldb-gift-store';
import { DAY_SCALE_LEVELDB, openLevelDb } from '../shared/adapters/leveldb/open-leveldb';
import { MemoryGiftStore } from '../shared/adapters/memory/memory-gift-store';
import { CLAIM_SECRET_LENGTH } from '../shared/domain/claim-token';
import { iso } from '../shared/domain/time';
import { TIMER_KINDS } from '../shared/domain/timers';
import { mapLimit } from '../shared/lib/map-limit';
import { withChangeFeed } from '../shared/store/change-feed-stores';
import { acceptGift } from '../shared/use-cases/accept-gift';
import { claimGift } from '../shared/use-cases/claim-gift';
import { createGift } from '../shared/use-cases/create-gift';
import { declineGift } from '../shared/use-cases/decline-gift';
import { dispatchDueEffects, dispatchEffectsOf, hasEffectDue } from '../shared/use-cases/dispatch-effects';
import { payGift } from '../shared/use-cases/pay-gift';
import { setGiftAddress } from '../shared/use-cases/set-address';
import { swapGiftVariant } from '../shared/use-cases/swap-variant';
import { sweepOverdueGifts } from '../shared/use-cases/sweep-overdue-gifts';
import { type BenchDeps, benchDeps } from './lib/bench-deps';
import { BENCH_ADDRESS } from './lib/lifecycle';
import { PackedAscii } from './lib/packed-ascii';
import { PhaseTimes } from './lib/phase-times';
import { printTable, writeJson } from './lib/report';
import { mainThreadCpuSeconds } from './lib/thread-cpu';

const { values } = parseArgs({
  options: {
    gifts: { type: 'string', default: '20000' },
    store: { type: 'string', default: 'leveldb' },
    seed: { type: 'string', default: '20261124' },
    /** Freeze stored documents as the tests do (off by default: a throughput figure leaves the guard out, deep-freeze.ts). */
    freeze: { type: 'boolean', default: false },
    /** Users' steps in flight at once on the embedded stores (the memory store runs them one at a time). */
    'in-flight': { type: 'string', default: '64' },
    /** Documents the LevelDB store keeps parsed (its default: 5,000). */
    'cache-docs': { type: 'string' },
    /** Count the gift store's calls (reads, writes, queries) and print them per gift (a proxy: costs some CPU). */
    'count-ops': { type: 'boolean', default: false },
    /**
     * on (the local server's default, LOCAL_CHANGE_FEED): each commit that leaves an effect due hands its document to
     * the change feed, which delivers every due effect of it at once, settled in one write (an accept's handoff and
     * notice together); the scheduled passes still run each simulated minute for what is left. off: passes only.
     */
    'change-feed': { type: 'string', default: 'on' },
  },
});
const STORE_OPTIONS = { freezeDocuments: values.freeze };
const GIFTS = Number(values.gifts);
const IN_FLIGHT = Number(values['in-flight']);
const CACHE_DOCS = values['cache-docs'] === undefined ? undefined : Number(values['cache-docs']);
if (values['change-feed'] !== 'on' && values['change-feed'] !== 'off') throw new Error('--change-feed must be on or off');
const CHANGE_FEED = values['change-feed'] === 'on';
const DAY = 86_400;
const SLICE = 60; // the cleanup and dispatchers run once a simulated minute, as deployed

/** Deterministic PRNG (mulberry32), so a replay's plan is the same every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Outcome = 'unpaid' | 'accepted' | 'swapped_accepted' | 'declined' | 'claimed_expired' | 'unclaimed_expired';
const MIX: Array<[Outcome, number]> = [
  ['unpaid', 0.02],
  ['accepted', 0.5],
  ['swapped_accepted', 0.12],
  ['declined', 0.08],
  ['claimed_expired', 0.06],
  ['unclaimed_expired', 0.22],
];
const KINDS = ['create', 'claim', 'accept', 'decline'] as const;
type Step = { at: number; gift: number; kind: (typeof KINDS)[number] };

// The plan is held packed (numbers in typed arrays): millions of step objects, or of numbers in plain arrays, kept all
// day were only more heap for every garbage collection to walk, a cost of the harness (a gift has at most 3 steps).
const random = prng(Number(values.seed));
const OUTCOMES = MIX.map(([o]) => o);
const outcomeIndex = new Uint8Array(GIFTS);
const plannedAt = new Int32Array(GIFTS * 3);
const plannedGift = new Int32Array(GIFTS * 3);
const plannedKind = new Uint8Array(GIFTS * 3);
let planned = 0;
function plan(at: number, gift: number, kind: Step['kind']) {
  plannedAt[planned] = at;
  plannedGift[planned] = gift;
  plannedKind[planned++] = KINDS.indexOf(kind);
}
const outcomeOf = (gift: number): Outcome => OUTCOMES[outcomeIndex[gift]!]!;
for (let i = 0; i < GIFTS; i++) {
  const created = Math.floor((i / GIFTS) * DAY);
  let r = random();
  const outcome =
    MIX.find(([, share]) => {
      r -= share;
      return r < 0;
    })?.[0] ?? 'accepted';
  outcomeIndex[i] = OUTCOMES.indexOf(outcome);
  plan(created, i, 'create');
  if (outcome === 'unpaid' || outcome === 'unclaimed_expired') continue;
  const claimAt = created + 60 + Math.floor(random() * 6 * 3600);
  plan(claimAt, i, 'claim');
  if (outcome === 'accepted' || outcome === 'swapped_accepted')
    plan(Math.min(claimAt + 60 + Math.floor(random() * 7200), created + DAY - 60), i, 'accept');
  if (outcome === 'declined') plan(claimAt + 60 + Math.floor(random() * 3600), i, 'decline');
}
// In time order, ties in planning order (what a stable sort of the steps gave): each key holds both, exactly (< 2^53).
const SEQ = 2 ** 24;
if (planned >= SEQ) throw new Error(`at most ${SEQ - 1} steps`);
const order = Float64Array.from(plannedAt.subarray(0, planned), (at, i) => at * SEQ + i).sort();
const stepCount = order.length;
const stepAt = (n: number) => Math.floor(order[n]! / SEQ);
function stepOf(n: number): Step {
  const i = order[n]! % SEQ;
  return { at: plannedAt[i]!, gift: plannedGift[i]!, kind: KINDS[plannedKind[i]!]! };
}

// Ids and claim tokens are fixed-width (g_ + 20 characters; the id, a dot and the link's secret): packed, as the plan is.
const GIFT_ID_WIDTH = 22;
const state = { giftIds: new PackedAscii(GIFTS, GIFT_ID_WIDTH), tokens: new PackedAscii(GIFTS, GIFT_ID_WIDTH + 1 + CLAIM_SECRET_LENGTH) };
async function perform(deps: BenchDeps, s: Step): Promise<void> {
  const giver = `giver_${s.gift % 100_000}`;
  const friend = `friend_${s.gift}`;
  const token = state.tokens.get(s.gift)!;
  switch (s.kind) {
    case 'create': {
      const { gift } = await createGift(deps, {
        giverId: giver,
        body: { skuId: s.gift % 2 ? 'sku_scarf_blue' : 'sku_tea_250', message: '节日快乐' },
      });
      state.giftIds.set(s.gift, gift.id);
      if (outcomeOf(s.gift) !== 'unpaid') state.tokens.set(s.gift, (await payGift(deps, giver, gift.id)).claimToken!);
      return;
    }
    case 'claim':
      await claimGift(deps, friend, token);
      // An address saved by someone who never taps 收下礼物; the others send theirs with the accept (one write).
      if (outcomeOf(s.gift) === 'claimed_expired') await setGiftAddress(deps, friend, token, BENCH_ADDRESS);
      return;
    case 'accept':
      if (outcomeOf(s.gift) === 'swapped_accepted')
        await swapGiftVariant(deps, friend, token, s.gift % 2 ? 'sku_scarf_grey' : 'sku_tea_250_tin');
      await acceptGift(deps, friend, token, { address: BENCH_ADDRESS });
      return;
    case 'decline':
      await declineGift(deps, friend, token);
  }
}

/** Nothing left for the cleanup and no effect pending: every gift has reached its end. */
async function settled(deps: BenchDeps, farFuture: string): Promise<boolean> {
  for (const kind of TIMER_KINDS) if ((await deps.store.listDue(kind, farFuture, 1)).items.length > 0) return false;
  return true;
}

async function openStore(): Promise<{ deps: BenchDeps; close(): Promise<void> }> {
  const start = '2026-11-24T00:00:00.000Z';
  if (values.store === 'memory')
    return { deps: benchDeps(new MemoryGiftStore(STORE_OPTIONS), { start, countRepeatedNotices: true }), close: async () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'songli-replay-'));
  if (values.store === 'leveldb') {
    const db = await openLevelDb(dir, DAY_SCALE_LEVELDB);
    const deps = benchDeps(new LevelDbGiftStore(db, { ...STORE_OPTIONS, cacheSize: CACHE_DOCS }), {
      start,
      countRepeatedNotices: true,
      limiter: await LevelDbAttemptLimiter.open(db),
    });
    return {
      deps,
      close: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (values.store !== 'dynalite') throw new Error(`--store must be memory, leveldb or dynalite, not ${values.store}`);
  const dynamo = await startEmbeddedDynamo({ path: dir });
  await ensureGiftsTable(dynamo.client, 'replay');
  const deps = benchDeps(new DynamoDbGiftStore(dynamo.client, 'replay'), {
    start,
    countRepeatedNotices: true,
    limiter: new DynamoDbAttemptLimiter(dynamo.client, 'replay'),
  });
  return {
    deps,
    close: async () => {
      await dynamo.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const opened = await openStore();
const { close } = opened;
const storeCalls = new Map<string, number>();
const counted: BenchDeps = values['count-ops'] ? { ...opened.deps, store: countingCalls(opened.deps.store, storeCalls) } : opened.deps;
/** A dispatch the feed could not finish (the store failed): none expected; the run reports them and fails. */
const feedErrors: string[] = [];
// As the local server wires it (local/start-local-server.ts): the feed dispatches with the final deps, first attempts
// go without a lease, and the scheduled passes leave them to it for DISPATCH_FIRST_DELIVERY_SECONDS (its default 30).
// A gift's steps are minutes apart here, so the feed's settle never races its next command (back to back, as in
// bench/lifecycles.ts, they would conflict and retry).
const feed = CHANGE_FEED
  ? new DispatchQueue((doc) => dispatchEffectsOf(deps, doc), {
      concurrency: CHANGE_FEED_CONCURRENCY,
      onError: (doc, e) => feedErrors.push(`${doc.id}: ${String(e)}`),
    })
  : null;
const deps: BenchDeps = feed
  ? {
      ...counted,
      ...withChangeFeed({ store: counted.store, groupStore: counted.groupStore }, (doc) => {
        if (hasEffectDue(doc, iso(counted.clock.now()))) feed.push(doc);
      }),
      dispatchPolicy: { ...counted.dispatchPolicy, firstDeliverySeconds: 30 },
    }
  : counted;

/** `store` with every method call counted by name. */
function countingCalls<T extends object>(store: T, counts: Map<string, number>): T {
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts.set(String(key), (counts.get(String(key)) ?? 0) + 1);
        return value.apply(target, args);
      };
    },
  });
}
const start = deps.clock.now().getTime();
const bar = new cliProgress.SingleBar(
  {
    format: 'replay |{bar}| {percentage}% | {value}/{total} steps | sim {sim} | {rate}/s | ETA {eta_formatted}',
    hideCursor: true,
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  },
  cliProgress.Presets.shades_classic,
);
bar.start(stepCount, 0, { sim: '00:00', rate: 0 });
const wallStart = performance.now();
const cpuStart = process.cpuUsage();
const mainStart = mainThreadCpuSeconds();
let next = 0;
const phases = new PhaseTimes();
const horizon = DAY * 2 + 3600; // the second day lets the last gifts expire, plus an hour of dispatch retries
for (let t = 0; t <= horizon; t += SLICE) {
  deps.clock.set(new Date(start + t * 1000));
  const slice: Step[] = [];
  while (next < stepCount && stepAt(next) < t + SLICE) slice.push(stepOf(next++));
  // Steps of different gifts run concurrently; a gift's own steps are minutes apart, never in the same slice.
  phases.start();
  await mapLimit(slice, values.store === 'memory' ? 1 : IN_FLIGHT, (s) => perform(deps, s));
  phases.lap('user steps');
  // The feed delivers within milliseconds of each commit, well inside the simulated minute.
  await feed?.idle();
  phases.lap('change feed, rest of its queue');
  // Deployed, the cleanup and the three dispatchers are separate functions on the same schedule: they overlap.
  await Promise.all([
    sweepOverdueGifts(deps, { batchSize: 500 }),
    ...(['handoff', 'refund', 'notify'] as const).map(async (kind) => {
      while ((await dispatchDueEffects(deps, kind, { limit: 500 })).attempted === 500);
    }),
  ]);
  phases.lap('cleanup and dispatch passes');
  await feed?.idle(); // what the cleanup recorded (a refund, a notice), and a settled refund's notice
  phases.lap('change feed, what the passes queued');
  // The memory store never really waits: give the event loop a turn so the progress bar's timer can draw.
  await new Promise((resolve) => setImmediate(resolve));
  const wall = (performance.now() - wallStart) / 1000;
  bar.update(next, {
    sim: `${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}`,
    rate: Math.round(next / Math.max(wall, 0.001)),
  });
  if (next === stepCount && t > DAY + DAY / 2 && (await settled(deps, iso(new Date(start + (horizon + DAY) * 1000))))) break;
}
bar.stop();
const wallSeconds = (performance.now() - wallStart) / 1000;
// The process's CPU (every thread: LevelDB's writes and compaction too): less sensitive than wall time to other load.
const cpuUsed = process.cpuUsage(cpuStart);
const cpuSeconds = (cpuUsed.user + cpuUsed.system) / 1e6;
const mainCpuSeconds = mainThreadCpuSeconds() - mainStart;

// Reconcile: the plan, the store, and what the receivers got must agree exactly.
const expected = { accepted: 0, declined: 0, expired: 0, canceled: 0 };
for (let i = 0; i < GIFTS; i++) {
  const o = outcomeOf(i);
  if (o === 'unpaid') expected.canceled++;
  else if (o === 'declined') expected.declined++;
  else if (o.endsWith('expired')) expected.expired++;
  else expected.accepted++;
}
const actual = { accepted: 0, declined: 0, expired: 0, canceled: 0, other: 0 };
// Tallied one document at a time: holding 2,000,000 parsed gifts at once would need ~14 GB of heap.
let stored = 0;
await mapLimit(
  Array.from({ length: GIFTS }, (_, i) => i),
  32,
  async (i) => {
    const id = state.giftIds.get(i);
    const g = id === undefined ? null : await deps.store.get(id);
    if (!g) return;
    stored++;
    const s = g.status as keyof typeof actual;
    if (s in actual) actual[s]++;
    else actual.other++;
  },
);
const handoffs = deps.sink.received;
const { charges, refunds } = deps.payments.moneyMoved();
const rows = [
  { figure: 'gifts created', planned: GIFTS, observed: stored },
  { figure: 'paid (charges)', planned: GIFTS - expected.canceled, observed: charges },
  { figure: 'accepted', planned: expected.accepted, observed: actual.accepted },
  { figure: 'handoffs at fulfillment', planned: expected.accepted, observed: handoffs },
  { figure: 'declined', planned: expected.declined, observed: actual.declined },
  { figure: 'expired', planned: expected.expired, observed: actual.expired },
  { figure: 'canceled (unpaid)', planned: expected.canceled, observed: actual.canceled },
  { figure: 'refunds (declined + expired)', planned: expected.declined + expected.expired, observed: refunds },
  { figure: 'other statuses', planned: 0, observed: actual.other },
];
if (feedErrors.length > 0) console.log(`change feed dispatches failed: ${feedErrors.length}, first: ${feedErrors[0]}`);
const reconciled = rows.every((r) => r.planned === r.observed) && feedErrors.length === 0;
const fullDaySeconds = Math.round((2_000_000 / GIFTS) * wallSeconds);
const fullDayGoal = GIFTS === 2_000_000 ? `: ${wallSeconds < 600 ? 'met' : 'missed'}` : `, at this rate ≈ ${fullDaySeconds} s`;
console.log(
  `\nReplay of one day: ${GIFTS.toLocaleString('en')} gifts, ${stepCount.toLocaleString('en')} user steps, ` +
    `store ${values.store}, change feed ${CHANGE_FEED ? 'on' : 'off'}, wall ${wallSeconds.toFixed(1)} s, ` +
    `process CPU ${cpuSeconds.toFixed(1)} s (main thread ${mainCpuSeconds.toFixed(1)} s) ` +
    `(${Math.round(GIFTS / wallSeconds)} gifts/s; goal for 2,000,000 gifts < 600 s${fullDayGoal})`,
);
printTable(rows.map((r) => ({ ...r, '': r.planned === r.observed ? 'ok' : 'MISMATCH' })));
console.log('\nWhere the wall time went, summed over the simulated minutes:');
printTable(phases.rows());
if (storeCalls.size > 0)
  console.log(
    `Gift store calls per gift (the reconciliation's reads included): ${[...storeCalls]
      .map(([k, n]) => `${k} ${(n / GIFTS).toFixed(2)}`)
      .join(', ')}`,
  );
// Not reconciliation rows: a receiver acknowledging a repeated handoff is correct behaviour, only not expected here. A
// repeated notice is a second WeChat message: see BENCHMARKS.md section 6 (same-instant writes on the frozen clock).
console.log(
  `Handoff deliveries repeated (acknowledged and dropped by the receiver): ${deps.sink.repeats}; notices sent: ` +
    `${deps.notices.sent}, of them repeats of a notice already sent: ${deps.notices.repeats}`,
);
console.log(reconciled ? 'All counts reconcile exactly.' : 'COUNTS DO NOT RECONCILE');
writeJson(`replay-day-${values.store}-${GIFTS}.json`, {
  gifts: GIFTS,
  steps: stepCount,
  store: values.store,
  changeFeed: CHANGE_FEED,
  wallSeconds,
  cpuSeconds,
  mainCpuSeconds,
  phases: phases.rows(),
  ...(storeCalls.size > 0 ? { storeCallsPerGift: Object.fromEntries([...storeCalls].map(([k, n]) => [k, n / GIFTS])) } : {}),
  frozenDocuments: values.freeze,
  handoffRepeats: deps.sink.repeats,
  noticesSent: deps.notices.sent,
  noticeRepeats: deps.notices.repeats,
  reconciled,
  rows,
});
await close();
process.exitCode = reconciled ? 0 : 1;
