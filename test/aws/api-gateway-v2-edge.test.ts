/**
 * The Lambda HTTP edge (shared/platform/aws/lambda-http.ts) answers every API Gateway v2 event exactly as Hono's
 * `hono/aws-lambda` handle() did in front of the same app: each event runs through both, each on its own copy of the
 * same world (deterministic ids and randomness, the same seeded gifts), and the results must be equal. The old adapter
 * runs on Node's own fetch classes; the new one with the light stand-ins installed (as in a Lambda process).
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import acceptRoute from '../../functions/accept-gift/handler';
import merchantRoute from '../../functions/fulfillment-events/handler';
import listGiftsRoute from '../../functions/list-gifts/handler';
import previewRoute from '../../functions/preview-claim/handler';
import setAddressRoute from '../../functions/set-address/handler';
import notifyRoute from '../../functions/wechatpay-notify/handler';
import { createHttpApp } from '../../shared/http/create-http-app';
import type { AnyRoute } from '../../shared/http/route';
import { jwtAuthorizerIdentity } from '../../shared/platform/aws/jwt-authorizer-identity';
import { lambdaClientAddress } from '../../shared/platform/aws/lambda-client-address';
import { lambdaHttpHandler } from '../../shared/platform/aws/lambda-http';
import { installLightFetchClasses, uninstallLightFetchClasses } from '../../shared/platform/aws/light-fetch/install-light-fetch';
import { LightHeaders } from '../../shared/platform/aws/light-fetch/light-headers';
import { LightResponse } from '../../shared/platform/aws/light-fetch/light-response';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { payGift } from '../../shared/use-cases/pay-gift';
import { httpApiEvent } from '../support/aws-events';
import { ADDRESS } from '../support/http-harness';
import { type MemoryDeps, makeDeps } from '../support/memory-deps';

/** A route that exercises what no contract route does today: several Set-Cookie headers, chosen content types. */
const headersRoute: AnyRoute = {
  op: { id: 'testHeaders', method: 'get', path: '/test/headers', auth: 'none', successStatus: 200 },
  async handle({ c }) {
    c.header('Set-Cookie', 'a=1; Path=/', { append: true });
    c.header('Set-Cookie', 'b=2; HttpOnly', { append: true });
    c.header('X-Multi', 'one', { append: true });
    c.header('X-Multi', 'two', { append: true });
    const type = c.req.query('type');
    const encoding = c.req.query('encoding');
    return {
      body: { 名字: '礼物', cookie: c.req.header('cookie'), note: c.req.header('x-note') },
      headers: { ...(type ? { 'content-type': type } : {}), ...(encoding ? { 'content-encoding': encoding } : {}) },
    };
  },
};
const ROUTES: AnyRoute[] = [previewRoute, acceptRoute, setAddressRoute, listGiftsRoute, merchantRoute, notifyRoute, headersRoute];
const GIVER = 'giver_0001';
const FRIEND = 'friend_0001';

interface World {
  deps: MemoryDeps;
  token: string;
}

/** The same world every time: ids and random bytes from counters, one paid gift (claimed by FRIEND when asked). */
async function world(claimed: boolean): Promise<World> {
  const deps = makeDeps();
  let ids = 0;
  let bytes = 0;
  deps.ids = { giftId: () => `g_${String(++ids).padStart(20, '0')}` };
  deps.random = (n) => Uint8Array.from({ length: n }, () => (bytes++ * 37 + 11) & 0xff);
  const { gift } = await createGift(deps, { giverId: GIVER, body: { skuId: 'sku_scarf_blue', message: '生日快乐' } });
  const token = (await payGift(deps, GIVER, gift.id)).claimToken!;
  if (claimed) await claimGift(deps, FRIEND, token);
  return { deps, token };
}

type Event = APIGatewayProxyEventV2WithJWTAuthorizer;
const context = {} as Context;

/** Hono's adapter, as lambda-http.ts used it, on Node's real fetch classes. */
async function viaHono(event: Event, w: World, callbackSecret: string | null) {
  uninstallLightFetchClasses();
  const app = createHttpApp({
    deps: w.deps,
    identity: jwtAuthorizerIdentity,
    clientAddress: lambdaClientAddress,
    routes: ROUTES,
    callbackSecret,
  });
  return handle(app)(event as never, context as never);
}

/** The new edge, with the light classes in place as in a Lambda process. */
async function viaEdge(event: Event, w: World, callbackSecret: string | null) {
  installLightFetchClasses({ evenIfLoaded: true });
  expect(globalThis.Response).toBe(LightResponse);
  try {
    return await lambdaHttpHandler(ROUTES, async () => ({ deps: w.deps, callbackSecret }))(event, context);
  } finally {
    uninstallLightFetchClasses();
  }
}

