/**
 * `npm run bench:cost`: what a gift costs on DynamoDB. Drives the real use cases (create, pay, the pages' reads, claim,
 * address, swap, accept or decline, the cleanup and the dispatchers) against the DynamoDB adapter on dynalite, with
 * a hook of the DynamoDB client recording every command (bench/lib/dynamo-capacity.ts prices them by AWS's rules). Prints
 * requests, round trips and request units per outcome and per gift (weighted by the day's mix), $ per million gifts at
 * the published on-demand prices, and the write rate on the hottest index partition key with the gifts/s at which it
 * reaches DynamoDB's 1,000 write units per second per partition. Writes bench/results/cost.json. Never asserted.
 *
 *   npm run bench:cost            (400 gifts; --gifts N; --shards N: the deployment's TIMER_SHARDS, 64)
 *
 * Payments as deployed: WeChat Pay (bench/lib/wechat-pay-model.ts): POST /gifts opens the order, the payer confirms,
 * TRANSACTION.SUCCESS is applied by the notify route's use case, refunds answer PROCESSING and REFUND.SUCCESS settles
 * them. `--payments dev`: the dev provider, which takes the money when /pay opens the order and refunds at once.
 */
import { parseArgs } from 'node:util';
import { DynamoDbAttemptLimiter } from '../shared/adapters/dynamodb/dynamodb-attempt-limiter';
import { DynamoDbGiftStore } from '../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../shared/adapters/dynamodb/embedded-dynalite';
import { giftsTableDefinition } from '../shared/adapters/dynamodb/gifts-table';
import { MemoryGroupStore } from '../shared/adapters/memory/memory-group-store';
import type { FixedClock } from '../shared/adapters/system/fixed-clock';
import type { OutboxDocument } from '../shared/domain/outbox-document';
import { orderNoOf } from '../shared/domain/payment-numbers';
import { iso } from '../shared/domain/time';
import { TIMER_KINDS } from '../shared/domain/timers';
import type { Deps } from '../shared/ports/deps';
import { withChangeFeed } from '../shared/store/change-feed-stores';
import { acceptGift } from '../shared/use-cases/accept-gift';
import { applyPaymentEvent } from '../shared/use-cases/apply-payment-event';
import { claimGift } from '../shared/use-cases/claim-gift';
import { createGift } from '../shared/use-cases/create-gift';
import { declineGift } from '../shared/use-cases/decline-gift';
import { dispatchDueEffects, dispatchEffectsOf, hasEffectDue } from '../shared/use-cases/dispatch-effects';
import { liveClaimToken } from '../shared/use-cases/giver-gift';
import { listReceivedGifts, listSentGifts } from '../shared/use-cases/list-gifts';
import { loadGiverGift, loadGiverGiftReconciled } from '../shared/use-cases/load-giver-gift';
import { payGift } from '../shared/use-cases/pay-gift';
import { setGiftAddress } from '../shared/use-cases/set-address';
import { swapGiftVariant } from '../shared/use-cases/swap-variant';
import { sweepOverdueGifts } from '../shared/use-cases/sweep-overdue-gifts';
import { viewClaim } from '../shared/use-cases/view-claim';
import { type BenchDeps, benchDeps } from './lib/bench-deps';
import { CapacityRecorder } from './lib/dynamo-capacity';
import { BENCH_ADDRESS } from './lib/lifecycle';
import { printTable, round, writeJson } from './lib/report';
import { WechatPayModel } from './lib/wechat-pay-model';

