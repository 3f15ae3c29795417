export {};

/**
 * `npm start`: the whole service on this machine, no cloud account. Data lives under DATA_DIR (./.data).
 */
// Node 20 is supported here; the SDK's notice about its future minimum would only clutter the dev log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { startLocalServer } = await import('./start-local-server');

const server = await startLocalServer();
console.log(
  `songli is listening on ${server.url} (data in ${server.config.DATA_DIR}); open ${server.url}/ for the 送礼物 pages, ` +
    `or try: curl -s -X POST ${server.url}/dev/login -H 'content-type: application/json' -d '{"userId":"alice"}'`,
);

const stop = async (signal: string) => {
  console.log(`${signal}: shutting down`);
  await server.close();
  process.exit(0);
};
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));
