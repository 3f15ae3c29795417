/**
 * In-process throughput of the whole gift lifecycle (create → pay → claim → swap → accept with the address → handoff
 * dispatched) on the memory store, the embedded LevelDB store and the embedded DynamoDB store (dynalite),
 * measured in one run.
 * `npx tsx bench/lifecycles.ts [--seconds 5] [--stores memory,leveldb,dynalite]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDbAttemptLimiter } from '../shared/adapters/dynamodb/dynamodb-attempt-limiter';
import { DynamoDbGiftStore } from '../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbAttemptLimiter } from '../shared/adapters/leveldb/leveldb-attempt-limiter';
import { LevelDbGiftStore } from '../shared/adapters/leveldb/leveldb-gift-store';
import { BULK_LEVELDB_MEMORY, openLevelDb } from '../shared/adapters/leveldb/open-leveldb';
import { MemoryGiftStore } from '../shared/adapters/memory/memory-gift-store';
import { dispatchDueEffects } from '../shared/use-cases/dispatch-effects';
import { type BenchDeps, benchDeps } from './lib/bench-deps';
import { fullLifecycle } from './lib/lifecycle';
import { printTable, writeJson } from './lib/report';
import { mainThreadCpuSeconds } from './lib/thread-cpu';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, stores: { type: 'string', default: 'memory,leveldb,dynalite' } },
});
const SECONDS = Number(values.seconds);
/** Which stores to run (a quick before/after on one store: `--stores memory`). */
const STORES = new Set(values.stores.split(','));
/** The tests run every store with frozen documents; a throughput figure leaves the guard out (deep-freeze.ts). */
const UNFROZEN = { freezeDocuments: false };

/** Runs lifecycles with `concurrency` in flight for `seconds`, dispatching handoffs every 100; returns lifecycles/s. */
async function measure(
  deps: BenchDeps,
  concurrency: number,
  seconds: number,
): Promise<{ perSecond: number; lifecycles: number; handoffs: number; mainThreadCpuUs: number }> {
  let n = 0;
  const cpu0 = mainThreadCpuSeconds();
  let done = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const worker = async () => {
    while (performance.now() < deadline) {
      await fullLifecycle(deps, n++);
      // The dispatcher delivers every kind (as the scheduled job does): notices left pending would pile up in the
      // due index and make every later pass scan them, a cost of the bench, not of the system.
      if (++done % 100 === 0) {
        await dispatchDueEffects(deps, 'handoff', { limit: 200 });
        await dispatchDueEffects(deps, 'notify', { limit: 400 });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  while ((await dispatchDueEffects(deps, 'handoff', { limit: 500 })).attempted > 0);
  while ((await dispatchDueEffects(deps, 'notify', { limit: 500 })).attempted > 0);
  const elapsed = (performance.now() - started) / 1000;
  // Read before the check below: listing every handoff the sink received is the script's verification, not lifecycle work.
  const mainThreadCpuUs = Math.round(((mainThreadCpuSeconds() - cpu0) * 1e6) / done);
  const handoffs = deps.sink.received;
  if (handoffs !== done) throw new Error(`handoffs ${handoffs} ≠ lifecycles ${done}`);
  return { perSecond: done / elapsed, lifecycles: done, handoffs, mainThreadCpuUs };
}

const rows: Array<Record<string, string | number>> = [];
const results: Record<string, unknown> = {};

// Memory store, one lifecycle at a time: one core's worth of the domain and use-case code.
if (STORES.has('memory')) {
  await measure(benchDeps(new MemoryGiftStore(UNFROZEN)), 1, 1); // warm-up (JIT)
  const r = await measure(benchDeps(new MemoryGiftStore(UNFROZEN)), 1, SECONDS);
  results.memory = r;
  rows.push({
    store: 'memory (1 in flight)',
    'lifecycles/s': Math.round(r.perSecond),
    lifecycles: r.lifecycles,
    'main-thread CPU µs each': r.mainThreadCpuUs,
    'goal ≥ 20,000/s': r.perSecond >= 20_000 ? 'met' : 'missed',
  });
}

// Embedded LevelDB on disk, one and 16 lifecycles in flight (group commit only helps with company).
for (const concurrency of STORES.has('leveldb') ? [1, 16] : []) {
  const dir = mkdtempSync(join(tmpdir(), 'songli-bench-'));
  const db = await openLevelDb(dir, BULK_LEVELDB_MEMORY);
  try {
    const r = await measure(
      benchDeps(new LevelDbGiftStore(db, UNFROZEN), { limiter: new LevelDbAttemptLimiter(db) }),
      concurrency,
      SECONDS,
    );
    results[`leveldb${concurrency}`] = r;
    rows.push({
      store: `embedded LevelDB, on disk (${concurrency} in flight)`,
      'lifecycles/s': Math.round(r.perSecond),
      lifecycles: r.lifecycles,
      'main-thread CPU µs each': r.mainThreadCpuUs,
      'goal ≥ 20,000/s': '—',
    });
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Embedded DynamoDB (dynalite over 127.0.0.1, in memory and on disk), 16 lifecycles in flight.
for (const onDisk of STORES.has('dynalite') ? [false, true] : []) {
  const dir = onDisk ? mkdtempSync(join(tmpdir(), 'songli-bench-')) : null;
  const dynamo = await startEmbeddedDynamo({ path: dir ?? undefined });
  try {
    await ensureGiftsTable(dynamo.client, 'bench');
    const deps = benchDeps(new DynamoDbGiftStore(dynamo.client, 'bench'), { limiter: new DynamoDbAttemptLimiter(dynamo.client, 'bench') });
    const r = await measure(deps, 16, SECONDS);
    results[onDisk ? 'dynaliteDisk' : 'dynaliteMemory'] = r;
    rows.push({
      store: `embedded DynamoDB, ${onDisk ? 'on disk' : 'in memory'} (16 in flight)`,
      'lifecycles/s': Math.round(r.perSecond),
      lifecycles: r.lifecycles,
      'main-thread CPU µs each': r.mainThreadCpuUs,
      'goal ≥ 20,000/s': '—',
    });
  } finally {
    await dynamo.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

const memory = results.memory as { perSecond: number } | undefined;
if (memory) for (const r of rows) r['vs memory'] = `${(Number(r['lifecycles/s']) / memory.perSecond).toFixed(3)}×`;
console.log('\nFull lifecycles per second (create → pay → claim → swap → accept with the address → handoff)');
printTable(rows);
// A partial run does not overwrite the full run's figures.
writeJson(STORES.size === 3 ? 'lifecycles.json' : `lifecycles-${[...STORES].join('-')}.json`, { seconds: SECONDS, results });
