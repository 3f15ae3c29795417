// First: settings that must hold before any schema is built.
import '../cold-start-settings';
import * as z from 'zod/mini';
import { $ZodError } from 'zod/v4/core';
import '../../schemas/zod-english';
import type { RuntimeFactory } from '../../composition/runtime';
import { createHttpApp } from '../../http/create-http-app';
import { EdgeError } from '../../http/edge-errors';
import { toErrorResponse } from '../../http/error-response';
import type { AnyRoute } from '../../http/route';
import { cloudbaseClientAddress } from './cloudbase-client-address';
import { cloudbaseIdentity } from './cloudbase-identity';
import { cloudbaseRuntime } from './cloudbase-runtime';

/** What the HTTP access service passes to a cloud function (its "integration request"). */
const IntegrationRequest = z.object({
  path: z.string().check(z.startsWith('/')),
  httpMethod: z.string(),
  headers: z._default(z.record(z.string(), z.string()), {}),
  queryStringParameters: z.nullish(z.record(z.string(), z.string())),
  body: z.nullish(z.string()),
  isBase64Encoded: z._default(z.union([z.boolean(), z.enum(['true', 'false'])]), false),
});

/** What a mini program passes with wx.cloud.callFunction({ name, data }): the route's params, query and body. */
const CallFunctionData = z.strictObject({
  params: z._default(z.record(z.string(), z.string()), {}),
  query: z._default(z.record(z.string(), z.string()), {}),
  body: z.optional(z.unknown()),
  headers: z._default(z.record(z.string(), z.string()), {}),
});

export interface IntegrationResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: false;
}
/** Returned to wx.cloud.callFunction callers: the same status and JSON body, already parsed. */
export interface CallFunctionResult {
  statusCode: number;
  body: unknown;
}

const isIntegrationRequest = (e: unknown) =>
  typeof e === 'object' && e !== null && typeof (e as { httpMethod?: unknown }).httpMethod === 'string';

function requestFromIntegration(event: z.output<typeof IntegrationRequest>): Request {
  const url = new URL(event.path, `https://${event.headers.host ?? 'cloudbase.invalid'}`);
  for (const [k, v] of Object.entries(event.queryStringParameters ?? {})) url.searchParams.set(k, v);
  const method = event.httpMethod.toUpperCase();
  const base64 = event.isBase64Encoded === true || event.isBase64Encoded === 'true';
  const body = event.body && method !== 'GET' && method !== 'HEAD' ? (base64 ? Buffer.from(event.body, 'base64') : event.body) : undefined;
  return new Request(url, { method, headers: event.headers, body });
}

function requestFromCallFunction(route: AnyRoute, data: z.output<typeof CallFunctionData>): Request {
  const path = route.op.path.replace(/:(\w+)/g, (_: string, name: string) => {
    const value = data.params[name];
    if (value === undefined) throw new EdgeError('VALIDATION_FAILED', 'invalid call', [{ path: `params.${name}`, message: 'required' }]);
    return encodeURIComponent(value);
  });
  const url = new URL(path, 'https://callfunction.invalid');
  for (const [k, v] of Object.entries(data.query)) url.searchParams.set(k, v);
  const hasBody = data.body !== undefined;
  return new Request(url, {
    method: route.op.method.toUpperCase(),
    headers: { ...data.headers, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    body: hasBody ? JSON.stringify(data.body) : undefined,
  });
}

/**
 * The CloudBase edge of an HTTP function. It serves the same Hono app as every other platform and takes both ways a
 * CloudBase function is reached: the HTTP access service's integration request (answered with an integration
 * response) and a mini program's callFunction (answered with { statusCode, body }).
 */
export function cloudbaseHttpMain(routes: readonly AnyRoute[], runtime: RuntimeFactory = cloudbaseRuntime) {
  let app: ReturnType<typeof createHttpApp> | null = null;
  return async (event: unknown, context: unknown): Promise<IntegrationResponse | CallFunctionResult> => {
    const { deps, callbackSecret } = await runtime();
    app ??= createHttpApp({ deps, identity: cloudbaseIdentity, clientAddress: cloudbaseClientAddress, routes, callbackSecret });
    const viaHttp = isIntegrationRequest(event);
    let request: Request;
    try {
      if (viaHttp) request = requestFromIntegration(IntegrationRequest.parse(event));
      else {
        if (routes.length !== 1) throw new EdgeError('ROUTE_NOT_FOUND', 'this function is reached over HTTP only');
        const data = CallFunctionData.safeParse(event ?? {});
        if (!data.success) {
          const issues = data.error.issues.map((i) => ({ path: i.path.join('.') || '(event)', message: i.message }));
          throw new EdgeError('VALIDATION_FAILED', 'invalid call', issues);
        }
        request = requestFromCallFunction(routes[0]!, data.data);
      }
    } catch (e) {
      const err = e instanceof $ZodError ? new EdgeError('VALIDATION_FAILED', 'not an HTTP access integration request') : e;
      const { status, body } = toErrorResponse(err, deps.logger);
      if (!viaHttp) return { statusCode: status, body };
      return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), isBase64Encoded: false };
    }
    const res = await app.fetch(request, { event, context });
    const text = await res.text();
    if (!viaHttp) return { statusCode: res.status, body: text ? JSON.parse(text) : null };
    return { statusCode: res.status, headers: Object.fromEntries(res.headers), body: text, isBase64Encoded: false };
  };
}
