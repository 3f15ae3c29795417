import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { Context } from 'hono';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import type { DestinationStream } from 'pino';
import * as z from 'zod';
import { FUNCTIONS } from '../functions/manifest';
import { StaticCatalog } from '../shared/adapters/memory/static-catalog';
import { DevPaymentGateway } from '../shared/adapters/simulated/dev-payment-gateway';
import { SinkFulfillment } from '../shared/adapters/simulated/sink-fulfillment';
import { SinkNotifier } from '../shared/adapters/simulated/sink-notifier';
import { hmacClaimLinks } from '../shared/adapters/system/hmac-claim-links';
import { createLogger } from '../shared/adapters/system/pino-logger';
import { systemClock } from '../shared/adapters/system/system-clock';
import { wechatpayGatewayFrom } from '../shared/adapters/wechatpay/wechatpay-from-config';
import { DEMO_CATALOG } from '../shared/catalog/demo-catalog';
import { ALL_ADAPTERS } from '../shared/composition/adapter-factories';
import { buildDeps } from '../shared/composition/build-deps';
import { type FunctionDef, httpRoutesOf, scheduledOf } from '../shared/composition/function-manifest';
import { LocalConfig } from '../shared/config/local-config';
import { readConfig } from '../shared/config/read-config';
import { WechatSettings } from '../shared/config/wechat-settings';
import type { Product } from '../shared/domain/catalog';
import { clientAddressKey } from '../shared/http/client-address';
import { createHttpApp } from '../shared/http/create-http-app';
import type { DevServices } from '../shared/http/dev-services';
import { appTokenIdentity, devTokenIdentity, firstIdentity } from '../shared/http/identity';
import { openApiDocument } from '../shared/http/openapi';
import type { Clock } from '../shared/ports/clock';
import type { Deps } from '../shared/ports/deps';
import type { Fulfillment } from '../shared/ports/fulfillment';
import { withChangeFeed } from '../shared/store/change-feed-stores';
import { dispatchEffectsOf, hasEffectDue } from '../shared/use-cases/dispatch-effects';
import { previewClaim } from '../shared/use-cases/preview-claim';
import { localSigningKey } from './auth-signing-key';
import { CHANGE_FEED_CONCURRENCY, DispatchQueue } from './change-feed';
import { socketClientAddress } from './client-address';
import { DEV_ROUTES } from './dev-routes';
import { openLocalStore } from './open-local-store';
import { type MaintenanceReport, runJobs, runMaintenance } from './run-jobs';
import { DEFAULT_WEB_ROOT, mountWebPages } from './web-pages';
import { startWechatStandin, type WechatStandin } from './wechat-standin/start-wechat-standin';
import { standinSettings } from './wechat-standin-settings';

export interface LocalServerOptions {
  /** Environment-style settings (PORT, DATA_DIR, GIFT_TTL_SECONDS, ...); defaults as documented in the README. */
  env?: Record<string, string | undefined>;
  /** Keep the store's files out of DATA_DIR and drop them on close (benchmarks that need no persistence). */
  ephemeralStore?: boolean;
  clock?: Clock;
  catalog?: readonly Product[];
  /** The deployable functions to serve and schedule (default functions/manifest.ts; tests add a fixture). */
  functions?: readonly FunctionDef[];
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
  /**
   * The WeChat stand-in to play WeChat (tests pass theirs, on their clock). Without one, PAYMENT_PROVIDER=wechatpay
   * with no merchant keys starts its own; with real keys nothing is started.
   */
  wechat?: WechatStandin;
}

export interface LocalServer {
  url: string;
  port: number;
  config: LocalConfig;
  deps: Deps;
  dev: DevServices;
  catalog: StaticCatalog;
  /** The WeChat stand-in in use (given, or started because no merchant keys were set), else null. */
  wechat: WechatStandin | null;
  runMaintenance(): Promise<MaintenanceReport>;
  /** Resolves once the change feed has nothing queued or in flight (at once when LOCAL_CHANGE_FEED=false). */
  changeFeedIdle(): Promise<void>;
  close(): Promise<void>;
}

const StandinChoice = z.object({ PAYMENT_PROVIDER: WechatSettings.PAYMENT_PROVIDER, WECHATPAY_MCHID: WechatSettings.WECHATPAY_MCHID });

