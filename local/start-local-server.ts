import { serve, type ServerType } from '@hono/node-server';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { DestinationStream } from 'pino';
import { DevPaymentGateway } from '../shared/adapters/dev/dev-payment-gateway';
import { SinkFulfillment } from '../shared/adapters/dev/sink-fulfillment';
import { SinkNotifier } from '../shared/adapters/dev/sink-notifier';
import { StaticCatalog } from '../shared/adapters/memory/static-catalog';
import { nanoidIds } from '../shared/adapters/system/nanoid-ids';
import { createLogger } from '../shared/adapters/system/pino-logger';
import { systemClock } from '../shared/adapters/system/system-clock';
import { WebhookFulfillment } from '../shared/adapters/system/webhook-fulfillment';
import { DEMO_CATALOG } from '../shared/catalog/demo-catalog';
import { readEnvConfig, type EnvConfig } from '../shared/config/env-config';
import type { Product } from '../shared/domain/catalog';
import { DEFAULT_GIFT_POLICY } from '../shared/domain/gift-policy';
import { createHttpApp } from '../shared/http/create-http-app';
import type { DevServices } from '../shared/http/dev-services';
import { devTokenIdentity } from '../shared/http/identity';
import { openApiDocument } from '../shared/http/openapi';
import type { Clock } from '../shared/ports/clock';
import type { Deps } from '../shared/ports/deps';
import type { Fulfillment } from '../shared/ports/fulfillment';
import { DEV_ROUTES } from './dev-routes';
import { openLocalStore } from './open-local-store';
import { DEFAULT_WEB_ROOT, mountWebPages } from './web-pages';
import { API_ROUTES } from './functions';
import { runDispatchJobs, runMaintenance, type MaintenanceReport } from './run-jobs';

export interface LocalServerOptions {
  /** Environment-style settings (PORT, DATA_DIR, GIFT_TTL_SECONDS, ...); defaults as documented in the README. */
  env?: Record<string, string | undefined>;
  /** Keep the store's files out of DATA_DIR and drop them on close (benchmarks that need no persistence). */
  ephemeralStore?: boolean;
  clock?: Clock;
  catalog?: readonly Product[];
  /** Replace the fulfillment adapter (tests inject failures and crashes here). */
  fulfillment?: (defaults: Fulfillment) => Fulfillment;
  /** Wraps the assembled deps (tests inject crashes into the store here). */
  wrapDeps?: (deps: Deps) => Deps;
  /** Where logs go (defaults to stdout). */
  logDestination?: DestinationStream;
  /** Run the cleanup/dispatch timers (default true). */
  timers?: boolean;
  /** Built H5 pages to serve at / (default dist/web when built; null: none). */
  webRoot?: string | null;
}

export interface LocalServer {
  url: string;
  port: number;
  config: EnvConfig;
  deps: Deps;
  dev: DevServices;
  catalog: StaticCatalog;
  runMaintenance(): Promise<MaintenanceReport>;
  close(): Promise<void>;
}

