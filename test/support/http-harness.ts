import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type LocalServer, type LocalServerOptions, startLocalServer } from '../../local/start-local-server';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { signWebhook } from '../../shared/domain/webhook-signature';
import { ERROR_STATUS, type ErrorCode } from '../../shared/http/error-status';
import { responseSchemaOf } from '../../shared/http/operation-responses';
import { operations } from '../../shared/http/operations';

export const T0 = '2026-11-24T08:00:00.000Z';

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestServer {
  server: LocalServer;
  clock: FixedClock;
  dataDir: string;
  /** Logs in through POST /dev/login and returns the bearer token (cached per user). */
  login(userId: string): Promise<string>;
  api<T = any>(
    method: string,
    path: string,
    opts?: { as?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  /** Stops the server; the data directory stays (restart tests reuse it). */
  stop(): Promise<void>;
}

const OPERATIONS = Object.values(operations).map((op) => ({
  op,
  pattern: new RegExp(`^${op.path.replace(/:(\w+)/g, '[^/]+')}$`),
}));

/**
 * Every answer a test receives is checked against the contract: a 2xx body must parse with the operation's response
 * schema (strict objects: an undocumented field fails), an error body must be the documented envelope with a known
 * code and its status. So the OpenAPI document, derived from the same schemas, cannot drift from what is sent.
 */
export function assertDocumentedShape(method: string, path: string, status: number, body: unknown): void {
  const pathname = new URL(path, 'http://x').pathname;
  const found = OPERATIONS.find((o) => o.op.method === method.toLowerCase() && o.pattern.test(pathname));
  if (!found) return; // pages, openapi.json, deliberately unknown routes
  if (status >= 200 && status < 300) {
    const parsed = responseSchemaOf(found.op).safeParse(body);
    if (!parsed.success)
      throw new Error(`${method} ${pathname} answered ${status} with a body its response schema refuses: ${parsed.error.message}`);
    return;
  }
  const error = (body as { error?: { code?: string } } | null)?.error;
  const code = error?.code as ErrorCode | undefined;
  if (!code || !(code in ERROR_STATUS))
    throw new Error(`${method} ${pathname} answered ${status} without a known error code: ${JSON.stringify(body)}`);
  if (ERROR_STATUS[code] !== status)
    throw new Error(`${method} ${pathname} answered ${status} with ${code}, which is documented as ${ERROR_STATUS[code]}`);
}

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'songli-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the real local server (embedded on-disk dynalite under dataDir, real HTTP on 127.0.0.1, an
 * ephemeral port) with a frozen clock, no background timers and no change feed (`env: { LOCAL_CHANGE_FEED: 'true' }` turns
 * it on): the test decides when the cleanup and the dispatchers run.
 */
export async function startTestServer(
  opts: Omit<LocalServerOptions, 'clock' | 'timers'> & { dataDir: string; clock?: FixedClock },
): Promise<TestServer> {
  const clock = opts.clock ?? new FixedClock(T0);
  const server = await startLocalServer({
    ...opts,
    clock,
    timers: false,
    env: { PORT: '0', DATA_DIR: opts.dataDir, LOG_LEVEL: 'silent', LOCAL_CHANGE_FEED: 'false', ...opts.env },
  });
  const tokens = new Map<string, string>();
  const api = async (
    method: string,
    path: string,
    o: { as?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.as) headers.authorization = `Bearer ${await login(o.as)}`;
    let body: string | undefined = o.rawBody;
    if (o.body !== undefined) body = JSON.stringify(o.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const res = await fetch(server.url + path, { method, headers, body });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    assertDocumentedShape(method, path, res.status, json);
    return { status: res.status, body: json, headers: res.headers };
  };
  const login = async (userId: string) => {
    let token = tokens.get(userId);
    if (!token) {
      const res = await fetch(`${server.url}/dev/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId }),
      });
      if (res.status !== 200) throw new Error(`login ${userId} answered ${res.status}`);
      token = ((await res.json()) as { token: string }).token;
      tokens.set(userId, token);
    }
    return token;
  };
  return { server, clock, dataDir: opts.dataDir, login, api, stop: () => server.close() };
}

/** Giver creates and pays a gift; returns its id and claim token. */
export async function sendGift(
  t: TestServer,
  giver: string,
  skuId = 'sku_scarf_blue',
  message?: string,
): Promise<{ giftId: string; token: string }> {
  const created = await t.api('POST', '/gifts', { as: giver, body: message === undefined ? { skuId } : { skuId, message } });
  if (created.status !== 201) throw new Error(`create answered ${created.status} ${JSON.stringify(created.body)}`);
  const paid = await t.api('POST', `/gifts/${created.body.gift.id}/pay`, { as: giver });
  if (paid.status !== 200) throw new Error(`pay answered ${paid.status} ${JSON.stringify(paid.body)}`);
  return { giftId: created.body.gift.id, token: paid.body.gift.claimToken };
}

export const ADDRESS = { name: '李四', phone: '13800138000', regionCode: '110105', detail: '朝阳路 1 号 2 单元 301' };

/** Recipient claims, enters an address and accepts. */
export async function claimAndAccept(t: TestServer, recipient: string, token: string): Promise<void> {
  for (const [method, path, body] of [
    ['POST', `/claims/${token}/claim`, undefined],
    ['PUT', `/claims/${token}/address`, ADDRESS],
    ['POST', `/claims/${token}/accept`, undefined],
  ] as const) {
    const r = await t.api(method, path, { as: recipient, body });
    if (r.status !== 200) throw new Error(`${method} ${path} answered ${r.status} ${JSON.stringify(r.body)}`);
  }
}

/**
 * One server for the whole test file on a fresh temp DATA_DIR, started before the first test and removed after
 * the last. The returned object stands for the server once it runs (it forwards to it).
 */
export function serverForFile(opts: Omit<Parameters<typeof startTestServer>[0], 'dataDir'> = {}): TestServer {
  let current: TestServer | null = null;
  const tmp = tempDataDir();
  beforeAll(async () => {
    current = await startTestServer({ ...opts, dataDir: tmp.dir });
  });
  afterAll(async () => {
    await current?.stop();
    tmp.remove();
  });
  return new Proxy({} as TestServer, {
    get(_, key) {
      if (!current) throw new Error('the test server starts in beforeAll; use it inside tests');
      return current[key as keyof TestServer];
    },
  });
}

/** The merchant reports a gift shipped (顺丰速运 SF1234567890) through its signed callback, as it would in production. */
export async function shipGift(t: TestServer, giftId: string, callbackSecret: string, eventId = `evt_${giftId}`): Promise<ApiResponse> {
  const body = JSON.stringify({
    eventId,
    giftId,
    type: 'shipped',
    occurredAt: t.clock.now().toISOString(),
    carrier: '顺丰速运',
    trackingNumber: 'SF1234567890',
  });
  const ts = Math.floor(t.clock.now().getTime() / 1000);
  return t.api('POST', '/merchant/fulfillment-events', {
    rawBody: body,
    headers: { 'x-songli-timestamp': String(ts), 'x-songli-signature': signWebhook(callbackSecret, ts, body) },
  });
}