const { values } = parseArgs({
  options: {
    gifts: { type: 'string', default: '400' },
    shards: { type: 'string', default: '64' },
    'run-shards': { type: 'string', default: '4' },
    /** The stream's first-delivery grace (DISPATCH_FIRST_DELIVERY_SECONDS on AWS); 0: every attempt leased, as before. */
    'first-delivery': { type: 'string', default: '30' },
    /** First attempts awaiting the stream kept out of the timer's sort key (the AWS store's streamFirstDelivery). */
    'timer-first': { type: 'string', default: 'on' },
    /** `combined`: a claim-link lookup reads the caller's counter and the gift in one BatchGetItem; `separate`: two reads. */
    lookup: { type: 'string', default: 'combined' },
    /** `wechatpay` (as deployed: two-phase, notifications) or `dev` (the local provider: pays and refunds at once). */
    payments: { type: 'string', default: 'wechatpay' },
    /** With WeChat Pay, `pay`: the page calls POST /gifts/:id/pay after the create, as it did before POST /gifts opened the order. */
    'open-at': { type: 'string', default: 'create' },
  },
});
const OPEN_AT_PAY = values['open-at'] === 'pay';
const WECHAT_PAY = values.payments === 'wechatpay';
const COMBINED_LOOKUP = values.lookup === 'combined';
const FIRST_DELIVERY_SECONDS = Number(values['first-delivery']);
const TIMER_FIRST = values['timer-first'] === 'on' && FIRST_DELIVERY_SECONDS > 0;
const GIFTS = Number(values.gifts);
/** The deployment's TIMER_SHARDS (its default): each shard takes 1/SHARDS of the timer index's writes. */
const SHARDS = Number(values.shards);
/**
 * The shards of the table this run writes. The units a gift costs do not depend on it (the jobs' timer queries are
 * priced per entry read), only how long dynalite takes to answer the jobs' per-shard queries: a few keep the run short.
 */
const RUN_SHARDS = Number(values['run-shards']);

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

type Dispatcher = 'scheduled' | 'stream';

interface OutcomeCost {
  outcome: Outcome;
  requests: number;
  wru: number;
  gsiWru: Record<string, number>;
  rru: number;
}

interface StepTotal {
  requests: number;
  wru: number;
  gsiWru: number;
  rru: number;
  writes: number;
  bytes: number;
}

const table = giftsTableDefinition('songli-cost');
const dynamo = await startEmbeddedDynamo();

/**
 * Drives GIFTS gifts of the day's mix through one fresh table, with the scheduled passes alone or the stream-driven
 * path (the real dispatcher, fed the documents a stream record would bring), and returns what they cost.
 */
