/**
 * Preloaded into a bench server child (`--expose-gc --require bench/lib/memory-probe.cjs`): answers
 * `{ type: 'memory-probe', id }` on the IPC channel with process.memoryUsage() and V8 heap statistics taken
 * right after full GCs (see sample()), so the parent samples what the server retains without any change to the
 * server's code. `{ type: 'heap-snapshot', id, path }` writes a heap snapshot (diagnosis).
 * CommonJS on purpose: it loads before tsx and before the server's ESM graph.
 */
'use strict';
const v8 = require('node:v8');
const { readFileSync } = require('node:fs');

/** Linux splits RSS into anonymous memory (heap, malloc) and file-backed pages (LevelDB maps its table files). */
function rssParts() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rssAnon: kb('RssAnon'), rssFile: kb('RssFile') };
  } catch {
    return { rssAnon: null, rssFile: null };
  }
}

if (typeof globalThis.gc !== 'function') v8.setFlagsFromString('--expose-gc');
const gc = typeof globalThis.gc === 'function' ? globalThis.gc : require('node:vm').runInNewContext('gc');

process.on('message', (m) => {
  if (!m || typeof m !== 'object') return;
  if (m.type === 'memory-probe') void sample(m.id);
  else if (m.type === 'heap-snapshot') {
    gc();
    const path = v8.writeHeapSnapshot(m.path);
    process.send?.({ type: 'heap-snapshot', id: m.id, path });
  }
});

/**
 * Full GCs with turns of the event loop between them: objects held by a FinalizationRegistry (undici's Request keeps
 * each request's abort listener in one) or by a WeakRef made in the current job are released only after their
 * callbacks ran, which takes a turn. Without the turns, ~13 MB of such garbage showed up as heap under load.
 */
async function sample(id) {
  const started = performance.now();
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 10));
  }
  gc();
  const gcMs = performance.now() - started;
  const mu = process.memoryUsage();
  const hs = v8.getHeapStatistics();
  process.send?.({
    type: 'memory',
    id,
    at: Date.now(),
    gcMs,
    rss: mu.rss,
    ...rssParts(),
    heapTotal: mu.heapTotal,
    heapUsed: mu.heapUsed,
    external: mu.external,
    arrayBuffers: mu.arrayBuffers,
    mallocedMemory: hs.malloced_memory,
    nativeContexts: hs.number_of_native_contexts,
    detachedContexts: hs.number_of_detached_contexts,
  });
}
