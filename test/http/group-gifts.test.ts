/**
 * 群发礼物 and 群礼物抽奖 over real HTTP on the local server (embedded dynalite on disk, the frozen clock): creating,
 * paying, claiming units, entering and drawing, the unit commands, the cleanup's batched refunds and the handoffs of
 * accepted units. Every answer is checked against the contract's response schemas by the harness.
 */
import { describe, expect, it } from 'vitest';
import { verifyDraw } from '../../scripts/verify-draw';
import { isGroupOrder } from '../../shared/domain/gift-document';
import type { GroupOrder } from '../../shared/domain/group-order';
import { ADDRESS, type ApiResponse, serverForFile, shipGift, type TestServer } from '../support/http-harness';

const PRICE = 29_900; // sku_scarf_blue
const CALLBACK_SECRET = 'merchant-callback-secret-0123456789';
const codeOf = (r: ApiResponse) => (r.status < 300 ? String(r.status) : `${r.status} ${r.body.error.code}`);

async function sendOrder(t: TestServer, giver: string, body: Record<string, unknown>) {
  const created = await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_scarf_blue', ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const paid = await t.api('POST', `/gifts/${created.body.gift.id}/pay`, { as: giver });
  expect(paid.status).toBe(200);
  return { orderId: created.body.gift.id as string, token: paid.body.gift.claimToken as string, created: created.body.gift };
}

async function storedOrder(t: TestServer, id: string): Promise<GroupOrder> {
  const doc = await t.server.deps.store.get(id);
  if (!doc || !isGroupOrder(doc)) throw new Error(`no order ${id}`);
  return doc;
}

const refundsOf = (t: TestServer, orderId: string) => t.server.dev.payments!.listRefunds().filter((r) => r.orderNo === orderId);

