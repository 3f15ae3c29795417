/**
 * What the memory store itself keeps per gift, measured in a fresh process so the soak can subtract it from the
 * server's heap:
 *
 *   node --expose-gc --import tsx bench/lib/memory-store-bytes.ts [--gifts 10000]
 *
 * Starts the local server on LOCAL_STORE=memory in this process (no timers, silent logs), drives the soak's own
 * mix of accepted and declined lifecycles over HTTP until `--gifts` gifts exist, runs the cleanup and the
 * dispatchers until every effect is delivered (the documents' final shape), takes the heap after a full GC, then
 * empties the store's maps and indexes and takes it again: the difference over the number of gifts is the store's
 * retained bytes per gift. (Between 2,500 and 10,000 gifts it varies by ~4 %: hash tables and B+ trees grow in
 * steps.) Prints one JSON line: { gifts, accepted, declined, storeBytes, bytesPerGift }.
 */
import { Agent } from 'node:http';
import { parseArgs } from 'node:util';
import type { MemoryGiftStore } from '../../shared/adapters/memory/memory-gift-store';
import { addCounts, emptyCounts, prng, SoakClient } from './soak-traffic';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values } = parseArgs({ options: { gifts: { type: 'string', default: '10000' }, clients: { type: 'string', default: '20' } } });
const GIFTS = Number(values.gifts);

const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const { startLocalServer } = await import('../../local/start-local-server');
const server = await startLocalServer({ env: { LOCAL_STORE: 'memory', PORT: '0', LOG_LEVEL: 'silent' }, timers: false, webRoot: null });
const store = server.deps.store as MemoryGiftStore;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const random = prng(7);
const clients = Array.from({ length: Number(values.clients) }, (_, i) => new SoakClient(server.url, agent, i, random));

const drain = async () => {
  for (;;) {
    const report = (await server.runMaintenance()) as { dispatched: Record<string, { attempted: number }> };
    if (Object.values(report.dispatched).every((r) => r.attempted === 0)) return;
  }
};

let started = 0;
await Promise.all(
  clients.map(async (c) => {
    while (started < GIFTS) {
      started++;
      await c.lifecycle(random() < 0.875); // the soak's 70 : 10 mix of accepted : declined
    }
  }),
);
await drain();
const withStore = heapAfterGc();
const counts = clients.reduce((acc, c) => addCounts(acc, c.counts), emptyCounts());
if (Object.keys(counts.unexpected).length > 0) throw new Error(`unexpected answers: ${JSON.stringify(counts.unexpected)}`);

// Empty every map and B+ tree the store holds (private fields: this is a measurement, not an API).
const clearable = (v: unknown): v is { clear(): void } =>
  typeof v === 'object' && v !== null && typeof (v as { clear?: unknown }).clear === 'function';
for (const v of Object.values(store as unknown as Record<string, unknown>)) {
  if (clearable(v)) v.clear();
  else if (v && typeof v === 'object') for (const t of Object.values(v)) if (clearable(t)) t.clear();
}
if (store.size !== 0) throw new Error('the store still holds documents');
const without = heapAfterGc();
console.log(
  JSON.stringify({
    gifts: counts.gifts,
    accepted: counts.accepted,
    declined: counts.declined,
    storeBytes: withStore - without,
    bytesPerGift: Math.round((withStore - without) / counts.gifts),
  }),
);
agent.destroy();
await server.close();
process.exit(0);
