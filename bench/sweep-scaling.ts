/**
 * Cleanup scaling: stores holding N gifts of which 1% or 10% are past their 24 h deadline; the sweep's time and
 * the memory it adds must follow the number of expired gifts, not N. `npx tsx bench/sweep-scaling.ts`
 * (--totals 10000,100000,1000000 --leveldb-totals 10000,100000,1000000 --dynalite-totals 10000,50000). Each case
 * runs in a fresh child process so its peak memory is its own; the on-disk stores are filled by another child first.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BatchWriteCommand, DynamoDBDocumentClient } from '../shared/adapters/aws/dynamodb-document';
import { DynamoDbGiftStore, giftItem } from '../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbGiftStore } from '../shared/adapters/leveldb/leveldb-gift-store';
import { BULK_LEVELDB_MEMORY, openLevelDb } from '../shared/adapters/leveldb/open-leveldb';
import { MemoryGiftStore } from '../shared/adapters/memory/memory-gift-store';
import { mapLimit } from '../shared/lib/map-limit';
import type { GiftStore } from '../shared/ports/gift-store';
import { sweepOverdueGifts } from '../shared/use-cases/sweep-overdue-gifts';
import { benchDeps } from './lib/bench-deps';
import { writeLineChartSvg } from './lib/plot';
import { printTable, round, writeJson } from './lib/report';
import { sentGiftExpiringAt } from './lib/seed-gifts';

const NOW = '2026-11-25T00:00:00.000Z';
const PAST = '2026-11-24T23:00:00.000Z';
const FUTURE = '2026-11-25T12:00:00.000Z';

type StoreKind = 'memory' | 'leveldb' | 'dynalite';

interface CaseResult {
  store: StoreKind;
  total: number;
  expiredShare: number;
  expired: number;
  loadSeconds: number;
  sweepMs: number;
  msPerExpired: number;
  peakRssMB: number;
  heapBeforeMB: number;
  heapPeakDuringSweepMB: number;
}

/** BatchWriteItem may leave items unprocessed (DynamoDB and dynalite both do under load): resend until none are. */
async function writeAll(doc: DynamoDBDocumentClient, batch: Array<{ PutRequest: { Item: Record<string, unknown> } }>): Promise<void> {
  let pending: typeof batch | undefined = batch;
  while (pending?.length) {
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { sweep: pending } }));
    pending = out.UnprocessedItems?.sweep as typeof batch | undefined;
  }
}

/** Fills an on-disk LevelDB store through the adapter (its own child process, so the sweep process starts clean). */
async function loadLevelDb(dir: string, total: number, due: number): Promise<void> {
  const db = await openLevelDb(dir, BULK_LEVELDB_MEMORY);
  const store = new LevelDbGiftStore(db);
  await mapLimit(
    Array.from({ length: total }, (_, n) => n),
    256,
    (n) => store.insert(sentGiftExpiringAt(n, n < due ? PAST : FUTURE)),
  );
  await db.close();
}

/** Fills an on-disk embedded DynamoDB (its own child process, so the sweep process starts clean). */
async function loadDynalite(dir: string, total: number, due: number): Promise<void> {
  const dynamo = await startEmbeddedDynamo({ path: dir });
  await ensureGiftsTable(dynamo.client, 'sweep');
  const doc = DynamoDBDocumentClient.from(dynamo.client);
  const inFlight: Promise<unknown>[] = [];
  for (let n = 0; n < total; n += 25) {
    const batch = Array.from({ length: Math.min(25, total - n) }, (_, i) => ({
      PutRequest: { Item: giftItem(sentGiftExpiringAt(n + i, n + i < due ? PAST : FUTURE)) },
    }));
    inFlight.push(writeAll(doc, batch));
    if (inFlight.length >= 8) await Promise.all(inFlight.splice(0));
  }
  await Promise.all(inFlight);
  await dynamo.close();
}

/**
 * Child process: sweep once and print the result as JSON. The memory store is filled here (it lives in this
 * process); the embedded store was filled on disk by another process, so this process's peak is the sweep's.
 */
