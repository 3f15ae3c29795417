/**
 * GET /claims/:token answers a card written once while nothing changes (shared/use-cases/serialized-views.ts): on
 * the stores that hand out frozen documents, every change still shows at the next read.
 */
import { describe, expect, it } from 'vitest';
import { claimView } from '../../shared/domain/gift-views';
import { iso } from '../../shared/domain/time';
import { sendGift, serverForFile } from '../support/http-harness';

describe.each(['memory', 'leveldb'])('claim cards read again and again on the %s store', (store) => {
  const t = serverForFile({ env: { LOCAL_STORE: store } });

  it('shows each caller their own card, a stock change, a claim and an expiry at the next read', async () => {
    const { token } = await sendGift(t, 'giver_c', 'sku_scarf_blue');
    const read = async (as: string) => {
      const r = await t.api('GET', `/claims/${token}`, { as });
      expect(r.status).toBe(200);
      return r.body.gift;
    };
    const guest = await read('friend_c');
    expect(await read('friend_c')).toEqual(guest);
    expect(guest).toMatchObject({ status: 'sent', viewer: 'guest' });
    expect((await read('giver_c')).viewer).toBe('giver');
    expect((await read('friend_c')).viewer).toBe('guest');

    const grey = () => guest.alternatives.find((a: { skuId: string }) => a.skuId === 'sku_scarf_grey');
    expect(grey()).toMatchObject({ inStock: true });
    t.server.catalog.setStock('sku_scarf_grey', 0);
    const afterStock = await read('friend_c');
    expect(afterStock.alternatives.find((a: { skuId: string }) => a.skuId === 'sku_scarf_grey')).toMatchObject({ inStock: false });
    t.server.catalog.setStock('sku_scarf_grey', 30);

    expect((await t.api('POST', `/claims/${token}/claim`, { as: 'friend_c' })).status).toBe(200);
    expect(await read('friend_c')).toMatchObject({ status: 'claimed', viewer: 'recipient' });
    expect(await read('friend_c')).toMatchObject({ status: 'claimed', viewer: 'recipient' });

    t.clock.advanceSeconds(8 * 24 * 3600); // past any claim window: the same stored gift now reads as expired
    expect((await read('friend_c')).status).toBe('expired');
  });
  it('answers every read byte for byte as a card built afresh from the stored gift and the catalog', async () => {
    const { giftId, token } = await sendGift(t, 'giver_f', 'sku_scarf_blue', '生日快乐');
    const { deps } = t.server;
    t.server.catalog.setStock('sku_scarf_grey', 7); // whatever an earlier test left
    // The response's JSON (parsed and written again: the same bytes) against a card built now, nothing reused.
    const same = async (as: string) => {
      const r = await t.api('GET', `/claims/${token}`, { as });
      expect(r.status).toBe(200);
      const gift = await deps.store.get(giftId);
      const product = await deps.catalog.getProduct(gift!.productId);
      const fresh = claimView(gift as Parameters<typeof claimView>[0], product, as, iso(deps.clock.now()));
      expect(JSON.stringify(r.body)).toBe(JSON.stringify({ gift: fresh }));
    };
    for (const as of ['friend_f', 'friend_f', 'giver_f', 'friend_f', 'stranger_f']) await same(as);
    t.server.catalog.setStock('sku_scarf_grey', 0);
    await same('friend_f');
    await same('giver_f');
    t.server.catalog.setStock('sku_scarf_grey', 5);
    await same('friend_f');
    expect((await t.api('POST', `/claims/${token}/claim`, { as: 'friend_f' })).status).toBe(200);
    for (const as of ['friend_f', 'friend_f', 'giver_f', 'stranger_f', 'friend_f']) await same(as);
    t.clock.advanceSeconds(8 * 24 * 3600);
    for (const as of ['friend_f', 'friend_f', 'giver_f', 'stranger_f']) await same(as);
  });
});
