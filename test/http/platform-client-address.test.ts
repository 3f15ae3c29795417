/**
 * Each platform's edge names the client the preview's limiter counts: API Gateway's sourceIp on AWS (a forged
 * X-Forwarded-For changes nothing), on CloudBase WX_CLIENTIP when CloudBase sets it, else the X-Forwarded-For entry
 * its access service appended (the last). Driven through the real Lambda and CloudBase edges with in-memory deps.
 */
import type { Context } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import previewRoute from '../../functions/preview-claim/handler';
import { lambdaHttpHandler } from '../../shared/platform/aws/lambda-http';
import { cloudbaseHttpMain } from '../../shared/platform/cloudbase/cloudbase-http';
import { createGift } from '../../shared/use-cases/create-gift';
import { payGift } from '../../shared/use-cases/pay-gift';
import { httpApiEvent } from '../support/aws-events';
import { integrationRequest, scfContext } from '../support/cloudbase-context';
import { type MemoryDeps, makeDeps } from '../support/memory-deps';

let deps: MemoryDeps;
let token: string;
let giftId: string;
beforeEach(async () => {
  deps = makeDeps();
  const { gift } = await createGift(deps, { giverId: 'giver', body: { skuId: 'sku_scarf_blue', message: null } });
  giftId = gift.id;
  token = (await payGift(deps, 'giver', gift.id)).claimToken!;
});
const runtime = async () => ({ deps, callbackSecret: null });
const misses = (n: number) => Array.from({ length: n }, (_, i) => `${giftId}.${String(i).padStart(32, 'm')}`);
const MAX = 20;

describe('AWS: requestContext.http.sourceIp', () => {
  const handler = lambdaHttpHandler([previewRoute], runtime);
  const get = async (t: string, sourceIp: string, forwardedFor: string) => {
    const event = httpApiEvent({
      method: 'GET',
      routeKey: '/claims/{token}/preview',
      path: `/claims/${t}/preview`,
      pathParameters: { token: t },
      headers: { 'x-forwarded-for': forwardedFor },
    });
    event.requestContext.http.sourceIp = sourceIp;
    return (await handler(event, {} as Context)) as { statusCode: number };
  };

  it('limits by the address API Gateway saw, whatever X-Forwarded-For claims', async () => {
    for (const [i, t] of misses(MAX).entries()) expect((await get(t, '198.51.100.1', `10.0.0.${i}`)).statusCode).toBe(404);
    expect((await get(token, '198.51.100.1', '10.9.9.9')).statusCode).toBe(429);
    expect((await get(token, '198.51.100.2', '198.51.100.1')).statusCode).toBe(200);
  });
});

describe('CloudBase', () => {
  // A warm instance keeps its app (and so its deps): one per test, as each test has deps of its own.
  let main: ReturnType<typeof cloudbaseHttpMain>;
  beforeEach(() => {
    main = cloudbaseHttpMain([previewRoute], runtime);
  });
  const viaHttp = async (t: string, forwardedFor: string, context: unknown = scfContext('preview-claim')) =>
    (await main(integrationRequest('GET', `/claims/${t}/preview`, { headers: { 'x-forwarded-for': forwardedFor } }), context)) as {
      statusCode: number;
    };

  it('over HTTP access: the last X-Forwarded-For entry, so a forged first entry changes nothing', async () => {
    for (const [i, t] of misses(MAX).entries()) expect((await viaHttp(t, `10.0.0.${i}, 198.51.100.7`)).statusCode).toBe(404);
    expect((await viaHttp(token, '198.51.100.7')).statusCode).toBe(429);
    expect((await viaHttp(token, '198.51.100.7, 198.51.100.8')).statusCode).toBe(200);
  });

  it('WX_CLIENTIP, where CloudBase sets it, wins over the header', async () => {
    const withClientIp = scfContext('preview-claim', 'o_someone'); // WX_CLIENTIP 203.0.113.9
    for (const [i, t] of misses(MAX).entries()) expect((await viaHttp(t, `198.51.100.${i}`, withClientIp)).statusCode).toBe(404);
    expect((await viaHttp(token, '198.51.100.99', withClientIp)).statusCode).toBe(429);
    expect((await viaHttp(token, '203.0.113.9')).statusCode).toBe(429); // the same client, seen through the header
    expect((await viaHttp(token, '198.51.100.99')).statusCode).toBe(200);
  });
});
