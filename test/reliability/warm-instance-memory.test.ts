/**
 * A warm Lambda or CloudBase instance runs the same handler hundreds of thousands of times in one process: nothing
 * a request does may stay behind. The Hono app every platform serves (createHttpApp), over the in-process memory
 * store, with pino logging every request to a sink that drops the lines, is called 100,000 times per route after a
 * warm-up of 5,000, and the heap after a full GC may grow by less than 8 MB (80 bytes per call): a read
 * (GET /claims/:token) and a write (PUT /claims/:token/address, a new version of the same document every time).
 * The caller is taken from a header, as the deployed functions take the one API Gateway or CloudBase verified.
 */
import { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/manifest';
import { createLogger } from '../../shared/adapters/system/pino-logger';
import { httpRoutesOf } from '../../shared/composition/function-manifest';
import { createHttpApp } from '../../shared/http/create-http-app';
import { makeDeps } from '../support/memory-deps';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const WARMUP = 5_000;
const RUNS = 100_000;
const MAX_GROWTH = 8 * 2 ** 20;
const mib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 2 ** 20).toFixed(2)} MiB`;

/**
 * The heap after a full GC. Between collections the event loop turns a few times: objects whose FinalizationRegistry
 * callback is still pending (undici's Request registers its abort listener in one) are only released once it ran.
 */
async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  gc();
  return process.memoryUsage().heapUsed;
}

/** The app as a deployed function builds it, with one sent and claimed gift. */
async function warmInstance() {
  const deps = makeDeps();
  const lines = { count: 0 };
  const sink = new Writable({
    write: (_chunk, _enc, done) => {
      lines.count++;
      done();
    },
  });
  deps.logger = createLogger({ level: 'info', destination: sink });
  const app = createHttpApp({ deps, identity: (c) => c.req.header('x-caller') ?? null, routes: httpRoutesOf(FUNCTIONS) });
  const giver = { 'x-caller': 'warm_giver' };
  const friend = { 'x-caller': 'warm_friend' };
  const json = { 'content-type': 'application/json' };
  const created = await app.request('/gifts', {
    method: 'POST',
    headers: { ...giver, ...json },
    body: JSON.stringify({ skuId: 'sku_scarf_blue', message: '生日快乐' }),
  });
  const { gift } = (await created.json()) as { gift: { id: string } };
  const paid = await app.request(`/gifts/${gift.id}/pay`, { method: 'POST', headers: giver });
  const { claimToken } = ((await paid.json()) as { gift: { claimToken: string } }).gift;
  expect((await app.request(`/claims/${claimToken}/claim`, { method: 'POST', headers: friend })).status).toBe(200);
  return { app, deps, lines, friend, json, giftId: gift.id, link: `/claims/${claimToken}` };
}

/** Runs `call` WARMUP times, then RUNS times, and returns the heap growth over the RUNS calls. */
async function growthOver(call: (i: number) => Response | Promise<Response>): Promise<number> {
  const run = async (from: number, n: number) => {
    for (let i = from; i < from + n; i++) {
      const res = await call(i);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`call ${i} answered ${res.status} ${body}`);
      // Back to the event loop now and then, as between a server's requests: V8 keeps every WeakRef target made in
      // one job alive until the job ends (undici's Request makes some), which a loop of awaits alone never does.
      if (i % 100 === 0) await new Promise((r) => setImmediate(r));
    }
  };
  await run(0, WARMUP);
  const before = await heapAfterGc();
  await run(WARMUP, RUNS);
  return (await heapAfterGc()) - before;
}

describe(`a warm instance runs a handler ${RUNS.toLocaleString('en')} times without keeping anything`, () => {
  let instance: Awaited<ReturnType<typeof warmInstance>>;
  beforeAll(async () => {
    instance = await warmInstance();
  });

  it('GET /claims/:token (read)', async () => {
    const { app, friend, link, lines } = instance;
    const logged = lines.count;
    const growth = await growthOver(() => app.request(link, { headers: friend }));
    console.log(`GET /claims/:token × ${RUNS}: heap ${mib(growth)} (${(growth / RUNS).toFixed(1)} B per call)`);
    expect(lines.count - logged).toBe(WARMUP + RUNS); // every request was logged, through pino
    expect(growth).toBeLessThan(MAX_GROWTH);
  }, 120_000);

  it('PUT /claims/:token/address (write: a new version of the document every time)', async () => {
    const { app, deps, friend, json, link, giftId } = instance;
    const version = (await deps.store.get(giftId))!.version;
    const growth = await growthOver((i) =>
      app.request(`${link}/address`, {
        method: 'PUT',
        headers: { ...friend, ...json },
        body: JSON.stringify({ name: '张三', phone: '13800138000', regionCode: '110105', detail: `建国路 ${i % 1000} 号` }),
      }),
    );
    console.log(`PUT /claims/:token/address × ${RUNS}: heap ${mib(growth)} (${(growth / RUNS).toFixed(1)} B per call)`);
    expect((await deps.store.get(giftId))!.version).toBe(version + WARMUP + RUNS);
    expect(growth).toBeLessThan(MAX_GROWTH);
  }, 120_000);
});
