/** Lambda events shaped as AWS documents them (HTTP API payload format 2.0 with a JWT authorizer; EventBridge scheduled event). */

import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context, ScheduledEvent } from 'aws-lambda';

const API_ID = 'a1b2c3d4e5';
const DOMAIN = `${API_ID}.execute-api.ap-northeast-1.amazonaws.com`;
/** The HTTP API's own endpoint: the issuer of the app's tokens, which its JWT authorizer trusts (serverless.yml). */
export const HTTP_API_URL = `https://${DOMAIN}`;

export function httpApiEvent(opts: {
  method: string;
  routeKey: string;
  path: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** The body exactly as sent (signed requests); wins over `body`. */
  rawBody?: string;
  sub?: string;
  headers?: Record<string, string>;
}): APIGatewayProxyEventV2WithJWTAuthorizer {
  const now = new Date();
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  const rawQueryString = new URLSearchParams(opts.query ?? {}).toString();
  const event = {
    version: '2.0',
    routeKey: `${opts.method} ${opts.routeKey}`,
    rawPath: opts.path,
    rawQueryString,
    headers: {
      accept: 'application/json',
      'content-length': String(body === undefined ? 0 : Buffer.byteLength(body)),
      host: DOMAIN,
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) MicroMessenger/8.0.50',
      'x-amzn-trace-id': `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomUUID().replace(/-/g, '').slice(0, 24)}`,
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(opts.sub ? { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.verified-by-api-gateway.sig' } : {}),
      ...opts.headers,
    },
    queryStringParameters: opts.query,
    pathParameters: opts.pathParameters,
    requestContext: {
      accountId: '123456789012',
      apiId: API_ID,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: {
          claims: opts.sub
            ? {
                sub: opts.sub,
                iss: HTTP_API_URL,
                aud: 'songli',
                exp: String(Math.floor(now.getTime() / 1000) + 3600),
              }
            : {},
          scopes: [],
        },
      },
      domainName: DOMAIN,
      domainPrefix: API_ID,
      http: { method: opts.method, path: opts.path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'MicroMessenger/8.0.50' },
      requestId: randomUUID(),
      routeKey: `${opts.method} ${opts.routeKey}`,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export function scheduledEvent(ruleName: string): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'ap-northeast-1',
    resources: [`arn:aws:events:ap-northeast-1:123456789012:rule/${ruleName}`],
    detail: {},
  };
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:ap-northeast-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/24/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
