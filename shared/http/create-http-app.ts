import type { Context, Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HonoBase, type HonoOptions } from 'hono/hono-base';
import { PatternRouter } from 'hono/router/pattern-router';
import type { Deps } from '../ports/deps';
import { type ClientAddressResolver, clientAddressKey } from './client-address';
import type { Operation } from './contract';
import type { DevServices } from './dev-services';
import { ClientAbortError, EdgeError } from './edge-errors';
import { toErrorResponse } from './error-response';
import type { IdentityResolver } from './identity';
import { knownBodyBytes } from './known-body-bytes';
import { MAX_BODY_BYTES, parseJsonText, parseWith, readBodyText, readJsonBody } from './read-input';
import type { AnyRoute, RouteContext, RouteResult } from './route';

export interface HttpAppOptions {
  deps: Deps;
  identity: IdentityResolver;
  /** Where a request came from, as the platform says (none: every caller is 'unknown'). */
  clientAddress?: ClientAddressResolver;
  routes: readonly AnyRoute[];
  dev?: DevServices | null;
  /** The secret merchant callbacks ('signature' routes) are signed with; unset → those routes answer 403 CALLBACKS_DISABLED. */
  callbackSecret?: string | null;
  /**
   * Hono's router. Default: PatternRouter (one regular expression per route, ~1 KB): a deployed function serves one
   * route (http-api: every route) and `new Hono()`'s compiled routers cost ~6 KB of each bundle. A server with many
   * routes and much traffic (local/) passes a compiled one. Routers differ in trailing slashes only: handled below.
   */
  router?: HonoOptions<Env>['router'];
}

type Env = { Variables: { errorFormat?: 'wechatpay' } };

/**
 * What a request's log line says beyond its answer, noted on the request by the handler that ran. On the request
 * itself, not in a WeakMap: an entry per request in a WeakMap is more work for every minor GC.
 */
const ROUTE = Symbol('route');
const ABORTED = Symbol('aborted');
type Noted = Request & { [ROUTE]?: string; [ABORTED]?: true };

/**
 * The one HTTP application every platform serves: the local Node server, each Lambda function and each CloudBase
 * function build it with the routes they own; only the edge adapter in front of it differs.
 */
