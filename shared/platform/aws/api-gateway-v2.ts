import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { decodeBase64 } from 'hono/utils/encode';
import { LightHeaders } from './light-fetch/light-headers';
import { LightRequest } from './light-fetch/light-request';
import { LightResponse } from './light-fetch/light-response';

/**
 * API Gateway HTTP API (payload 2.0) ⇄ the fetch objects Hono reads and returns, without undici: what Hono's
 * `hono/aws-lambda` `handle()` does for a v2 event (its EventV2Processor), step for step, with light classes.
 * test/aws/api-gateway-v2-edge.test.ts runs the same events through both and compares the results.
 */

type Result = Exclude<APIGatewayProxyResultV2, string> & { headers: Record<string, string>; body: string; statusCode: number };

/** undici's normalisation of a request method (fetch §2.2: the six standard ones upper-cased; CONNECT/TRACE/TRACK forbidden). */
function requestMethod(method: string): string {
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
  const upper = method.toUpperCase();
  if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') throw new TypeError(`'${method}' HTTP method is unsupported.`);
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}

/** Hono's adapter percent-encodes a header value with characters outside ASCII (a Headers value must be a ByteString). */
function sanitizeHeaderValue(value: string): string {
  return /[\u0080-\uffff]/.test(value) ? encodeURIComponent(value) : value;
}

/** The request, as `handle()` builds it: https://{domain}{rawPath}?{rawQueryString}, cookies joined, body decoded. */
export function toLightRequest(event: APIGatewayProxyEventV2): LightRequest {
  const domain = event.requestContext && 'domainName' in event.requestContext ? event.requestContext.domainName : event.headers?.host;
  const path = `https://${domain}${event.rawPath}`;
  const parsed = new URL(event.rawQueryString ? `${path}?${event.rawQueryString}` : path);
  if (parsed.username || parsed.password) throw new TypeError('Request cannot be constructed from a URL that includes credentials');
  const headers = new LightHeaders();
  if (Array.isArray(event.cookies)) headers.set('Cookie', event.cookies.join('; '));
  for (const [k, v] of Object.entries(event.headers ?? {})) if (v) headers.set(k, sanitizeHeaderValue(v));
  const method = requestMethod(event.requestContext.http.method);
  let body: Uint8Array | null = null;
  if (event.body) {
    body = event.isBase64Encoded ? decodeBase64(event.body) : new TextEncoder().encode(event.body);
    headers.set('content-length', body.length.toString());
    if (method === 'GET' || method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
  }
  return new LightRequest(parsed.href, method, headers, body);
}

/** What `handle()` answers when the event cannot become a Request (a TypeError: 400; anything else: 500). */
export function invalidRequestResponse(error: unknown): Response {
  return error instanceof TypeError
    ? new LightResponse('Invalid request', { status: 400 })
    : new LightResponse('Internal Server Error', { status: 500 });
}

/** Hono's default: every content type is binary except text/plain|html|css|javascript|csv and JSON or XML ones. */
function isContentTypeBinary(contentType: string): boolean {
  if (/^application\/vnd\.(?:apple\.installer|mozilla\.xul)\+xml\s*(?:;|$)/i.test(contentType)) return true;
  return !/^text\/(?:plain|html|css|javascript|csv)|(?:\/|\+)(?:json|xml)\s*(?:;|$)/i.test(contentType);
}

/** The result, as `handle()` makes it: binary bodies in base64, each Set-Cookie in `cookies`, other headers joined. */
export async function toResult(res: Response): Promise<Result> {
  const contentType = res.headers.get('content-type');
  const contentEncoding = res.headers.get('content-encoding');
  const isBase64Encoded =
    (contentType !== null && contentType !== '' && isContentTypeBinary(contentType)) ||
    (!!contentEncoding && !/^identity$/i.test(contentEncoding));
  const body = isBase64Encoded ? Buffer.from(await res.arrayBuffer()).toString('base64') : await res.text();
  const result: Result = { body, statusCode: res.status, isBase64Encoded, headers: {} };
  if (res.headers.has('set-cookie')) {
    result.cookies = res.headers.getSetCookie();
    res.headers.delete('set-cookie');
  }
  res.headers.forEach((value, key) => {
    result.headers[key] = value;
  });
  return result;
}