/** The dev JWT secret outlives restarts (tokens stay valid) without being committed anywhere. */
function devJwtSecret(config: EnvConfig, dataDir: string | null): Uint8Array {
  if (config.DEV_JWT_SECRET) return new TextEncoder().encode(config.DEV_JWT_SECRET);
  if (!dataDir) return randomBytes(32);
  const file = join(dataDir, 'dev-jwt-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}

/**
 * Composition root of local mode: the embedded on-disk store under DATA_DIR (dynalite, or LevelDB with
 * LOCAL_STORE=leveldb), the demo catalog,
 * the dev payment provider and built-in receivers, the same HTTP app the deploys serve, and timers for the
 * cleanup and the dispatchers.
 */
export async function startLocalServer(opts: LocalServerOptions = {}): Promise<LocalServer> {
  const config = readEnvConfig(opts.env ?? process.env);
  const dataDir = opts.ephemeralStore || config.LOCAL_STORE === 'memory' ? null : resolve(config.DATA_DIR);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const logger = createLogger({ level: config.LOG_LEVEL, destination: opts.logDestination, base: { mode: 'local' } });

  const local = await openLocalStore(config.LOCAL_STORE, dataDir, config.GIFTS_TABLE);
  const journal = (name: string) => (dataDir ? join(dataDir, name) : null);

  const payments = new DevPaymentGateway(journal('dev-payments.jsonl'), now);
  const notifier = new SinkNotifier(journal('dev-notifications.jsonl'), now);
  const sink = config.FULFILLMENT_WEBHOOK_URL ? null : new SinkFulfillment(journal('dev-fulfillments.jsonl'), now);
  const defaultFulfillment: Fulfillment = config.FULFILLMENT_WEBHOOK_URL
    ? new WebhookFulfillment({ url: config.FULFILLMENT_WEBHOOK_URL, secret: config.FULFILLMENT_WEBHOOK_SECRET!, clock, timeoutMs: config.FULFILLMENT_WEBHOOK_TIMEOUT_MS })
    : sink!;
  const catalog = new StaticCatalog(structuredClone(opts.catalog ?? DEMO_CATALOG));

  const baseDeps: Deps = {
    store: local.store,
    limiter: local.limiter,
    catalog,
    payments,
    fulfillment: opts.fulfillment ? opts.fulfillment(defaultFulfillment) : defaultFulfillment,
    notifier,
    clock,
    ids: nanoidIds,
    logger,
    giftPolicy: { ...DEFAULT_GIFT_POLICY, giftTtlSeconds: config.GIFT_TTL_SECONDS, paymentTtlSeconds: config.PAYMENT_TTL_SECONDS },
    dispatchPolicy: {
      baseDelaySeconds: config.DISPATCH_BASE_DELAY_SECONDS,
      maxDelaySeconds: config.DISPATCH_MAX_DELAY_SECONDS,
      maxAttempts: config.DISPATCH_MAX_ATTEMPTS,
      leaseSeconds: 60,
    },
  };
  const deps = opts.wrapDeps ? opts.wrapDeps(baseDeps) : baseDeps;

  // One maintenance run at a time per process; concurrent runs would be safe (compare-and-set), just wasteful.
  let running: Promise<MaintenanceReport> | null = null;
  const maintain = () => (running ??= runMaintenance(deps).finally(() => (running = null)));

  const identity = devTokenIdentity(devJwtSecret(config, dataDir));
  const dev: DevServices = { issueToken: identity.issue, payments, fulfillmentSink: sink, notifier, runMaintenance: maintain };
  const app = createHttpApp({ deps, identity: identity.resolve, routes: [...API_ROUTES, ...DEV_ROUTES], dev, callbackSecret: config.MERCHANT_CALLBACK_SECRET });
  const openapi = openApiDocument({ includeDev: true });
  app.get('/openapi.json', (c) => c.json(openapi));
  const webRoot = opts.webRoot === undefined ? DEFAULT_WEB_ROOT : opts.webRoot;
  const pages = webRoot !== null && mountWebPages(app, webRoot);

  const server: ServerType = await new Promise((resolveServer) => {
    const s = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, () => resolveServer(s));
  });
  const port = (server.address() as AddressInfo).port;

  const timers: NodeJS.Timeout[] = [];
  if (opts.timers !== false) {
    const every = (seconds: number, fn: () => Promise<unknown>) =>
      timers.push(setInterval(() => void fn().catch((e) => logger.error({ err: String(e) }, 'maintenance failed')), seconds * 1000));
    every(config.SWEEP_INTERVAL_SECONDS, maintain);
    every(config.DISPATCH_INTERVAL_SECONDS, async () => {
      if (!running) await runDispatchJobs(deps);
    });
  }

  logger.info({ url: `http://${config.HOST}:${port}`, store: `${config.LOCAL_STORE} ${local.location}`, pages: pages ? webRoot : '(not built: npm run build:web)' }, 'songli local server listening');
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config,
    deps,
    dev,
    catalog,
    runMaintenance: maintain,
    async close() {
      for (const t of timers) clearInterval(t);
      await running?.catch(() => undefined);
      await new Promise<void>((r) => {
        server.close(() => r());
        (server as import('node:http').Server).closeAllConnections?.();
      });
      await local.close();
    },
  };
}
