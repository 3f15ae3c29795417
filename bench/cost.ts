/**
 * `npm run bench:cost`: what a gift costs on DynamoDB. Drives the real use cases (create, pay, the pages' reads, claim,
 * address, swap, accept or decline, the cleanup and the dispatchers) against the DynamoDB adapter on dynalite, with
 * an SDK middleware recording every command (bench/lib/dynamo-capacity.ts prices them by AWS's rules). Prints
 * requests, round trips and request units per outcome and per gift (weighted by the day's mix), $ per million gifts at
 * the published on-demand prices, and the write rate on the hottest index partition key with the gifts/s at which it
 * reaches DynamoDB's 1,000 write units per second per partition. Writes bench/results/cost.json. Never asserted.
 *
 *   npm run bench:cost                         (400 gifts; --gifts N, --shards N for the timer index)
 */
import { parseArgs } from 'node:util';
import { DynamoDbAttemptLimiter } from '../shared/adapters/dynamodb/dynamodb-attempt-limiter';
import { DynamoDbGiftStore } from '../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../shared/adapters/dynamodb/embedded-dynalite';
import { giftsTableDefinition } from '../shared/adapters/dynamodb/gifts-table';
import { TIMER_KINDS } from '../shared/domain/timers';
import { acceptGift } from '../shared/use-cases/accept-gift';
import { claimGift } from '../shared/use-cases/claim-gift';
import { createGift } from '../shared/use-cases/create-gift';
import { declineGift } from '../shared/use-cases/decline-gift';
import { dispatchDueEffects } from '../shared/use-cases/dispatch-effects';
import { listReceivedGifts, listSentGifts } from '../shared/use-cases/list-gifts';
import { loadGiverGift } from '../shared/use-cases/load-giver-gift';
import { payGift } from '../shared/use-cases/pay-gift';
import { setGiftAddress } from '../shared/use-cases/set-address';
import { swapGiftVariant } from '../shared/use-cases/swap-variant';
import { sweepOverdueGifts } from '../shared/use-cases/sweep-overdue-gifts';
import { viewClaim } from '../shared/use-cases/view-claim';
import { type BenchDeps, benchDeps } from './lib/bench-deps';
import { CapacityRecorder } from './lib/dynamo-capacity';
import { BENCH_ADDRESS } from './lib/lifecycle';
import { printTable, round, writeJson } from './lib/report';

const { values } = parseArgs({ options: { gifts: { type: 'string', default: '400' }, shards: { type: 'string', default: '16' } } });
const GIFTS = Number(values.gifts);
const SHARDS = Number(values.shards);

/**
 * On-demand request prices, US East (N. Virginia), since the 1 November 2024 price reduction: $0.625 per million write
 * request units and $0.125 per million read request units (https://aws.amazon.com/dynamodb/pricing/on-demand/).
 * Other regions differ by a few percent (Tokyo ~+14 %); storage ($0.25/GB-month) is left out: it is not per request.
 */
const USD_PER_MILLION_WRU = 0.625;
const USD_PER_MILLION_RRU = 0.125;
/** DynamoDB's per-partition write limit: a partition key value past this throttles. */
const PARTITION_WRU_PER_SECOND = 1_000;

/** The day's mix of outcomes, as bench/replay-day.ts replays it. */
type Outcome = 'unpaid' | 'accepted' | 'swapped_accepted' | 'declined' | 'claimed_expired' | 'unclaimed_expired';
const MIX: Record<Outcome, number> = {
  unpaid: 0.02,
  accepted: 0.5,
  swapped_accepted: 0.12,
  declined: 0.08,
  claimed_expired: 0.06,
  unclaimed_expired: 0.22,
};

const table = giftsTableDefinition('songli-cost');
const dynamo = await startEmbeddedDynamo();
await ensureGiftsTable(dynamo.client, 'songli-cost');
const recorder = new CapacityRecorder(dynamo.client, table);
const store = new DynamoDbGiftStore(dynamo.client, 'songli-cost', { timerShards: SHARDS });
const deps: BenchDeps = benchDeps(store, { limiter: new DynamoDbAttemptLimiter(dynamo.client, 'songli-cost') });

/** Sequential round trips of each step, measured on one gift: a wave is a request no other request overlapped. */
const stepWaves = new Map<string, number>();
async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const before = recorder.waves;
  const result = await run();
  if (!stepWaves.has(name)) stepWaves.set(name, recorder.waves - before);
  return result;
}