async function runCase(store: StoreKind, total: number, share: number, dir?: string): Promise<CaseResult> {
  const due = Math.round(total * share);
  const loadStart = performance.now();
  let giftStore: GiftStore;
  let close: () => Promise<void> = async () => {};
  if (store === 'memory') {
    const s = new MemoryGiftStore();
    for (let n = 0; n < total; n++) await s.insert(sentGiftExpiringAt(n, n < due ? PAST : FUTURE));
    giftStore = s;
  } else if (store === 'leveldb') {
    const db = await openLevelDb(dir!, BULK_LEVELDB_MEMORY);
    giftStore = new LevelDbGiftStore(db);
    close = async () => db.close();
  } else {
    const dynamo = await startEmbeddedDynamo({ path: dir! });
    await ensureGiftsTable(dynamo.client, 'sweep');
    giftStore = new DynamoDbGiftStore(dynamo.client, 'sweep');
    close = async () => dynamo.close();
  }
  const loadSeconds = (performance.now() - loadStart) / 1000;
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
  const deps = benchDeps(giftStore, { start: NOW });
  const t = performance.now();
  const report = await sweepOverdueGifts(deps, { batchSize: 500 });
  const sweepMs = performance.now() - t;
  clearInterval(sampler);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  if (report.expired !== due) throw new Error(`expired ${report.expired}, expected ${due} (${JSON.stringify(report)})`);
  await close();
  const mb = (b: number) => round(b / 2 ** 20, 1);
  return {
    store,
    total,
    expiredShare: share,
    expired: report.expired,
    loadSeconds: round(loadSeconds, 1),
    sweepMs: round(sweepMs, 0),
    msPerExpired: round(sweepMs / Math.max(1, due), 3),
    peakRssMB: mb(process.resourceUsage().maxRSS * 1024),
    heapBeforeMB: mb(heapBefore),
    heapPeakDuringSweepMB: mb(heapPeak - heapBefore),
  };
}

const { values } = parseArgs({
  options: {
    child: { type: 'string' },
    totals: { type: 'string', default: '10000,100000,1000000' },
    'leveldb-totals': { type: 'string', default: '10000,100000,1000000' },
    'dynalite-totals': { type: 'string', default: '10000,50000' },
  },
});

if (values.child) {
  const [mode, store, total, share, dir] = values.child.split(':');
  const due = Math.round(Number(total) * Number(share));
  if (mode === 'load') await (store === 'leveldb' ? loadLevelDb : loadDynalite)(dir!, Number(total), due);
  else console.log(JSON.stringify(await runCase(store as StoreKind, Number(total), Number(share), dir)));
} else {
  const cases: Array<[string, number, number]> = [];
  for (const total of values.totals.split(',').filter(Boolean).map(Number))
    for (const share of [0.01, 0.1]) cases.push(['memory', total, share]);
  for (const store of ['leveldb', 'dynalite'] as const) {
    for (const total of values[`${store}-totals`].split(',').filter(Boolean).map(Number))
      for (const share of [0.01, 0.1]) cases.push([store, total, share]);
  }
  const results: CaseResult[] = [];
  for (const [store, total, share] of cases) {
    process.stdout.write(`  ${store} ${total.toLocaleString('en')} gifts, ${share * 100}% expired … `);
    const child = (mode: string, dir = '') =>
      execFileSync(
        process.execPath,
        [
          '--expose-gc',
          '--max-old-space-size=8192',
          '--import',
          'tsx',
          import.meta.filename,
          '--child',
          `${mode}:${store}:${total}:${share}:${dir}`,
        ],
        {
          encoding: 'utf8',
          env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
          maxBuffer: 1 << 20,
        },
      );
    const dir = store === 'memory' ? '' : mkdtempSync(join(tmpdir(), 'songli-sweep-'));
    let loadSeconds = 0;
    if (dir) {
      const t = performance.now();
      child('load', dir);
      loadSeconds = round((performance.now() - t) / 1000, 1);
    }
    const r = JSON.parse(child('sweep', dir).trim().split('\n').at(-1)!) as CaseResult;
    if (dir) {
      r.loadSeconds = loadSeconds;
      rmSync(dir, { recursive: true, force: true });
    }
    results.push(r);
    console.log(`sweep ${r.sweepMs} ms`);
  }
  console.log('\nCleanup scaling: one sweep over all due gifts. The memory store holds every gift in the sweeping process (its RSS');
  console.log("includes them); the on-disk stores were filled by another process, so their RSS is the sweep's own.");
  printTable(
    results.map((r) => ({
      store: r.store,
      'stored gifts': r.total.toLocaleString('en'),
      expired: r.expired.toLocaleString('en'),
      'load s': r.loadSeconds,
      'sweep ms': r.sweepMs,
      'ms / expired gift': r.msPerExpired,
      'heap added by sweep MB': r.heapPeakDuringSweepMB,
      'sweep process peak RSS MB': r.peakRssMB,
    })),
  );
  writeJson('sweep-scaling.json', { results });
  await writeLineChartSvg('sweep-scaling.svg', {
    title: 'Sweep time follows the number of expired gifts, not the number stored',
    x: { field: 'expired', title: 'expired gifts swept (log)', scale: 'log' },
    y: { field: 'sweepMs', title: 'sweep time (ms, log)', scale: 'log' },
    color: { field: 'series', title: 'store · stored gifts' },
    data: results.map((r) => ({ expired: r.expired, sweepMs: r.sweepMs, series: `${r.store} · ${r.total.toLocaleString('en')}` })),
  });
}