/** A local secret that outlives restarts (tokens and links stay valid) without being committed anywhere. */
function localSecret(name: string, dataDir: string | null): string {
  if (!dataDir) return randomBytes(32).toString('hex');
  const file = join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

const devJwtSecret = (config: LocalConfig, dataDir: string | null): Uint8Array =>
  new TextEncoder().encode(config.DEV_JWT_SECRET ?? localSecret('dev-jwt-secret', dataDir));

/**
 * The local edge of the composition root (shared/composition/build-deps.ts, the same as AWS and CloudBase): the
 * embedded store under DATA_DIR, the demo catalog, simulated payments and built-in receivers journaled to disk, the
 * manifest's routes on the same HTTP app the deploys serve, and timers for its scheduled functions.
 */
export async function startLocalServer(opts: LocalServerOptions = {}): Promise<LocalServer> {
  // PAYMENT_PROVIDER=wechatpay without merchant keys: WeChat is played by the stand-in, on this server's clock. Decided
  // before the whole configuration is validated, which judges the notify URL against the stand-in's address then.
  const provider = readConfig(StandinChoice, opts.env);
  const needsStandin = provider.PAYMENT_PROVIDER === 'wechatpay' && !provider.WECHATPAY_MCHID;
  const wechat = opts.wechat ?? (needsStandin ? await startWechatStandin({ clock: opts.clock }) : null);
  const ownStandin = !opts.wechat && wechat !== null;
  // The stand-in's settings go over the environment's (process.env unless given), as stored settings would.
  const standin = wechat && needsStandin ? { values: standinSettings(wechat), issues: [], whereIs: () => undefined } : undefined;
  const config = await Promise.resolve()
    .then(() => readConfig(LocalConfig, opts.env, standin))
    .catch(async (e: unknown) => {
      if (ownStandin) await wechat?.close();
      throw e;
    });
  const functions = opts.functions ?? FUNCTIONS;
  const dataDir = opts.ephemeralStore || config.LOCAL_STORE === 'memory' ? null : resolve(config.DATA_DIR);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const logger = createLogger({ level: config.LOG_LEVEL, destination: opts.logDestination, base: { mode: 'local' } });
  const signingKey = localSigningKey(config.AUTH_JWT_PRIVATE_KEY, dataDir);
  signingKey.catch(() => undefined); // awaited below; a failure surfaces there, not as an unhandled rejection meanwhile

  const local = await openLocalStore(
    config.LOCAL_STORE,
    dataDir,
    { gifts: config.GIFTS_TABLE, parts: config.PARTS_TABLE },
    config.TIMER_SHARDS,
    (msg) => logger.info({}, msg),
  );
  // The built-in receivers keep what they got in JSON-lines journals, not in memory: under DATA_DIR, or in a
  // directory of their own (dropped on close) when nothing persists.
  const journalDir = dataDir ?? mkdtempSync(join(tmpdir(), 'songli-journals-'));
  const journal = (name: string) => join(journalDir, name);
  const devPayments =
    config.PAYMENT_PROVIDER === 'dev' ? new DevPaymentGateway(journal('dev-payments.jsonl'), now, { maxCharges: 10_000 }) : null;
  // The notify URL is this server's own unless set (known once listening when PORT=0).
  let notifyUrl = config.WECHATPAY_NOTIFY_URL ?? '';
  const payments = devPayments ?? wechatpayGatewayFrom(config, { clock, notifyUrl: () => notifyUrl });
  const claimLinks = hmacClaimLinks(config.CLAIM_LINK_SECRET ?? localSecret('claim-link-secret', dataDir));
  const notifier = new SinkNotifier(journal('dev-notifications.jsonl'), now);
  const sink = config.FULFILLMENT_WEBHOOK_URL ? null : new SinkFulfillment(journal('dev-fulfillments.jsonl'), now);
  const catalog = new StaticCatalog(structuredClone(opts.catalog ?? DEMO_CATALOG));

  // Listening before the app exists: the server's own URL is the default issuer of the app's tokens (PORT=0 picks one).
  let serveApp: (request: Request, env: unknown) => Response | Promise<Response> = () => new Response(null, { status: 503 });
  const server: ServerType = await new Promise((resolveServer) => {
    const s = serve({ fetch: (request, env) => serveApp(request, env), port: config.PORT, hostname: config.HOST }, () => resolveServer(s));
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  notifyUrl ||= `${url}/wechatpay/notify`;
  const closeServer = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      (server as Server).closeAllConnections?.();
    });
  // The change feed: a commit that leaves an effect due (and not leased) queues its document for the same dispatch the
  // timers run, with the final deps (so tests' wrapped stores and receivers see it). The dispatcher's own writes queue
  // nothing new: a lease is held in memory on memory/LevelDB (no write) and written on dynalite with the effects' next
  // attempt pushed past it; a failed attempt backs off; only a new effect (a refund's notice) is due.
  let deps: Deps | undefined;
  const feed = config.LOCAL_CHANGE_FEED
    ? new DispatchQueue((doc) => (deps ? dispatchEffectsOf(deps, doc) : Promise.resolve()), {
        concurrency: CHANGE_FEED_CONCURRENCY,
        onError: (doc, e) => logger.warn({ giftId: doc.id, err: String(e) }, 'change feed dispatch failed; the dispatch timer retries'),
      })
    : null;
  const stores = feed
    ? withChangeFeed({ store: local.store, groupStore: local.groupStore }, (doc) => {
        if (hasEffectDue(doc, clock.now().toISOString())) feed.push(doc);
      })
    : { store: local.store, groupStore: local.groupStore };
  let effective: LocalConfig;
  let built: Deps;
  try {
    effective = {
      ...config,
      AUTH_JWT_PRIVATE_KEY: await signingKey,
      AUTH_JWT_ISSUER: config.AUTH_JWT_ISSUER ?? url,
      // The change feed delivers first attempts without a lease; the dispatch timer takes them after this grace.
      DISPATCH_FIRST_DELIVERY_SECONDS: feed ? (config.DISPATCH_FIRST_DELIVERY_SECONDS ?? 30) : 0,
    };
    // With the mini program's appid and secret, notices go to WeChat (or a stand-in at WECHAT_API_BASE), not the sink.
    const toWechat = Boolean(config.WECHAT_APPID && config.WECHAT_APP_SECRET);
    built = buildDeps(
      effective,
      {
        store: stores.store,
        groupStore: stores.groupStore,
        limiter: local.limiter,
        sharedValues: local.sharedValues,
        catalog,
        payments,
        claimLinks,
        ...(toWechat ? {} : { notifier }),
        clock,
        logger,
        ...(sink ? { fulfillment: sink } : {}),
      },
      ALL_ADAPTERS,
    );
  } catch (e) {
    await closeServer();
    await local.close();
    if (ownStandin) await wechat?.close();
    throw e;
  }
  const withFulfillment = opts.fulfillment ? { ...built, fulfillment: opts.fulfillment(built.fulfillment) } : built;
  deps = opts.wrapDeps ? opts.wrapDeps(withFulfillment) : withFulfillment;

  const jobs = scheduledOf(functions);
  // One maintenance run at a time per process; concurrent runs would be safe (compare-and-set), just wasteful.
  let running: Promise<MaintenanceReport> | null = null;
  // The timer's dispatch pass between maintenance runs: close() waits for it too (a pass still querying the embedded
  // store as it closes ended the effect-latency bench with dynalite's LEVEL_ITERATOR_NOT_OPEN).
  let dispatching: Promise<unknown> | null = null;
  const maintain = () => {
    running ??= runMaintenance(deps, jobs).finally(() => {
      running = null;
    });
    return running;
  };

  const devIdentity = devTokenIdentity(devJwtSecret(config, dataDir));
  // Dev tokens (POST /dev/login) and the app's own RS256 tokens (POST /auth/wechat) both sign a caller in.
  const identity = deps.tokenIssuer
    ? firstIdentity(devIdentity.resolve, appTokenIdentity(deps.tokenIssuer, deps.clock))
    : devIdentity.resolve;
  const dev: DevServices = {
    issueToken: devIdentity.issue,
    payments: devPayments,
    wechatStandinUrl: wechat?.url ?? null,
    fulfillmentSink: sink,
    notifier,
    runMaintenance: maintain,
  };
  const app = createHttpApp({
    deps,
    identity,
    clientAddress: socketClientAddress,
    routes: [...httpRoutesOf(functions), ...DEV_ROUTES],
    dev,
    callbackSecret: config.MERCHANT_CALLBACK_SECRET ?? null,
    // Every route and the pages on one server under load: Hono's default compiled router (RegExpRouter, TrieRouter).
    router: new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] }),
  });
  const openapi = openApiDocument({ includeDev: true, serverUrl: `http://${config.HOST}:${config.PORT}` });
  app.get('/openapi.json', (c) => c.json(openapi));
  const webRoot = opts.webRoot === undefined ? DEFAULT_WEB_ROOT : opts.webRoot;
  // The chat preview names the giver and product, like GET /claims/:token/preview and under the same per-address limit.
  const claimPreview = async (token: string, c: Context) =>
    previewClaim(deps, clientAddressKey(await socketClientAddress(c)) ?? 'unknown', token);
  const pages = webRoot !== null && mountWebPages(app, webRoot, { claimPreview });
  serveApp = app.fetch;

  const timers: NodeJS.Timeout[] = [];
  if (opts.timers !== false) {
    const every = (seconds: number, fn: () => Promise<unknown>) =>
      timers.push(setInterval(() => void fn().catch((e) => logger.error({ err: String(e) }, 'maintenance failed')), seconds * 1000));
    every(config.SWEEP_INTERVAL_SECONDS, maintain);
    every(config.DISPATCH_INTERVAL_SECONDS, async () => {
      if (running || dispatching) return;
      dispatching = runJobs(deps, jobs, 'dispatch').finally(() => {
        dispatching = null;
      });
      await dispatching;
    });
  }

  logger.info(
    {
      url: `http://${config.HOST}:${port}`,
      store: `${config.LOCAL_STORE} ${local.location}`,
      pages: pages ? webRoot : '(not built: npm run build:web)',
      payments: wechat ? `wechatpay (stand-in ${wechat.url})` : config.PAYMENT_PROVIDER,
    },
    'songli local server listening',
  );
  return {
    url,
    port,
    config: effective,
    deps,
    dev,
    catalog,
    wechat,
    runMaintenance: maintain,
    changeFeedIdle: () => feed?.idle() ?? Promise.resolve(),
    async close() {
      for (const t of timers) clearInterval(t);
      await feed?.close();
      await running?.catch(() => undefined);
      await dispatching?.catch(() => undefined);
      if (ownStandin) await wechat?.close();
      await closeServer();
      await local.close();
      if (!dataDir) rmSync(journalDir, { recursive: true, force: true });
    },
  };
}