/** Runs the event through both adapters, each on a fresh copy of the world; returns the new one's result after comparing. */
async function same(make: (w: World) => Event, opts: { claimed?: boolean; callbackSecret?: string | null } = {}) {
  const secret = opts.callbackSecret ?? null;
  const a = await world(opts.claimed ?? false);
  const b = await world(opts.claimed ?? false);
  expect(b.token).toBe(a.token);
  const old = await viaHono(make(a), a, secret);
  const now = await viaEdge(make(b), b, secret);
  expect(now).toEqual(old);
  // The worlds stay the same too: the same writes happened.
  const giftId = a.token.split('.')[0]!;
  const before = await a.deps.store.get(giftId);
  expect(before).not.toBeNull();
  expect(await b.deps.store.get(giftId)).toEqual(before);
  return now as { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded: boolean; cookies?: string[] };
}

const preview = (path: string, extra: Partial<Parameters<typeof httpApiEvent>[0]> = {}) =>
  httpApiEvent({ method: 'GET', routeKey: '/claims/{token}/preview', path, ...extra });

// Both adapters log an event they cannot turn into a request; expected here.
beforeAll(() => void vi.spyOn(console, 'error').mockImplementation(() => {}));
afterAll(() => {
  vi.restoreAllMocks();
  uninstallLightFetchClasses();
});

describe('the Lambda edge answers as hono/aws-lambda did', () => {
  it('a JSON success (public preview)', async () => {
    const r = await same((w) => preview(`/claims/${w.token}/preview`));
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.body).preview).toBeTruthy();
  });

  it('a 4xx refusal: unknown token (404), no token (401), unknown route (404), trailing slash (404)', async () => {
    expect((await same(() => preview('/claims/g_00000000000000000009.abc/preview'))).statusCode).toBe(404);
    const accept = (w: World) => httpApiEvent({ method: 'POST', routeKey: '/claims/{token}/accept', path: `/claims/${w.token}/accept` });
    expect((await same(accept)).statusCode).toBe(401);
    expect((await same(() => httpApiEvent({ method: 'GET', routeKey: '$default', path: '/nowhere' }))).statusCode).toBe(404);
    expect((await same((w) => preview(`/claims/${w.token}/preview/`))).statusCode).toBe(404);
  });

  it('path parameters with encoded characters, and a path that URL parsing normalises', async () => {
    for (const path of [
      '/claims/g_1%2Fx%20y%E7%A4%BC/preview',
      '/claims/%E7%A4%BC%zz/preview',
      '/claims/a/../b/preview',
      '/claims/礼物/preview',
    ])
      expect((await same(() => preview(path))).statusCode).toBeGreaterThanOrEqual(400);
  });

  it('a PUT with a JSON body: plain and base64-encoded, with the write it makes', async () => {
    const put = (w: World, base64: boolean) => {
      const e = httpApiEvent({
        method: 'PUT',
        routeKey: '/claims/{token}/address',
        path: `/claims/${w.token}/address`,
        body: ADDRESS,
        sub: FRIEND,
      });
      if (base64) Object.assign(e, { body: Buffer.from(e.body!).toString('base64'), isBase64Encoded: true });
      return e;
    };
    const plain = await same((w) => put(w, false), { claimed: true });
    expect(plain.statusCode).toBe(200);
    expect(JSON.parse(plain.body).gift.address.province).toBe('北京市');
    expect(await same((w) => put(w, true), { claimed: true })).toEqual(plain);
  });

  it('bad bodies: wrong media type (415), unparsable (400), invalid (422), too large (413), empty POST', async () => {
    const put =
      (body: string, headers: Record<string, string> = {}) =>
      (w: World) =>
        httpApiEvent({
          method: 'PUT',
          routeKey: '/claims/{token}/address',
          path: `/claims/${w.token}/address`,
          rawBody: body,
          sub: FRIEND,
          headers,
        });
    expect((await same(put(JSON.stringify(ADDRESS), { 'content-type': 'text/plain' }), { claimed: true })).statusCode).toBe(415);
    expect((await same(put('{"name":'), { claimed: true })).statusCode).toBe(400);
    expect((await same(put('{"name":1}'), { claimed: true })).statusCode).toBe(422);
    expect((await same(put(`{"detail":"${'x'.repeat(70_000)}"}`), { claimed: true })).statusCode).toBe(413);
    const accept = (w: World) =>
      httpApiEvent({ method: 'POST', routeKey: '/claims/{token}/accept', path: `/claims/${w.token}/accept`, sub: FRIEND });
    expect((await same(accept, { claimed: true })).statusCode).toBeGreaterThanOrEqual(200);
  });

  it('query strings: parsed, defaulted, refused when invalid', async () => {
    const list = (query: string) => () => {
      const e = httpApiEvent({ method: 'GET', routeKey: '/gifts', path: '/gifts', sub: GIVER });
      e.rawQueryString = query;
      return e;
    };
    const ok = await same(list('role=sent&limit=5'));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body).gifts).toHaveLength(1);
    expect((await same(list('role=sent&limit=%31'))).statusCode).toBe(200);
    expect((await same(list('role=nobody'))).statusCode).toBe(422);
    expect((await same(list('role=sent&role=received&x=%E7%A4%BC'))).statusCode).toBe(422);
  });

  it('signed merchant callbacks (403 disabled, 401 unsigned) and WeChat Pay notify refusals in its own format', async () => {
    const merchant = () =>
      httpApiEvent({ method: 'POST', routeKey: '/merchant/fulfillment-events', path: '/merchant/fulfillment-events', body: { x: 1 } });
    expect((await same(merchant)).statusCode).toBe(403);
    expect((await same(merchant, { callbackSecret: 'a-callback-secret-0123456789' })).statusCode).toBe(401);
    const notify = () => httpApiEvent({ method: 'POST', routeKey: '/wechatpay/notify', path: '/wechatpay/notify', rawBody: '{"id":"x"}' });
    const refused = await same(notify);
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(refused.body).code).toBe('FAIL');
  });

  it('several Set-Cookie headers become `cookies`; repeated headers are joined; cookies in the event reach the app', async () => {
    const event =
      (query = '') =>
      () => {
        const e = httpApiEvent({ method: 'GET', routeKey: '/test/headers', path: '/test/headers', headers: { 'x-note': '礼物 ok' } });
        e.rawQueryString = query;
        e.cookies = ['s=1', 't=2'];
        return e;
      };
    const r = await same(event());
    expect(r.cookies).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(JSON.parse(r.body)).toMatchObject({ cookie: 's=1; t=2', note: encodeURIComponent('礼物 ok') });
    expect(r.headers['x-multi']).toBe('one, two');
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(r.isBase64Encoded).toBe(false);
    // Binary content types and encodings answer in base64.
    const binary = await same(event('type=application/octet-stream'));
    expect(binary.isBase64Encoded).toBe(true);
    expect(JSON.parse(Buffer.from(binary.body, 'base64').toString('utf8')).名字).toBe('礼物');
    expect((await same(event('encoding=gzip'))).isBase64Encoded).toBe(true);
    expect((await same(event('type=text/html;%20charset=utf-8'))).isBase64Encoded).toBe(false);
  });

  it('HEAD and OPTIONS (API Gateway answers CORS preflights itself; the app may still see them)', async () => {
    const head = await same((w) => preview(`/claims/${w.token}/preview`, { method: 'HEAD' }));
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect((await same((w) => preview(`/claims/${w.token}/preview`, { method: 'OPTIONS' }))).statusCode).toBe(404);
  });

  it('events that cannot be requests: a GET with a body, a header name that is not a token, an unusable host', async () => {
    const withBody = (w: World) => preview(`/claims/${w.token}/preview`, { rawBody: 'x' });
    const r = await same(withBody);
    expect(r).toMatchObject({ statusCode: 400, body: 'Invalid request' });
    expect((await same((w) => preview(`/claims/${w.token}/preview`, { headers: { 'bad header': 'x' } }))).statusCode).toBe(400);
    const badHost = (w: World) => {
      const e = preview(`/claims/${w.token}/preview`);
      e.requestContext.domainName = 'user:pw@host';
      return e;
    };
    expect((await same(badHost)).statusCode).toBe(400);
    const method = (w: World) => preview(`/claims/${w.token}/preview`, { method: 'TRACE' });
    expect((await same(method)).statusCode).toBe(400);
  });
});