/** What the pages and the people do for one gift of an outcome, up to the point the jobs take over. */
async function live(outcome: Outcome, n: number): Promise<void> {
  const giver = `giver_${outcome}_${n}`;
  const friend = `friend_${outcome}_${n}`;
  const body = { skuId: 'sku_scarf_blue', message: '节日快乐，天冷了围上它' };
  const { gift } = await step('createGift', () => createGift(deps, { giverId: giver, body, idempotencyKey: `key-${outcome}-${n}-000000` }));
  if (outcome === 'unpaid') return;
  const { claimToken } = await step('payGift', () => payGift(deps, giver, gift.id));
  const token = claimToken!;
  await step('getGift (giver)', () => loadGiverGift(deps, giver, gift.id));
  if (outcome === 'unclaimed_expired') return;
  await step('viewClaim', () => viewClaim(deps, friend, token));
  await step('claimGift', () => claimGift(deps, friend, token));
  if (outcome === 'declined') {
    await step('declineGift', () => declineGift(deps, friend, token));
    return;
  }
  await step('setAddress', () => setGiftAddress(deps, friend, token, BENCH_ADDRESS));
  if (outcome === 'claimed_expired') return;
  if (outcome === 'swapped_accepted') await step('swapVariant', () => swapGiftVariant(deps, friend, token, 'sku_scarf_grey'));
  await step('acceptGift', () => acceptGift(deps, friend, token));
}

/** The cleanup and the dispatchers, once a simulated minute, until nothing is due (then a day more). */
async function jobsUntilSettled(): Promise<number> {
  let runs = 0;
  for (let minute = 0; minute < 3 * 24 * 60; minute++) {
    await sweepOverdueGifts(deps);
    for (const kind of ['handoff', 'refund', 'notify'] as const) await dispatchDueEffects(deps, kind);
    runs++;
    recorder.paused = true;
    let idle = true;
    for (const kind of TIMER_KINDS) if ((await store.listDue(kind, '2100-01-01T00:00:00.000Z', 1)).items.length > 0) idle = false;
    recorder.paused = false;
    if (idle) break;
    deps.clock.advanceSeconds(minute < 60 ? 60 : 3_600);
  }
  return runs;
}

interface OutcomeCost {
  outcome: Outcome;
  requests: number;
  wru: number;
  gsiWru: Record<string, number>;
  rru: number;
}

const perOutcome: OutcomeCost[] = [];
const started = performance.now();
const countOf = (o: Outcome) => Math.max(1, Math.round(GIFTS * MIX[o]));
const partitionTotals = new Map<string, number>();
let giftsRun = 0;
for (const outcome of Object.keys(MIX) as Outcome[]) {
  const n = countOf(outcome);
  const from = recorder.requests.length;
  const start = deps.clock.now();
  for (let i = 0; i < n; i++) await live(outcome, i);
  deps.clock.advanceSeconds(60);
  // The jobs' timer queries are shared by every gift they find (priced per entry read); their empty scans, 4 jobs ×
  // shards a minute whatever the traffic, are a fixed cost, reported apart below.
  await jobsUntilSettled();
  const listsFrom = recorder.requests.length;
  for (let i = 0; i < Math.min(n, 20); i++) {
    await step('listGifts sent', () => listSentGifts(deps, `giver_${outcome}_${i}`, 20));
    if (outcome !== 'unpaid' && outcome !== 'unclaimed_expired')
      await step('listGifts received', () => listReceivedGifts(deps, `friend_${outcome}_${i}`, 20));
  }
  const t = recorder.totals(from);
  const lists = recorder.totals(listsFrom);
  // Each giver and friend opens their list once per gift: the 20 measured stand for all n.
  const listScale = n / Math.min(n, 20) - 1;
  perOutcome.push({
    outcome,
    requests: (t.requests + lists.requests * listScale) / n,
    wru: t.wru / n,
    gsiWru: Object.fromEntries(Object.entries(t.gsiWru).map(([k, v]) => [k, v / n])),
    rru: (t.rru + lists.rru * listScale) / n,
  });
  for (const [key, wru] of recorder.partitionWrites(from)) partitionTotals.set(key, (partitionTotals.get(key) ?? 0) + wru);
  giftsRun += n;
  deps.clock.set(new Date(start.getTime() + 3 * 86_400_000));
}

const weighted = (f: (c: OutcomeCost) => number) => perOutcome.reduce((sum, c) => sum + f(c) * MIX[c.outcome], 0);
const perGift = {
  requests: weighted((c) => c.requests),
  wru: weighted((c) => c.wru),
  gsiWru: weighted((c) => Object.values(c.gsiWru).reduce((a, b) => a + b, 0)),
  rru: weighted((c) => c.rru),
};
const writeUnits = perGift.wru + perGift.gsiWru;
const usdPerMillionGifts = writeUnits * USD_PER_MILLION_WRU + perGift.rru * USD_PER_MILLION_RRU;

