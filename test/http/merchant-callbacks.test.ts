/** The merchant's shipped/delivered callback: signed, fresh, applied once; anything else is refused with a code. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signWebhook } from '../../shared/domain/webhook-signature';
import * as contract from '../../shared/http/contract';
import { createHttpApp } from '../../shared/http/create-http-app';
import type { AnyRoute } from '../../shared/http/route';
import { claimAndAccept, sendGift, startTestServer, type TestServer, tempDataDir } from '../support/http-harness';
import { makeDeps } from '../support/memory-deps';

const SECRET = 'callback_secret_0123456789';
let t: TestServer;
let disabled: TestServer;
const tmp = tempDataDir();
const tmp2 = tempDataDir();
beforeAll(async () => {
  t = await startTestServer({ dataDir: tmp.dir, env: { MERCHANT_CALLBACK_SECRET: SECRET } });
  disabled = await startTestServer({ dataDir: tmp2.dir });
});
afterAll(async () => {
  await t.stop();
  await disabled.stop();
  tmp.remove();
  tmp2.remove();
});

const nowSeconds = () => Math.floor(t.clock.now().getTime() / 1000);
function post(server: TestServer, event: object, opts: { timestamp?: number; secret?: string; signature?: string; omit?: boolean } = {}) {
  const body = JSON.stringify(event);
  const ts = opts.timestamp ?? nowSeconds();
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (!opts.omit) {
    headers['x-songli-timestamp'] = String(ts);
    headers['x-songli-signature'] = opts.signature ?? signWebhook(opts.secret ?? SECRET, ts, body);
  }
  return server.api('POST', '/merchant/fulfillment-events', { rawBody: body, headers });
}
const code = (r: { status: number; body: any }) => `${r.status} ${r.body?.error?.code ?? 'OK'}`;

it('records shipped then delivered on an accepted gift; both parties see the progress, the giver still no address', async () => {
  const { giftId, token } = await sendGift(t, 'giver_m');
  await claimAndAccept(t, 'friend_m', token);
  const shipped = await post(t, {
    eventId: 'evt_1',
    giftId,
    type: 'shipped',
    occurredAt: '2026-11-24T09:00:00Z',
    carrier: '顺丰速运',
    trackingNumber: 'SF1234567890',
  });
  expect(shipped.status).toBe(200);
  expect(shipped.body.shipment).toMatchObject({ status: 'shipped', carrier: '顺丰速运', trackingNumber: 'SF1234567890' });
  expect(code(await post(t, { eventId: 'evt_2', giftId, type: 'delivered', occurredAt: '2026-11-25T09:00:00Z' }))).toBe('200 OK');
  // An older "shipped" arriving late does not move it back.
  expect(code(await post(t, { eventId: 'evt_0', giftId, type: 'shipped', occurredAt: '2026-11-24T08:59:00Z' }))).toBe('200 OK');

  const giverView = await t.api('GET', `/gifts/${giftId}`, { as: 'giver_m' });
  expect(giverView.body.gift.shipment).toMatchObject({
    status: 'delivered',
    deliveredAt: '2026-11-25T09:00:00Z',
    trackingNumber: 'SF1234567890',
  });
  expect(JSON.stringify(giverView.body)).not.toContain('朝阳路');
  const card = await t.api('GET', `/claims/${token}`, { as: 'friend_m' });
  expect(card.body.gift.shipment.status).toBe('delivered');
});

it('refuses a replay, a stale or future timestamp, a wrong or missing signature, and a tampered body', async () => {
  const { giftId, token } = await sendGift(t, 'giver_n');
  await claimAndAccept(t, 'friend_n', token);
  const event = { eventId: 'evt_r', giftId, type: 'shipped', occurredAt: '2026-11-24T09:00:00Z' };
  expect(code(await post(t, event))).toBe('200 OK');
  expect(code(await post(t, event))).toBe('409 WEBHOOK_REPLAYED');
  const fresh = { ...event, eventId: 'evt_s' };
  expect(code(await post(t, fresh, { timestamp: nowSeconds() - 301 }))).toBe('401 WEBHOOK_TIMESTAMP_STALE');
  expect(code(await post(t, fresh, { timestamp: nowSeconds() + 301 }))).toBe('401 WEBHOOK_TIMESTAMP_STALE');
  expect(code(await post(t, fresh, { secret: 'someone_else_0123456789' }))).toBe('401 WEBHOOK_SIGNATURE_INVALID');
  expect(code(await post(t, fresh, { omit: true }))).toBe('401 WEBHOOK_SIGNATURE_MISSING');
  const ts = nowSeconds();
  const signedForOther = signWebhook(SECRET, ts, JSON.stringify({ ...fresh, type: 'delivered' }));
  expect(code(await post(t, fresh, { timestamp: ts, signature: signedForOther }))).toBe('401 WEBHOOK_SIGNATURE_INVALID');
  expect(code(await post(t, fresh, { timestamp: nowSeconds() - 299 }))).toBe('200 OK');
});

it('refuses events for gifts that are not accepted or do not exist, and bad bodies', async () => {
  const { giftId } = await sendGift(t, 'giver_o');
  expect(code(await post(t, { eventId: 'evt_x', giftId, type: 'shipped', occurredAt: '2026-11-24T09:00:00Z' }))).toBe(
    '409 GIFT_NOT_ACCEPTED',
  );
  expect(code(await post(t, { eventId: 'evt_y', giftId: 'g_nope_nope_nope', type: 'shipped', occurredAt: '2026-11-24T09:00:00Z' }))).toBe(
    '404 GIFT_NOT_FOUND',
  );
  expect(code(await post(t, { eventId: 'evt_z', giftId, type: 'lost', occurredAt: 'yesterday' }))).toBe('422 VALIDATION_FAILED');
});

it('answers 403 CALLBACKS_DISABLED when no callback secret is configured', async () => {
  expect(code(await post(disabled, { eventId: 'e', giftId: 'g_abcd', type: 'shipped', occurredAt: '2026-11-24T09:00:00Z' }))).toBe(
    '403 CALLBACKS_DISABLED',
  );
});

it('refuses to build an app with a signature route that carries no signature check', () => {
  // A route for a 'signature' operation must come from signedRoute (tsc refuses route() for one): an object built past
  // the types stops the app at start-up rather than serving unsigned callbacks.
  const unchecked = {
    op: contract.fulfillmentEvent,
    handle: () => ({ body: { giftId: 'g', eventId: 'e', applied: true } }),
  } as unknown as AnyRoute;
  expect(() => createHttpApp({ deps: makeDeps(), identity: () => null, routes: [unchecked], callbackSecret: SECRET })).toThrow(
    "POST /merchant/fulfillment-events: a 'signature' route is built with signedRoute",
  );
});