describe('the light classes', () => {
  it('Headers: the same entries, order and joins as undici for the same input', () => {
    const init: [string, string][] = [
      ['X-B', ' 2 '],
      ['set-cookie', 'a=1'],
      ['x-a', '1'],
      ['Set-Cookie', 'b=2'],
      ['x-b', '3'],
      ['Content-Type', 'application/json'],
    ];
    const light = new LightHeaders(init);
    const real = new Headers(init);
    expect([...light]).toEqual([...real]);
    expect(light.get('x-b')).toBe(real.get('x-b'));
    expect(light.get('set-cookie')).toBe(real.get('set-cookie'));
    expect(light.getSetCookie()).toEqual(real.getSetCookie());
    expect(new LightHeaders({ A: '1' }).get('a')).toBe('1');
    expect(() => new LightHeaders([['bad name', 'x']])).toThrow(TypeError);
    expect(() => new LightHeaders([['a', 'x\ny']])).toThrow(TypeError);
    expect(() => new LightHeaders([['a', '礼']])).toThrow(TypeError);
  });

  it('validates as undici does and becomes a real Response when asked for a stream', async () => {
    expect(() => new LightResponse('x', { status: 204 })).toThrow(TypeError);
    expect(() => new LightResponse(null, { status: 199 })).toThrow(RangeError);
    const res = new LightResponse('{"a":1}', { status: 201, headers: { 'X-A': ' 1 ' } });
    expect(res instanceof Response || res instanceof LightResponse).toBe(true);
    expect(new Response('x') instanceof LightResponse).toBe(true); // a real one passes the stand-in's instanceof
    expect([...res.headers]).toEqual([...new Response('{"a":1}', { status: 201, headers: { 'X-A': ' 1 ' } }).headers]);
    const reader = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"a":1}');
    expect(res.status).toBe(201);
    const used = new LightResponse('t');
    await used.text();
    await expect(used.text()).rejects.toThrow(TypeError);
  });
});
