/** Every route of the HTTP contract over real HTTP on 127.0.0.1, against the embedded on-disk store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS, claimAndAccept, sendGift, startTestServer, type TestServer, tempDataDir } from '../support/http-harness';

let t: TestServer;
let tmp: ReturnType<typeof tempDataDir>;
let n = 0;
/** A fresh user id per call, so tests never share state. */
const user = (role: string) => `${role}_${++n}`;

beforeAll(async () => {
  tmp = tempDataDir();
  t = await startTestServer({ dataDir: tmp.dir });
});
afterAll(async () => {
  await t.stop();
  tmp.remove();
});

const expectError = (r: { status: number; body: any }, status: number, code: string) => {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  expect(typeof r.body.error.message).toBe('string');
};

/** Recursively collects every key of a JSON value. */
const allKeys = (v: unknown): string[] =>
  Array.isArray(v) ? v.flatMap(allKeys) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...allKeys(x)]) : [];

describe('authentication and envelope', () => {
  it('POST /dev/login issues a token that authenticates later calls', async () => {
    const r = await t.api('POST', '/dev/login', { body: { userId: 'alice' } });
    expect(r.status).toBe(200);
    expect(r.body.token).toMatch(/^ey/);
    const products = await t.api('GET', '/products', { headers: { authorization: `Bearer ${r.body.token}` } });
    expect(products.status).toBe(200);
  });

  it('rejects a login without a valid user id with 422 and issues', async () => {
    const r = await t.api('POST', '/dev/login', { body: {} });
    expectError(r, 422, 'VALIDATION_FAILED');
    expect(r.body.error.issues[0].path).toBe('userId');
  });

  it('answers 401 without a token and with a forged one', async () => {
    expectError(await t.api('GET', '/products'), 401, 'UNAUTHENTICATED');
    expectError(
      await t.api('GET', '/products', { headers: { authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.AAAA' } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('answers malformed JSON with 400, a wrong content type with 415 and a body over 64 KiB with 413', async () => {
    expectError(await t.api('POST', '/gifts', { as: user('g'), rawBody: '{"skuId":' }), 400, 'MALFORMED_JSON');
    expectError(
      await t.api('POST', '/gifts', { as: user('g'), rawBody: 'skuId=x', headers: { 'content-type': 'text/plain' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const big = JSON.stringify({ skuId: 'sku_scarf_blue', message: 'x'.repeat(70 * 1024) });
    expectError(await t.api('POST', '/gifts', { as: user('g'), rawBody: big }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    expectError(await t.api('GET', '/nope', { as: user('g') }), 404, 'ROUTE_NOT_FOUND');
  });
});

describe('GET /products', () => {
  it('lists the demo catalog with giftable flags covering every rule', async () => {
    const r = await t.api('GET', '/products', { as: user('g') });
    expect(r.status).toBe(200);
    const byId = Object.fromEntries(r.body.products.map((p: any) => [p.id, p]));
    const scarf = byId.p_scarf;
    expect(scarf.giftable).toBe(true);
    expect(scarf.skus.length).toBeGreaterThanOrEqual(3);
    expect(scarf.skus.some((s: any) => s.stock === 0)).toBe(true);
    expect(new Set(scarf.skus.map((s: any) => s.priceFen)).size).toBeGreaterThan(1);
    expect(byId.p_massage_chair.giftable).toBe(false);
    expect(byId.p_gold_pendant).toMatchObject({ category: 'jewelry', giftable: false });
    expect(byId.p_english_course).toMatchObject({ category: 'education', giftable: false });
  });
});

describe('POST /gifts', () => {
  it('creates an unpaid gift (201)', async () => {
    const r = await t.api('POST', '/gifts', { as: user('g'), body: { skuId: 'sku_scarf_blue', message: '生日快乐' } });
    expect(r.status).toBe(201);
    expect(r.body.gift).toMatchObject({
      status: 'awaiting_payment',
      sku: { id: 'sku_scarf_blue' },
      priceFen: 29_900,
      message: '生日快乐',
    });
    expect(r.body.gift.id).toMatch(/^g_/);
    // The dev provider takes the money when an order is opened: POST /gifts opens none (POST /gifts/:id/pay does).
    expect(r.body.payment).toBeNull();
    expect((await t.server.deps.store.get(r.body.gift.id))?.payment).toBeNull();
  });

  it('rejects ineligible products with 422 GIFT_INELIGIBLE (over ¥10,000, jewelry, education)', async () => {
    for (const skuId of ['sku_chair_pro', 'sku_pendant', 'sku_course_30']) {
      expectError(await t.api('POST', '/gifts', { as: user('g'), body: { skuId } }), 422, 'GIFT_INELIGIBLE');
    }
  });

  it('rejects an out-of-stock style with 409 and an unknown SKU with 404', async () => {
    expectError(await t.api('POST', '/gifts', { as: user('g'), body: { skuId: 'sku_scarf_red' } }), 409, 'OUT_OF_STOCK');
    expectError(await t.api('POST', '/gifts', { as: user('g'), body: { skuId: 'sku_nope' } }), 404, 'SKU_NOT_FOUND');
  });

  it('accepts a 100-character message and rejects 101 characters with 422 issues', async () => {
    const ok = await t.api('POST', '/gifts', { as: user('g'), body: { skuId: 'sku_tea_250', message: '祝'.repeat(100) } });
    expect(ok.status).toBe(201);
    const tooLong = await t.api('POST', '/gifts', { as: user('g'), body: { skuId: 'sku_tea_250', message: '祝'.repeat(101) } });
    expectError(tooLong, 422, 'VALIDATION_FAILED');
    expect(tooLong.body.error.issues.map((i: any) => i.path)).toContain('message');
  });

  it('honours Idempotency-Key: a retry returns the same gift, a different body with the same key is rejected', async () => {
    const giver = user('g');
    const headers = { 'idempotency-key': 'order-7f3a-0001' };
    const first = await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_tea_250' }, headers });
    const retry = await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_tea_250' }, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.gift.id).toBe(first.body.gift.id);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expectError(await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_tea_250_tin' }, headers }), 422, 'IDEMPOTENCY_KEY_REUSED');
    const list = await t.api('GET', '/gifts?role=sent', { as: giver });
    expect(list.body.gifts).toHaveLength(1);
  });
});

describe('POST /gifts/:id/pay and the giver views', () => {
  it('pays and sends: status sent, expiresAt 24 h after sending, a claim token of ≥ 128 bits', async () => {
    const giver = user('g');
    const created = await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_scarf_blue' } });
    const paid = await t.api('POST', `/gifts/${created.body.gift.id}/pay`, { as: giver });
    expect(paid.status).toBe(200);
    expect(paid.body.gift.status).toBe('sent');
    expect(Date.parse(paid.body.gift.expiresAt) - Date.parse(paid.body.gift.sentAt)).toBe(86_400_000);
    const secret = paid.body.gift.claimToken.split('.')[1];
    expect(secret.length * 6).toBeGreaterThanOrEqual(128);
    const again = await t.api('POST', `/gifts/${created.body.gift.id}/pay`, { as: giver });
    expect(again.status).toBe(200);
    expect(again.body.gift.status).toBe('sent');
    expect(t.server.dev.payments!.listCharges().filter((c) => c.giftId === created.body.gift.id)).toHaveLength(1);
  });

  it("hides another giver's gift (404) and answers an unknown gift with 404", async () => {
    const { giftId } = await sendGift(t, user('g'));
    expectError(await t.api('GET', `/gifts/${giftId}`, { as: user('x') }), 404, 'GIFT_NOT_FOUND');
    expectError(await t.api('POST', `/gifts/${giftId}/pay`, { as: user('x') }), 404, 'GIFT_NOT_FOUND');
    expectError(await t.api('GET', '/gifts/g_doesnotexist0000000000', { as: user('x') }), 404, 'GIFT_NOT_FOUND');
  });

  it('lists sent and received gifts and validates the role', async () => {
    const giver = user('g');
    const friend = user('r');
    const { giftId, token } = await sendGift(t, giver);
    await t.api('POST', `/claims/${token}/claim`, { as: friend });
    const sent = await t.api('GET', '/gifts?role=sent', { as: giver });
    const received = await t.api('GET', '/gifts?role=received', { as: friend });
    expect(sent.body.gifts.map((g: any) => g.id)).toEqual([giftId]);
    expect(received.body.gifts.map((g: any) => g.id)).toEqual([giftId]);
    expect(JSON.stringify(received.body)).not.toMatch(/price|amount/i);
    expectError(await t.api('GET', '/gifts?role=stolen', { as: giver }), 422, 'VALIDATION_FAILED');
  });

  it("never shows the recipient's address, name or phone to the giver, but shows handoff progress", async () => {
    const giver = user('g');
    const { giftId, token } = await sendGift(t, giver);
    await claimAndAccept(t, user('r'), token);
    await t.api('POST', '/dev/sweep', { as: giver });
    const view = await t.api('GET', `/gifts/${giftId}`, { as: giver });
    expect(view.body.gift).toMatchObject({
      status: 'accepted',
      recipient: { claimed: true, addressProvided: true },
      handoff: { status: 'done', attempts: 1 },
    });
    const text = JSON.stringify(view.body);
    for (const secret of [ADDRESS.name, '13800138000', ADDRESS.detail, '110105']) expect(text).not.toContain(secret);
    expect(allKeys(view.body)).not.toContain('address');
  });
});

describe('claim link routes', () => {
  it('GET /claims/:token shows the card without any price, with same-price alternatives', async () => {
    const { token } = await sendGift(t, user('g'), 'sku_scarf_blue', '天冷了');
    const r = await t.api('GET', `/claims/${token}`, { as: user('r') });
    expect(r.status).toBe(200);
    expect(r.body.gift).toMatchObject({
      status: 'sent',
      product: { id: 'p_scarf', title: '羊绒围巾' },
      sku: { id: 'sku_scarf_blue' },
      message: '天冷了',
    });
    expect(r.body.gift.alternatives.map((a: any) => [a.skuId, a.inStock])).toEqual([
      ['sku_scarf_grey', true],
      ['sku_scarf_red', false],
    ]);
    expect(allKeys(r.body).filter((k) => /price|amount/i.test(k))).toEqual([]);
    expect(JSON.stringify(r.body)).not.toContain('29900');
  });

  it('answers an unknown, malformed or tampered token with the same 404 as a missing gift', async () => {
    const { token } = await sendGift(t, user('g'));
    const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const bad of [tampered, 'nonsense', 'g_doesnotexist0000000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '%00']) {
      const r = await t.api('GET', `/claims/${bad}`, { as: user('r') });
      expectError(r, 404, 'GIFT_NOT_FOUND');
      expect(r.body.error.message).toBe('gift not found');
    }
  });

  it('claim: 200 for the first claimer (idempotent), 409 for the next, 403 for the giver', async () => {
    const giver = user('g');
    const friend = user('r');
    const { token } = await sendGift(t, giver);
    expectError(await t.api('POST', `/claims/${token}/claim`, { as: giver }), 403, 'CANNOT_CLAIM_OWN_GIFT');
    const first = await t.api('POST', `/claims/${token}/claim`, { as: friend });
    expect(first.status).toBe(200);
    expect(first.body.gift).toMatchObject({ status: 'claimed', viewer: 'recipient' });
    expect((await t.api('POST', `/claims/${token}/claim`, { as: friend })).status).toBe(200);
    expectError(await t.api('POST', `/claims/${token}/claim`, { as: user('r') }), 409, 'ALREADY_CLAIMED');
  });

  it('address: 200 for the recipient (normalised, region resolved), 403 for others, 422 when invalid', async () => {
    const friend = user('r');
    const { token } = await sendGift(t, user('g'));
    await t.api('POST', `/claims/${token}/claim`, { as: friend });
    const ok = await t.api('PUT', `/claims/${token}/address`, { as: friend, body: ADDRESS });
    expect(ok.status).toBe(200);
    expect(ok.body.gift.address).toMatchObject({
      phone: '+8613800138000',
      regionCode: '110105',
      province: '北京市',
      district: '朝阳区',
    });
    expectError(await t.api('PUT', `/claims/${token}/address`, { as: user('x'), body: ADDRESS }), 403, 'NOT_RECIPIENT');
    const bad = await t.api('PUT', `/claims/${token}/address`, { as: friend, body: { ...ADDRESS, phone: '12345', regionCode: '999999' } });
    expectError(bad, 422, 'VALIDATION_FAILED');
    expect(bad.body.error.issues.map((i: any) => i.path).sort()).toEqual(['phone', 'regionCode']);
  });

  it('variant: same product and price in stock 200; other price/product 422; out of stock 409; after accept 409', async () => {
    const friend = user('r');
    const { token } = await sendGift(t, user('g'));
    await t.api('POST', `/claims/${token}/claim`, { as: friend });
    const swap = (skuId: string) => t.api('PUT', `/claims/${token}/variant`, { as: friend, body: { skuId } });
    expectError(await swap('sku_scarf_long'), 422, 'VARIANT_NOT_SAME_PRICE');
    expectError(await swap('sku_tea_250'), 422, 'VARIANT_NOT_SAME_PRODUCT');
    expectError(await swap('sku_scarf_red'), 409, 'OUT_OF_STOCK');
    expectError(await swap('sku_nope'), 404, 'SKU_NOT_FOUND');
    const ok = await swap('sku_scarf_grey');
    expect(ok.status).toBe(200);
    expect(ok.body.gift.sku.id).toBe('sku_scarf_grey');
    expect(ok.body.gift.swaps).toEqual([expect.objectContaining({ fromSkuId: 'sku_scarf_blue', toSkuId: 'sku_scarf_grey' })]);
    expectError(await t.api('PUT', `/claims/${token}/variant`, { as: user('x'), body: { skuId: 'sku_scarf_blue' } }), 403, 'NOT_RECIPIENT');
    await t.api('PUT', `/claims/${token}/address`, { as: friend, body: ADDRESS });
    expect((await t.api('POST', `/claims/${token}/accept`, { as: friend })).status).toBe(200);
    expectError(await swap('sku_scarf_blue'), 409, 'ALREADY_ACCEPTED');
  });

  it('accept: 422 without an address, 200 accepted with one, idempotent, handed off once', async () => {
    const friend = user('r');
    const { giftId, token } = await sendGift(t, user('g'));
    await t.api('POST', `/claims/${token}/claim`, { as: friend });
    expectError(await t.api('POST', `/claims/${token}/accept`, { as: friend }), 422, 'ADDRESS_REQUIRED');
    await t.api('PUT', `/claims/${token}/address`, { as: friend, body: ADDRESS });
    expectError(await t.api('POST', `/claims/${token}/accept`, { as: user('x') }), 403, 'NOT_RECIPIENT');
    const ok = await t.api('POST', `/claims/${token}/accept`, { as: friend });
    expect(ok.status).toBe(200);
    expect(ok.body.gift.status).toBe('accepted');
    expect((await t.api('POST', `/claims/${token}/accept`, { as: friend })).status).toBe(200);
    expectError(await t.api('POST', `/claims/${token}/decline`, { as: friend }), 409, 'ALREADY_ACCEPTED');
    await t.api('POST', '/dev/sweep', { as: friend });
    await t.api('POST', '/dev/sweep', { as: friend });
    const handoffs = (await t.api('GET', '/dev/fulfillments', { as: friend })).body.fulfillments.filter((f: any) => f.giftId === giftId);
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]).toMatchObject({ deliveries: 1, handoff: { is_present: true, openid: friend, address: { district: '朝阳区' } } });
  });

  it('decline: 200 declined, refunded once to the original payment; accept afterwards 409', async () => {
    const giver = user('g');
    const friend = user('r');
    const { giftId, token } = await sendGift(t, giver);
    await t.api('POST', `/claims/${token}/claim`, { as: friend });
    expectError(await t.api('POST', `/claims/${token}/decline`, { as: user('x') }), 403, 'NOT_RECIPIENT');
    const r = await t.api('POST', `/claims/${token}/decline`, { as: friend });
    expect(r.status).toBe(200);
    expect(r.body.gift.status).toBe('declined');
    expectError(await t.api('POST', `/claims/${token}/accept`, { as: friend }), 409, 'GIFT_DECLINED');
    await t.api('POST', '/dev/sweep', { as: giver });
    await t.api('POST', '/dev/sweep', { as: giver });
    const refunds = (await t.api('GET', '/dev/refunds', { as: giver })).body.refunds.filter((x: any) => x.giftId === giftId);
    const charge = t.server.dev.payments!.listCharges().find((c) => c.giftId === giftId)!;
    expect(refunds).toEqual([expect.objectContaining({ paymentId: charge.paymentId, amountFen: 29_900, reason: 'declined' })]);
    const view = await t.api('GET', `/gifts/${giftId}`, { as: giver });
    expect(view.body.gift.refund).toMatchObject({ status: 'done', reason: 'declined', amountFen: 29_900 });
  });

  it('serves an OpenAPI document derived from the contract', async () => {
    const r = await fetch(`${t.server.url}/openapi.json`);
    const doc = (await r.json()) as any;
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/gifts', '/gifts/{id}/pay', '/claims/{token}/claim', '/claims/{token}/address']),
    );
  });
});