async function measure(dispatcher: Dispatcher) {
  const tableName = `songli-cost-${dispatcher}`;
  await ensureGiftsTable(dynamo.client, tableName);
  const recorder = new CapacityRecorder(dynamo.client, table, 'timer', tableName);
  const streamed = dispatcher === 'stream';
  const store = new DynamoDbGiftStore(dynamo.client, tableName, { timerShards: RUN_SHARDS, streamFirstDelivery: streamed && TIMER_FIRST });
  /** The stream's records: every document a write committed, in commit order (a change feed over the store). */
  const records: OutboxDocument[] = [];
  const stores = withChangeFeed({ store, groupStore: new MemoryGroupStore() }, (doc) => {
    if (streamed) records.push(doc);
  });
  const base: BenchDeps = benchDeps(stores.store, {
    groupStore: stores.groupStore,
    limiter: new DynamoDbAttemptLimiter(dynamo.client, tableName, { withGifts: COMBINED_LOOKUP }),
  });
  const wechatPay = WECHAT_PAY ? new WechatPayModel(() => base.clock.now()) : null;
  const deps: Deps & { clock: FixedClock } = wechatPay ? { ...base, payments: wechatPay } : base;
  if (streamed) deps.dispatchPolicy = { ...deps.dispatchPolicy, firstDeliverySeconds: FIRST_DELIVERY_SECONDS };

  /** Sequential round trips of each step, measured on one gift: a wave is a request no other request overlapped. */
  const stepWaves = new Map<string, number>();
  /** What each step sent over the whole run (where a gift's units go). */
  const stepTotals = new Map<string, StepTotal>();
  async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
    const before = recorder.waves;
    const from = recorder.requests.length;
    const result = await run();
    if (!stepWaves.has(name)) stepWaves.set(name, recorder.waves - before);
    const t = stepTotals.get(name) ?? { requests: 0, wru: 0, gsiWru: 0, rru: 0, writes: 0, bytes: 0 };
    for (const r of recorder.requests.slice(from)) {
      if (!r.shared) t.requests++;
      t.wru += r.wru;
      t.gsiWru += Object.values(r.gsiWru).reduce((a, b) => a + b, 0);
      t.rru += r.rru;
      if (r.bytes !== undefined) {
        t.writes++;
        t.bytes += r.bytes;
      }
    }
    stepTotals.set(name, t);
    // The stream delivers the effects a command recorded right after its write, before the person's next step.
    if (dispatcher === 'stream' && !name.includes(':') && !name.startsWith('list')) await streamDelivery();
    return result;
  }

  /** What the pages and the people do for one gift of an outcome, up to the point the jobs take over. */
  async function live(outcome: Outcome, n: number): Promise<void> {
    const giver = `giver_${outcome}_${n}`;
    const friend = `friend_${outcome}_${n}`;
    const body = { skuId: 'sku_scarf_blue', message: '节日快乐，天冷了围上它' };
    const { gift } = await step('createGift', () =>
      createGift(deps, { giverId: giver, body, idempotencyKey: `key-${outcome}-${n}-000000` }),
    );
    if (outcome === 'unpaid') return;
    let token: string;
    if (wechatPay) {
      // POST /gifts opened the order: the giver confirms in WeChat, WeChat Pay notifies, the page's read sees it sent.
      if (OPEN_AT_PAY) await step('payGift', () => payGift(deps, giver, gift.id));
      const paid = wechatPay.confirm(orderNoOf(gift.id));
      await step('paymentNotification', () => applyPaymentEvent(deps, paid));
      const sent = await step('getGift (giver)', () => loadGiverGiftReconciled(deps, giver, gift.id));
      token = liveClaimToken(deps, sent, iso(deps.clock.now()))!;
    } else {
      token = (await step('payGift', () => payGift(deps, giver, gift.id))).claimToken!;
      await step('getGift (giver)', () => loadGiverGift(deps, giver, gift.id));
    }
    if (outcome === 'unclaimed_expired') return;
    await step('viewClaim', async () => viewClaim(deps, friend, token));
    await step('claimGift', () => claimGift(deps, friend, token));
    if (outcome === 'declined') {
      await step('declineGift', () => declineGift(deps, friend, token));
      return;
    }
    if (outcome === 'claimed_expired') {
      await step('setAddress', () => setGiftAddress(deps, friend, token, BENCH_ADDRESS)); // saved, never accepted
      return;
    }
    if (outcome === 'swapped_accepted') await step('swapVariant', () => swapGiftVariant(deps, friend, token, 'sku_scarf_grey'));
    // 收下礼物 over the open address form: the address goes with the accept, one request (the claim page does this).
    await step('acceptGift', () => acceptGift(deps, friend, token, { address: BENCH_ADDRESS }));
  }

  /**
   * What DynamoDB Streams brings after a write: each committed document's new image, in commit order, handed over for
   * free (a Lambda trigger's GetRecords costs no read units); those with an effect due now go to the real stream
   * dispatcher (dispatchEffectsOf: first deliveries without a lease, one settling write). Its own writes are records
   * too (a refund's notice comes with the settle's). Effects recorded to be due later (the recipient's reminder) have
   * no record due now: the scheduled pass finds them (priced in the jobs).
   */
  async function streamDelivery(): Promise<void> {
    while (records.length > 0) {
      const doc = records.shift()!;
      if (hasEffectDue(doc, iso(deps.clock.now()))) await step('stream: dispatch', () => dispatchEffectsOf(deps, doc));
    }
    await refundNotifications();
  }

  /** WeChat Pay's REFUND.SUCCESS for the refunds it accepted (PROCESSING), applied as POST /wechatpay/notify does. */
  async function refundNotifications(): Promise<void> {
    for (const event of wechatPay?.takeRefundNotifications() ?? []) {
      await step('refundNotification', () => applyPaymentEvent(deps, event));
    }
  }

  /** Finding documents as a stream record brings them: not priced. */
  const free = async <T>(run: () => Promise<T>): Promise<T> => {
    recorder.paused = true;
    try {
      return await run();
    } finally {
      recorder.paused = false;
    }
  };

  /** The cleanup and the dispatchers, once a simulated minute, until nothing is due (then a day more). */
  async function jobsUntilSettled(): Promise<number> {
    let runs = 0;
    for (let minute = 0; minute < 3 * 24 * 60; minute++) {
      await step('job: sweep', () => sweepOverdueGifts(deps));
      if (dispatcher === 'scheduled')
        for (const kind of ['handoff', 'refund', 'notify'] as const) {
          await step(`job: dispatch ${kind}`, () => dispatchDueEffects(deps, kind));
          await refundNotifications();
        }
      else {
        // The stream delivers what the cleanup recorded; the scheduled passes remain for what is due later (reminders,
        // retries) and as the safety net.
        await streamDelivery();
        for (const kind of ['handoff', 'refund', 'notify'] as const)
          await step(`job: dispatch ${kind}`, () => dispatchDueEffects(deps, kind));
        await streamDelivery();
      }
      runs++;
      let idle = true;
      await free(async () => {
        for (const kind of TIMER_KINDS) if ((await store.listDue(kind, '2100-01-01T00:00:00.000Z', 1)).items.length > 0) idle = false;
      });
      if (idle) break;
      deps.clock.advanceSeconds(minute < 60 ? 60 : 3_600);
    }
    return runs;
  }

  const perOutcome: OutcomeCost[] = [];
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
  // Gift ids hash evenly over the timer shards, so at festival rates (thousands of gifts a second) each shard takes
  // 1/SHARDS of the timer index's writes; the busiest shard of this small run is shown too. Keys are `<index>:<value>`;
  // giver and recipient keys are per person (one write per gift each).
  const timerUnitsPerGift = weighted((c) => c.gsiWru.timer ?? 0);
  return {
    dispatcher,
    perOutcome,
    perGift,
    writeUnits,
    usdPerMillionGifts: writeUnits * USD_PER_MILLION_WRU + perGift.rru * USD_PER_MILLION_RRU,
    timerUnitsPerGift,
    expectedShardUnitsPerGift: timerUnitsPerGift / SHARDS,
    hottest: [...partitionTotals].sort((a, b) => b[1] - a[1]).slice(0, 5),
    giftsRun,
    stepWaves,
    stepTotals,
  };
}

