/**
 * GET /claims/:token answers a card written once while nothing changes (shared/use-cases/serialized-views.ts): on
 * the stores that hand out frozen documents, every change still shows at the next read.
 */
import { describe, expect, it } from 'vitest';
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
});
