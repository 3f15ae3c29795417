/**
 * The songli local server for benches: startLocalServer on an ephemeral port, no timers, no pages, silent logs.
 * BENCH_STORE=dynalite|leveldb|memory picks the store and keeps its files out of DATA_DIR (memory: the in-process
 * store, the app's own cost without store round trips); without it, dynalite lives under DATA_DIR. BENCH_LOG_FILE=<path>
 * logs at info (a line per request, as `npm start` does) into that file through pino's asynchronous destination. Run as
 * a child of a bench (see bench/lib/child-server.ts): it reports its URL over IPC and exits when its parent goes away.
 */
import { pino } from 'pino';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { startLocalServer } = await import('../../local/start-local-server');

const logFile = process.env.BENCH_LOG_FILE;
const server = await startLocalServer({
  env: {
    ...process.env,
    PORT: '0',
    LOG_LEVEL: logFile ? 'info' : 'silent',
    ...(process.env.BENCH_STORE ? { LOCAL_STORE: process.env.BENCH_STORE } : {}),
  },
  ...(logFile ? { logDestination: pino.destination({ dest: logFile, sync: false }) } : {}),
  ephemeralStore: process.env.BENCH_STORE !== undefined,
  timers: false,
  webRoot: null,
});
process.send?.({ url: server.url });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close().catch(() => undefined);
  process.exit(0); // a normal exit, so --cpu-prof writes its profile
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.once('disconnect', () => void stop());