export function createHttpApp(opts: HttpAppOptions): HonoBase<Env> {
  const { deps } = opts;
  const app = new HonoBase<Env>({ router: opts.router ?? new PatternRouter() });
  const fail = (c: Context<Env>, err: unknown, format?: 'wechatpay') => {
    if (err instanceof ClientAbortError) {
      // Nobody is left to read an answer; this is the client's doing, not an error of ours.
      (c.req.raw as Noted)[ABORTED] = true;
      return c.body(null, 400);
    }
    const { status, body } = toErrorResponse(err, deps.logger);
    // WeChat Pay reads only `{code: "FAIL", message}` from a refused notification (facts §4).
    if (format === 'wechatpay') return c.json({ code: 'FAIL', message: `${body.error.code}: ${body.error.message}` }, status as 400);
    return c.json(body, status as 400);
  };

  const tooLarge = (c: Context<Env>) =>
    fail(c, new EdgeError('PAYLOAD_TOO_LARGE', `the request body exceeds ${MAX_BODY_BYTES} bytes`), c.get('errorFormat'));
  const streamedLimit = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  /**
   * The body limit, checked before `answer` runs. Hono's bodyLimit asks for `c.req.raw.body`, which makes the Node
   * adapter build a whole fetch Request (an AbortController, a web stream) for every request: a third of a GET's
   * cost. No route reads a GET's or HEAD's body, and a body sent with a plain Content-Length (no Transfer-Encoding) is
   * exactly that long (the HTTP parser in front of the app enforces it), so only the other requests need the streamed
   * check. Called by each handler, not as a `*` middleware: a middleware makes Hono compose every request into a chain
   * of promises, where a lone handler that answers at once is answered at once (and so by the Node adapter).
   */
  const limitBody = (c: Context<Env>, answer: () => Response | Promise<Response>): Response | Promise<Response> => {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || declaresNoBody(c)) return answer();
    const length = c.req.header('content-length');
    if (length === undefined || !/^\d+$/.test(length) || c.req.header('transfer-encoding') !== undefined)
      // Hono's bodyLimit answers its refusal, else what `next` returns: here the answer.
      return streamedLimit(c, (async () => answer()) as unknown as Next) as Promise<Response>;
    return Number(length) > MAX_BODY_BYTES ? tooLarge(c) : answer();
  };
  app.onError((err, c) => fail(c, err, c.get('errorFormat')));
  const noRoute = (c: Context<Env>) => {
    const path = new URL(c.req.url).pathname.replace(/\/claims\/[^/]+/, '/claims/…');
    return new EdgeError('ROUTE_NOT_FOUND', `no route ${c.req.method} ${path}`);
  };
  app.notFound((c) => limitBody(c, () => fail(c, noRoute(c))));

  for (const r of opts.routes) {
    // The signature check travels with the routes that need it (signedRoute), so no other function's bundle carries it.
    if (r.op.auth === 'signature' && !r.verify)
      throw new Error(`${r.op.method.toUpperCase()} ${r.op.path}: a 'signature' route is built with signedRoute`);
    const format = r.op.errorFormat;
    /** After the caller is known: the input read, the route run and its answer written (at once when all are at hand). */
    const serve = (c: Context<Env>, callerId: string): Response | Promise<Response> => {
      if (r.op.auth === 'signature' || r.op.rawBody || r.op.body) return serveWithBody(c, callerId);
      const result = r.handle(routeContext(c, callerId, undefined, ''));
      return result instanceof Promise ? result.then((done) => respond(c, done)) : respond(c, result);
    };
    const serveWithBody = async (c: Context<Env>, callerId: string): Promise<Response> => {
      let body: unknown;
      let raw = '';
      if (r.op.auth === 'signature') {
        raw = await readBodyText(c);
        r.verify!(c, raw, opts.callbackSecret ?? null, deps.clock.now());
        callerId = 'merchant';
        body = r.op.body ? parseJsonText(c, raw, r.op.body) : undefined;
      } else if (r.op.rawBody) raw = await readBodyText(c);
      else body = r.op.body ? await readJsonBody(c, r.op.body) : undefined;
      return respond(c, await r.handle(routeContext(c, callerId, body, raw)));
    };
    const routeContext = (c: Context<Env>, callerId: string, body: unknown, raw: string): RouteContext<Operation> => ({
      c,
      deps,
      callerId,
      params: c.req.param(),
      body,
      query: r.op.query ? parseWith(r.op.query, c.req.query(), 'query string') : undefined,
      raw,
      // A method, not an arrow bound to a name: nothing is defined per request unless asked for.
      async clientAddress() {
        return clientAddressKey(await opts.clientAddress?.(c)) ?? 'unknown';
      },
      dev: opts.dev ?? null,
    });
    const respond = (c: Context<Env>, result: RouteResult): Response => {
      if (r.op.successStatus === 204) return c.body(null, 204, result.headers);
      // What c.json sends, without serializing a view again whose JSON is known.
      const known = knownBodyBytes(result.body as object);
      if (known !== undefined) return c.body(known, r.op.successStatus, { 'Content-Type': 'application/json', ...result.headers });
      return c.json(result.body as object, r.op.successStatus, result.headers);
    };
    const authenticated = (c: Context<Env>, id: string | null): Response | Promise<Response> => {
      if (!id) throw new EdgeError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <token>');
      return serve(c, id);
    };
    // Not async: a request whose every step answers at once (a known token, a view from memory) gets its Response
    // without a promise, and Hono and the Node adapter then write it at once too.
    app.on(r.op.method.toUpperCase(), r.op.path, (c) => {
      // The route's own format for refusals made before it runs, too (the body limit).
      if (format) c.set('errorFormat', format);
      const request = c.req.raw;
      return limitBody(c, () => {
        // PatternRouter also matches a path with a trailing slash; no contract path has one (Hono's default refuses it).
        if (c.req.path.endsWith('/')) {
          c.set('errorFormat', undefined);
          throw noRoute(c);
        }
        (request as Noted)[ROUTE] = r.op.path;
        if (r.op.auth !== 'user') return serve(c, '');
        // A token the resolver already knows answers without a promise (the verified-token cache).
        const known = opts.identity(c);
        return typeof known === 'string' || known === null ? authenticated(c, known) : known.then((id) => authenticated(c, id));
      });
    });
  }
  logRequests(app, deps);
  return app;
}

/**
 * One log line per request, whatever answered it (a route, a page, /openapi.json, a refusal). Wrapped around
 * `app.fetch`, not a `*` middleware: see limitBody. Only the route pattern is logged: a path may carry a claim token.
 * Timed with process.hrtime: the `performance` global loads perf_hooks on first use (~0.7 ms of every cold start).
 */
function logRequests(app: HonoBase<Env>, deps: Deps): void {
  const dispatch = app.fetch;
  const log = (request: Request, res: Response, started: bigint): Response => {
    const line = {
      method: request.method,
      route: (request as Noted)[ROUTE] ?? '(unmatched)',
      status: res.status,
      ms: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
    };
    if ((request as Noted)[ABORTED]) deps.logger.info({ ...line, status: 499 }, 'client closed the request before sending its body');
    else deps.logger.info(line, 'request');
    return res;
  };
  app.fetch = (request, env, executionCtx) => {
    const started = process.hrtime.bigint();
    const res = dispatch(request, env, executionCtx);
    return res instanceof Promise ? res.then((done) => log(request, done, started)) : log(request, res, started);
  };
}

/**
 * A request read by Node's HTTP/1.x parser (the local server) with neither Content-Length nor Transfer-Encoding: it
 * has no body (RFC 9112 §6.3), and the parser reads none. Other platforms hand the app a built Request: not known here.
 */
function declaresNoBody(c: Context): boolean {
  const incoming = (c.env as { incoming?: { httpVersionMajor?: number; headers?: Record<string, unknown> } } | undefined)?.incoming;
  return (
    incoming?.httpVersionMajor === 1 &&
    incoming.headers?.['content-length'] === undefined &&
    incoming.headers?.['transfer-encoding'] === undefined
  );
}