// The hottest index partition key. Gift ids hash evenly over the timer shards, so at festival rates (thousands of gifts
// a second) each shard takes 1/SHARDS of the timer index's writes; the busiest shard of this small run is shown too.
// Keys are `<index>:<partition key value>`; giver and recipient keys are per person (one write per gift each).
const timerUnitsPerGift = weighted((c) => c.gsiWru.timer ?? 0);
const expectedShardUnitsPerGift = timerUnitsPerGift / SHARDS;
const hottest = [...partitionTotals].sort((a, b) => b[1] - a[1]).slice(0, 5);
const [hotKey, hotUnits] = hottest[0] ?? ['(none)', 0];
const hotUnitsPerGift = hotUnits / giftsRun;
const hottestKeyThrottleGiftsPerSecond =
  expectedShardUnitsPerGift > 0 ? PARTITION_WRU_PER_SECOND / expectedShardUnitsPerGift : Number.POSITIVE_INFINITY;
const emptyScanRruPerDay = 4 * SHARDS * 0.5 * 60 * 24;

console.log(`\nDynamoDB cost model: ${giftsRun} gifts through the real use cases on dynalite, timer index in ${SHARDS} shards`);
console.log(`(on-demand, us-east-1: $${USD_PER_MILLION_WRU}/M write units, $${USD_PER_MILLION_RRU}/M read units)\n`);
printTable(
  perOutcome.map((c) => ({
    outcome: c.outcome,
    share: `${Math.round(MIX[c.outcome] * 100)} %`,
    requests: round(c.requests, 1),
    'table WRU': round(c.wru, 1),
    ...Object.fromEntries(
      Object.keys(table.GlobalSecondaryIndexes ? Object.fromEntries(table.GlobalSecondaryIndexes.map((g) => [g.IndexName, 0])) : {}).map(
        (k) => [`${k} WRU`, round(c.gsiWru[k] ?? 0, 1)],
      ),
    ),
    RRU: round(c.rru, 1),
    '$/M gifts': round((c.wru + Object.values(c.gsiWru).reduce((a, b) => a + b, 0)) * USD_PER_MILLION_WRU + c.rru * USD_PER_MILLION_RRU, 2),
  })),
);
console.log('\nSequential round trips per step (one gift):');
printTable([...stepWaves].map(([name, waves]) => ({ step: name, 'round trips': waves })));
console.log('\nHottest index partition keys (write units per gift over the run):');
printTable(
  hottest.map(([key, units]) => ({
    key,
    'WRU/gift': round(units / giftsRun, 3),
    'throttles at gifts/s': Math.round(PARTITION_WRU_PER_SECOND / (units / giftsRun)),
  })),
);
const summary = {
  giftsRun,
  timerShards: SHARDS,
  prices: {
    usdPerMillionWru: USD_PER_MILLION_WRU,
    usdPerMillionRru: USD_PER_MILLION_RRU,
    region: 'us-east-1',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  requestsPerGift: round(perGift.requests, 1),
  roundTripsPerGift: round(perGift.requests, 1),
  sequentialRoundTrips: Object.fromEntries(stepWaves),
  writeUnitsPerGift: round(writeUnits, 2),
  tableWriteUnitsPerGift: round(perGift.wru, 2),
  indexWriteUnitsPerGift: round(perGift.gsiWru, 2),
  readUnitsPerGift: round(perGift.rru, 2),
  usdPerMillionGifts: round(usdPerMillionGifts, 2),
  jobsEmptyScanUsdPerDay: round((emptyScanRruPerDay * USD_PER_MILLION_RRU) / 1e6, 4),
  hottestKey: 'timer#<shard>',
  hottestKeyWriteUnitsPerGift: round(expectedShardUnitsPerGift, 3),
  hottestKeyThrottleGiftsPerSecond: Math.round(hottestKeyThrottleGiftsPerSecond),
  busiestKeyOfThisRun: { key: hotKey, writeUnitsPerGift: round(hotUnitsPerGift, 3) },
  perOutcome,
  seconds: round((performance.now() - started) / 1000, 1),
};
console.log(
  `\nPer gift (weighted by the mix): ${summary.requestsPerGift} requests, ${summary.writeUnitsPerGift} write units ` +
    `(${summary.tableWriteUnitsPerGift} table + ${summary.indexWriteUnitsPerGift} indexes), ${summary.readUnitsPerGift} read units` +
    ` → $${summary.usdPerMillionGifts} per million gifts (+ $${summary.jobsEmptyScanUsdPerDay}/day of empty job scans).`,
);
console.log(
  `Hottest index key: a timer shard, ${summary.hottestKeyWriteUnitsPerGift} write units per gift ` +
    `(${round(timerUnitsPerGift, 2)} / ${SHARDS} shards)` +
    ` → ${PARTITION_WRU_PER_SECOND} WRU/s at ${summary.hottestKeyThrottleGiftsPerSecond} gifts/s` +
    ` (busiest shard of this ${giftsRun}-gift run: ${round(hotUnitsPerGift, 3)}).`,
);
console.log(`results: ${writeJson('cost.json', summary)}`);
await dynamo.close();
