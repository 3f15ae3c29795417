/**
 * Deployed functions build the app on Hono's PatternRouter (small: one regular expression per route), the local server
 * on Hono's compiled routers (RegExpRouter, TrieRouter). Both must route alike: the same paths found with the same
 * parameters, and a path with a trailing slash refused as no route (PatternRouter alone would accept `/me/` as `/me`).
 */
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../functions/manifest';
import { httpRoutesOf } from '../../shared/composition/function-manifest';
import { createHttpApp, type HttpAppOptions } from '../../shared/http/create-http-app';
import { assertDocumentedShape } from '../support/http-harness';
import { makeDeps } from '../support/memory-deps';

const ROUTERS: Record<string, () => HttpAppOptions['router']> = {
  'PatternRouter (deployed functions)': () => undefined,
  'RegExpRouter + TrieRouter (local server)': () => new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] }),
};

describe.each(Object.entries(ROUTERS))('%s', (_name, router) => {
  const app = createHttpApp({ deps: makeDeps(), identity: () => 'router_caller', routes: httpRoutesOf(FUNCTIONS), router: router() });

  it.each([
    ['GET', '/me', 200, null],
    ['GET', '/me/', 404, 'ROUTE_NOT_FOUND'],
    ['GET', '/products/', 404, 'ROUTE_NOT_FOUND'],
    ['GET', '/gifts/g_missing', 404, 'GIFT_NOT_FOUND'],
    ['GET', '/gifts/g_missing/', 404, 'ROUTE_NOT_FOUND'],
    ['POST', '/wechatpay/notify/', 404, 'ROUTE_NOT_FOUND'],
    ['GET', '/gifts/a/b', 404, 'ROUTE_NOT_FOUND'],
    ['DELETE', '/me', 404, 'ROUTE_NOT_FOUND'],
  ])('%s %s answers %i %s', async (method, path, status, code) => {
    const res = await app.request(path, { method });
    const body = await res.json();
    expect(res.status).toBe(status);
    if (code) expect(body).toMatchObject({ error: { code } });
    else assertDocumentedShape(method, path, status, body);
  });
});