type Measured = Awaited<ReturnType<typeof measure>>;

function print(m: Measured): void {
  const title =
    m.dispatcher === 'scheduled'
      ? 'scheduled passes only (every minute)'
      : FIRST_DELIVERY_SECONDS > 0
        ? 'stream-driven (dispatch-stream / the change feed): first deliveries settled by one write, no lease'
        : 'stream-driven (dispatch-stream / the change feed): one lease + one settle per document';
  console.log(`\n=== ${title} ===`);
  printTable(
    m.perOutcome.map((c) => ({
      outcome: c.outcome,
      share: `${Math.round(MIX[c.outcome] * 100)} %`,
      requests: round(c.requests, 1),
      'table WRU': round(c.wru, 1),
      ...Object.fromEntries((table.GlobalSecondaryIndexes ?? []).map((g) => [`${g.IndexName} WRU`, round(c.gsiWru[g.IndexName!] ?? 0, 1)])),
      RRU: round(c.rru, 1),
      '$/M gifts': round(
        (c.wru + Object.values(c.gsiWru).reduce((a, b) => a + b, 0)) * USD_PER_MILLION_WRU + c.rru * USD_PER_MILLION_RRU,
        2,
      ),
    })),
  );
  console.log('\nSequential round trips per step (one gift):');
  printTable([...m.stepWaves].filter(([name]) => !name.includes(':')).map(([name, waves]) => ({ step: name, 'round trips': waves })));
  console.log('\nWhere the units go, per gift (each step over the whole run ÷ gifts; the lists are the 20 measured per outcome):');
  printTable(
    [...m.stepTotals].map(([name, t]) => ({
      step: name,
      requests: round(t.requests / m.giftsRun, 2),
      'table WRU': round(t.wru / m.giftsRun, 2),
      'index WRU': round(t.gsiWru / m.giftsRun, 2),
      RRU: round(t.rru / m.giftsRun, 2),
      'avg item bytes': t.writes ? Math.round(t.bytes / t.writes) : '',
    })),
  );
  console.log(`\nHottest index partition keys (write units per gift over the run, ${RUN_SHARDS} timer shards):`);
  printTable(
    m.hottest.map(([key, units]) => ({
      key,
      'WRU/gift': round(units / m.giftsRun, 3),
    })),
  );
  console.log(
    `\nPer gift (weighted by the mix): ${round(m.perGift.requests, 1)} requests, ${round(m.writeUnits, 2)} write units ` +
      `(${round(m.perGift.wru, 2)} table + ${round(m.perGift.gsiWru, 2)} indexes), ${round(m.perGift.rru, 2)} read units` +
      ` → $${round(m.usdPerMillionGifts, 2)} per million gifts.`,
  );
  console.log(
    `Hottest index key: a timer shard, ${round(m.expectedShardUnitsPerGift, 3)} write units per gift ` +
      `(${round(m.timerUnitsPerGift, 2)} / ${SHARDS} shards) → ${PARTITION_WRU_PER_SECOND} WRU/s at ` +
      `${Math.round(PARTITION_WRU_PER_SECOND / m.expectedShardUnitsPerGift)} gifts/s.`,
  );
}

