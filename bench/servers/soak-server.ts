/**
 * The local server as `npm start` runs it, for the soak bench: startLocalServer with LOCAL_STORE and DATA_DIR from
 * the environment, the cleanup and dispatch timers on (every SWEEP_INTERVAL_SECONDS / DISPATCH_INTERVAL_SECONDS),
 * logs at LOG_LEVEL (info by default, like npm start), an ephemeral port and no pages. Run as a child of
 * bench/soak.ts (see bench/lib/child-server.ts): it reports its URL over IPC and exits when its parent goes away.
 */
export {};

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { startLocalServer } = await import('../../local/start-local-server');

const server = await startLocalServer({ env: { ...process.env, PORT: '0' }, webRoot: null });
process.send?.({ url: server.url });

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close().catch(() => undefined);
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
process.once('disconnect', () => void stop());