describe('群发礼物 and 群礼物抽奖 over HTTP', () => {
  const t = serverForFile({
    env: { LOTTERY_MIN_DELAY_SECONDS: '60', GROUP_MAX_QUANTITY: '20', MERCHANT_CALLBACK_SECRET: CALLBACK_SECRET },
  });

  it('refuses orders outside the rules with per-field issues', async () => {
    const post = (body: Record<string, unknown>) =>
      t.api('POST', '/gifts', { as: 'giver_rules', body: { skuId: 'sku_scarf_blue', ...body } });
    const later = (s: number) => new Date(Date.parse(t.clock.now().toISOString()) + s * 1000).toISOString();
    for (const [body, path] of [
      [{ mode: 'group' }, 'quantity'],
      [{ mode: 'group', quantity: 1 }, 'quantity'],
      [{ mode: 'group', quantity: 21 }, 'quantity'],
      [{ mode: 'group', quantity: 3, drawAt: later(3600) }, 'drawAt'],
      [{ mode: 'lottery', quantity: 3 }, 'drawAt'],
      [{ mode: 'lottery', quantity: 3, drawAt: later(59) }, 'drawAt'],
      [{ mode: 'lottery', quantity: 3, drawAt: later(86_401) }, 'drawAt'],
      [{ quantity: 2 }, 'quantity'],
    ] as const) {
      const r = await post(body);
      expect(codeOf(r), JSON.stringify(body)).toBe('422 INVALID_GROUP_ORDER');
      expect(r.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
    }
    expect(codeOf(await post({ mode: 'party', quantity: 2 }))).toBe('422 VALIDATION_FAILED');
    expect(codeOf(await post({ mode: 'group', quantity: 2.5 }))).toBe('422 VALIDATION_FAILED');
  });

  it('a group order: one payment of N × price, one unit per person, 409 ALL_CLAIMED after the last', async () => {
    const { orderId, token, created } = await sendOrder(t, 'giver_g', { mode: 'group', quantity: 3, message: '大家节日快乐' });
    expect(created).toMatchObject({ mode: 'group', quantity: 3, amountFen: 3 * PRICE, priceFen: PRICE, status: 'awaiting_payment' });
    expect((await storedOrder(t, orderId)).payment?.amountFen).toBe(3 * PRICE);

    const guest = await t.api('GET', `/claims/${token}`, { as: 'friend_a' });
    expect(guest.body.gift).toMatchObject({ mode: 'group', quantity: 3, unitsTaken: 0, unit: null, status: 'sent', viewer: 'guest' });
    expect(JSON.stringify(guest.body)).not.toContain(String(PRICE));

    expect(codeOf(await t.api('POST', `/claims/${token}/claim`, { as: 'giver_g' }))).toBe('403 CANNOT_CLAIM_OWN_GIFT');
    const a = await t.api('POST', `/claims/${token}/claim`, { as: 'friend_a' });
    expect(a.body.gift).toMatchObject({ viewer: 'recipient', status: 'claimed', unitsTaken: 1, unit: { unitNo: expect.any(Number) } });
    const again = await t.api('POST', `/claims/${token}/claim`, { as: 'friend_a' });
    expect(again.body.gift.unit).toEqual(a.body.gift.unit);
    const b = await t.api('POST', `/claims/${token}/claim`, { as: 'friend_b' });
    const c = await t.api('POST', `/claims/${token}/claim`, { as: 'friend_c' });
    expect(new Set([a, b, c].map((r) => r.body.gift.unit.unitNo)).size).toBe(3);
    expect(codeOf(await t.api('POST', `/claims/${token}/claim`, { as: 'friend_d' }))).toBe('409 ALL_CLAIMED');
    const late = await t.api('GET', `/claims/${token}`, { as: 'friend_d' });
    expect(late.body.gift).toMatchObject({ status: 'claimed', claimedBySomeoneElse: true, unitsTaken: 3, message: null });
    // Unit commands act on the caller's own unit only.
    expect(codeOf(await t.api('PUT', `/claims/${token}/address`, { as: 'friend_d', body: ADDRESS }))).toBe('403 NOT_RECIPIENT');
    expect(codeOf(await t.api('POST', `/claims/${token}/accept`, { as: 'friend_a' }))).toBe('422 ADDRESS_REQUIRED');
    const withAddress = await t.api('PUT', `/claims/${token}/address`, { as: 'friend_a', body: ADDRESS });
    expect(withAddress.body.gift.address).toMatchObject({ name: ADDRESS.name });
    const swapped = await t.api('PUT', `/claims/${token}/variant`, { as: 'friend_a', body: { skuId: 'sku_scarf_grey' } });
    expect(swapped.body.gift.sku.id).toBe('sku_scarf_grey');
    expect((await t.api('POST', `/claims/${token}/accept`, { as: 'friend_a' })).body.gift.status).toBe('accepted');
    expect(codeOf(await t.api('PUT', `/claims/${token}/variant`, { as: 'friend_a', body: { skuId: 'sku_scarf_blue' } }))).toBe(
      '409 ALREADY_ACCEPTED',
    );
    expect((await t.api('POST', `/claims/${token}/decline`, { as: 'friend_b' })).body.gift.status).toBe('declined');

    await t.server.runMaintenance();
    await t.server.runMaintenance();
    const handoffs = t.server.dev.fulfillmentSink!.list().filter((h) => h.handoff.giftId.startsWith(orderId));
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]!.handoff).toMatchObject({ skuId: 'sku_scarf_grey', originalSkuId: 'sku_scarf_blue', priceFen: PRICE });
    expect(handoffs[0]!.handoff.address.name).toBe(ADDRESS.name);
    // The merchant ships that unit (the handoff's giftId is the unit's id): its recipient sees the parcel.
    const unitId = handoffs[0]!.handoff.giftId;
    expect(unitId).toMatch(new RegExp(`^${orderId}-u\\d{3}$`));
    const shipped = await shipGift(t, unitId, CALLBACK_SECRET);
    expect(shipped.body).toMatchObject({ giftId: unitId, status: 'accepted', shipment: { status: 'shipped' } });
    expect(codeOf(await shipGift(t, unitId, CALLBACK_SECRET))).toBe('409 WEBHOOK_REPLAYED');
    const parcel = await t.api('GET', `/claims/${token}`, { as: 'friend_a' });
    expect(parcel.body.gift.shipment).toMatchObject({ status: 'shipped', trackingNumber: 'SF1234567890' });
    // The decline asked for a batch at once: one partial refund of one unit, under the order's first refund number.
    expect(refundsOf(t, orderId).map((r) => [r.refundNo, r.amountFen])).toEqual([[`${orderId}-r1`, PRICE]]);

    // The giver sees each unit's state, never an address.
    const view = await t.api('GET', `/gifts/${orderId}`, { as: 'giver_g' });
    expect(JSON.stringify(view.body)).not.toContain(ADDRESS.detail);
    expect(view.body.gift.group).toMatchObject({ unitsTaken: 3, unitsAccepted: 1, unitsRefunded: 1, refundedFen: PRICE });
    expect(view.body.gift.group.units.map((u: { status: string }) => u.status).sort()).toEqual(['accepted', 'claimed', 'declined']);

    // 24 hours after sending: friend_c's unit expires and is refunded in the final batch; the order is settled.
    t.clock.advanceSeconds(86_400);
    expect(codeOf(await t.api('POST', `/claims/${token}/accept`, { as: 'friend_c' }))).toBe('410 GIFT_EXPIRED');
    await t.server.runMaintenance();
    await t.server.runMaintenance();
    const order = await storedOrder(t, orderId);
    expect(order.status).toBe('settled');
    expect(refundsOf(t, orderId).map((r) => [r.refundNo, r.amountFen])).toEqual([
      [`${orderId}-r1`, PRICE],
      [`${orderId}-r2`, PRICE],
    ]);
    const settled = await t.api('GET', `/gifts/${orderId}`, { as: 'giver_g' });
    expect(settled.body.gift).toMatchObject({ status: 'accepted', claimToken: null });
    expect(settled.body.gift.group).toMatchObject({ status: 'settled', unitsAccepted: 1, unitsRefunded: 2, refundedFen: 2 * PRICE });
    // Refunds + handoffs = N units.
    expect(handoffs.length + settled.body.gift.group.unitsRefunded).toBe(3);
  });

  it('a lottery: commitment first, entries until drawAt, a draw anyone can check, the rest refunded', async () => {
    const drawAt = new Date(Date.parse(t.clock.now().toISOString()) + 600_000).toISOString();
    const { orderId, token, created } = await sendOrder(t, 'giver_l', { mode: 'lottery', quantity: 2, drawAt });
    expect(created.group.lottery).toMatchObject({ drawAt, drawn: false, winners: null });
    expect(created.group.lottery.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(created.group.lottery.seed).toBeUndefined();

    expect(codeOf(await t.api('POST', `/claims/${token}/enter`, { as: 'giver_l' }))).toBe('403 CANNOT_CLAIM_OWN_GIFT');
    expect(codeOf(await t.api('POST', `/claims/${token}/claim`, { as: 'player_1' }))).toBe('403 NOT_RECIPIENT');
    const entered = await Promise.all(['player_1', 'player_2', 'player_3'].map((u) => t.api('POST', `/claims/${token}/enter`, { as: u })));
    for (const r of entered) expect(r.body.gift.lottery).toMatchObject({ entered: true, drawn: false, entrantHash: expect.any(String) });
    const repeat = await t.api('POST', `/claims/${token}/enter`, { as: 'player_1' });
    expect(repeat.body.gift.lottery.entrantHash).toBe(entered[0]!.body.gift.lottery.entrantHash);
    t.clock.advanceSeconds(5); // the count shown is shared for 5 s
    expect((await t.api('GET', `/claims/${token}`, { as: 'player_9' })).body.gift.lottery).toMatchObject({ entrants: 3, entered: false });
    expect((await t.api('GET', `/gifts/${orderId}`, { as: 'giver_l' })).body.gift.group.lottery).toMatchObject({ entrants: 3 });
    expect(codeOf(await t.api('GET', `/claims/${token}/draw`, { as: 'player_1' }))).toBe('409 NOT_DRAWN');

    t.clock.advanceSeconds(595);
    expect(codeOf(await t.api('POST', `/claims/${token}/enter`, { as: 'player_4' }))).toBe('409 DRAW_CLOSED');
    await t.server.runMaintenance(); // within the grace: nothing drawn yet
    expect((await storedOrder(t, orderId)).lottery?.drawnAt).toBeNull();
    t.clock.advanceSeconds(60);
    await t.server.runMaintenance();
    await t.server.runMaintenance();

    const cards = await Promise.all(['player_1', 'player_2', 'player_3'].map((u) => t.api('GET', `/claims/${token}`, { as: u })));
    const winners = cards.filter((c) => c.body.gift.lottery.won);
    const losers = cards.filter((c) => c.body.gift.lottery.won === false);
    expect([winners.length, losers.length]).toEqual([2, 1]);
    for (const w of winners)
      expect(w.body.gift).toMatchObject({ viewer: 'recipient', status: 'claimed', unit: { unitNo: expect.any(Number) } });
    expect(losers[0]!.body.gift).toMatchObject({ viewer: 'guest', unit: null });

    const { body } = await t.api('GET', `/claims/${token}/draw`, { as: 'player_3' });
    expect(verifyDraw(body.draw).problems).toEqual([]);
    expect(body.draw.entrants).toHaveLength(3);
    expect(JSON.stringify(body)).not.toMatch(/player_/);
    expect(body.draw.commitment).toBe(created.group.lottery.commitment);
    const winnerHashes = winners.map((w) => w.body.gift.lottery.entrantHash);
    expect([...body.draw.winners].sort()).toEqual(winnerHashes.sort());

    // Everyone entered, so nothing was refunded at the draw; one winner accepts, the other lets it expire.
    const first = cards.indexOf(winners[0]!);
    const player = `player_${first + 1}`;
    await t.api('PUT', `/claims/${token}/address`, { as: player, body: ADDRESS });
    expect((await t.api('POST', `/claims/${token}/accept`, { as: player })).body.gift.status).toBe('accepted');
    t.clock.advanceSeconds(86_400);
    await t.server.runMaintenance();
    await t.server.runMaintenance();
    expect((await storedOrder(t, orderId)).status).toBe('settled');
    expect(refundsOf(t, orderId).map((r) => [r.refundNo, r.amountFen])).toEqual([[`${orderId}-r1`, PRICE]]);
    expect(t.server.dev.fulfillmentSink!.list().filter((h) => h.handoff.giftId.startsWith(orderId))).toHaveLength(1);
  });

  it('a lottery nobody entered is refunded whole by its draw', async () => {
    const drawAt = new Date(Date.parse(t.clock.now().toISOString()) + 120_000).toISOString();
    const { orderId } = await sendOrder(t, 'giver_empty', { mode: 'lottery', quantity: 4, drawAt });
    t.clock.advanceSeconds(180);
    await t.server.runMaintenance();
    await t.server.runMaintenance();
    const order = await storedOrder(t, orderId);
    expect(order).toMatchObject({ status: 'settled', lottery: { entrantCount: 0, winners: [] } });
    expect(refundsOf(t, orderId).map((r) => [r.refundNo, r.amountFen])).toEqual([[`${orderId}-r1`, 4 * PRICE]]);
  });

  it('an unpaid order is canceled when its window closes; the giver may cancel one too', async () => {
    const created = await t.api('POST', '/gifts', { as: 'giver_u', body: { skuId: 'sku_scarf_blue', mode: 'group', quantity: 2 } });
    const canceled = await t.api('POST', `/gifts/${created.body.gift.id}/cancel`, { as: 'giver_u' });
    expect(canceled.body.gift).toMatchObject({ status: 'canceled', mode: 'group' });
    const other = await t.api('POST', '/gifts', { as: 'giver_u', body: { skuId: 'sku_scarf_blue', mode: 'group', quantity: 2 } });
    t.clock.advanceSeconds(3_600);
    await t.server.runMaintenance();
    expect((await storedOrder(t, other.body.gift.id)).status).toBe('canceled');
    const list = await t.api('GET', '/gifts?role=sent', { as: 'giver_u' });
    expect(list.body.gifts.map((g: { status: string; mode: string }) => `${g.mode}:${g.status}`)).toEqual([
      'group:canceled',
      'group:canceled',
    ]);
  });
});