const started = performance.now();
const today = await measure('scheduled');
const streamed = await measure('stream');
print(today);
print(streamed);

/** The figures of one run, as cost.json keeps them. */
const figures = (m: Measured) => ({
  requestsPerGift: round(m.perGift.requests, 1),
  roundTripsPerGift: round(m.perGift.requests, 1),
  writeUnitsPerGift: round(m.writeUnits, 2),
  tableWriteUnitsPerGift: round(m.perGift.wru, 2),
  indexWriteUnitsPerGift: round(m.perGift.gsiWru, 2),
  readUnitsPerGift: round(m.perGift.rru, 2),
  usdPerMillionGifts: round(m.usdPerMillionGifts, 2),
  hottestKeyWriteUnitsPerGift: round(m.expectedShardUnitsPerGift, 3),
  hottestKeyThrottleGiftsPerSecond: Math.round(PARTITION_WRU_PER_SECOND / m.expectedShardUnitsPerGift),
});
const perStepOf = (m: Measured) =>
  Object.fromEntries(
    [...m.stepTotals].map(([name, t]) => [
      name,
      {
        requests: round(t.requests / m.giftsRun, 2),
        wru: round(t.wru / m.giftsRun, 2),
        gsiWru: round(t.gsiWru / m.giftsRun, 2),
        rru: round(t.rru / m.giftsRun, 2),
      },
    ]),
  );
const emptyScanRruPerDay = 4 * SHARDS * 0.5 * 60 * 24;
const [hotKey, hotUnits] = streamed.hottest[0] ?? ['(none)', 0];
const summary = {
  giftsRun: today.giftsRun,
  timerShards: SHARDS,
  /** The stream's first-delivery grace (0: leased like every attempt) and whether first attempts keep out of the timer's key. */
  firstDeliverySeconds: FIRST_DELIVERY_SECONDS,
  timerFirstAttemptsOutOfKey: TIMER_FIRST,
  claimLookup: COMBINED_LOOKUP ? 'counter and gift in one BatchGetItem' : 'counter and gift in two parallel reads',
  prices: {
    usdPerMillionWru: USD_PER_MILLION_WRU,
    usdPerMillionRru: USD_PER_MILLION_RRU,
    region: 'us-east-1',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  /** As deployed on AWS: first deliveries from DynamoDB Streams (dispatch-stream), the scheduled passes for the rest. */
  dispatcher: 'stream',
  /** wechatpay: as deployed (orders opened by POST /gifts, notifications); dev: the local provider (--payments dev). */
  payments: WECHAT_PAY ? 'wechatpay' : 'dev',
  paymentOrderOpenedBy: WECHAT_PAY && OPEN_AT_PAY ? 'POST /gifts/:id/pay' : 'POST /gifts',
  ...figures(streamed),
  sequentialRoundTrips: Object.fromEntries([...streamed.stepWaves].filter(([name]) => !name.includes(':'))),
  jobsEmptyScanUsdPerDay: round((emptyScanRruPerDay * USD_PER_MILLION_RRU) / 1e6, 4),
  hottestKey: 'timer#<shard>',
  busiestKeyOfThisRun: { key: hotKey, runShards: RUN_SHARDS, writeUnitsPerGift: round(hotUnits / streamed.giftsRun, 3) },
  perStep: perStepOf(streamed),
  perOutcome: streamed.perOutcome,
  /**
   * The same gifts with the scheduled passes only (CloudBase's path, and AWS's before the stream): effects wait up to a
   * minute, several of a gift's effects then share one lease and one settle, so it writes less.
   */
  scheduledDispatcherOnly: {
    ...figures(today),
    perStep: perStepOf(today),
    perOutcome: today.perOutcome,
  },
  seconds: round((performance.now() - started) / 1000, 1),
};
const s = summary.scheduledDispatcherOnly;
console.log(
  `\nAs deployed (stream-driven effects): $${summary.usdPerMillionGifts} per million gifts, ${summary.roundTripsPerGift} ` +
    `requests a gift, throttle at ${summary.hottestKeyThrottleGiftsPerSecond} gifts/s. Scheduled passes only: ` +
    `$${s.usdPerMillionGifts}, ${s.roundTripsPerGift} requests, ${s.hottestKeyThrottleGiftsPerSecond} gifts/s ` +
    `(+ $${summary.jobsEmptyScanUsdPerDay}/day of empty job scans).`,
);
console.log(`results: ${writeJson('cost.json', summary)}`);
await dynamo.close();
