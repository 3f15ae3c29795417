import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '../domain/errors';
import type { Deps } from '../ports/deps';
import type { DevServices } from './dev-services';
import { toErrorResponse } from './error-response';
import type { IdentityResolver } from './identity';
import { MAX_BODY_BYTES, parseWith, readJsonBody } from './read-input';
import type { Route } from './route';

export interface HttpAppOptions {
  deps: Deps;
  identity: IdentityResolver;
  routes: readonly Route[];
  dev?: DevServices | null;
}

type Env = { Variables: { route: string } };

/**
 * The one HTTP application every platform serves: the local Node server, each Lambda function and each
 * CloudBase function build it with the routes they own; only the edge adapter in front of it differs.
 */
export function createHttpApp(opts: HttpAppOptions): Hono<Env> {
  const { deps } = opts;
  const app = new Hono<Env>();
  const fail = (c: Context, err: unknown) => {
    const { status, body } = toErrorResponse(err, deps.logger);
    return c.json(body, status as 400);
  };

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // Only the route pattern is logged: a path may carry a claim token.
    deps.logger.info({ method: c.req.method, route: c.get('route') ?? '(unmatched)', status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  });
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => fail(c, new AppError('PAYLOAD_TOO_LARGE', `the request body exceeds ${MAX_BODY_BYTES} bytes`)) }));
  app.onError((err, c) => fail(c, err));
  app.notFound((c) => fail(c, new AppError('ROUTE_NOT_FOUND', `no route ${c.req.method} ${new URL(c.req.url).pathname.replace(/\/claims\/[^/]+/, '/claims/…')}`)));

  for (const r of opts.routes) {
    app.on(r.op.method.toUpperCase(), r.op.path, async (c) => {
      c.set('route', r.op.path);
      let callerId = '';
      if (r.op.auth === 'user') {
        const id = await opts.identity(c);
        if (!id) throw new AppError('UNAUTHENTICATED', 'sign in first: send Authorization: Bearer <token>');
        callerId = id;
      }
      const body = r.op.body ? await readJsonBody(c, r.op.body) : undefined;
      const query = r.op.query ? parseWith(r.op.query, c.req.query(), 'query string') : undefined;
      const result = await r.handle({ c, deps, callerId, params: c.req.param() as Record<string, string>, body, query, dev: opts.dev ?? null });
      return c.json(result.body as object, r.op.successStatus, result.headers);
    });
  }
  return app;
}
