/** Data, login tokens and the dev receivers' journals survive a server restart on the same DATA_DIR. */
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { ADDRESS, sendGift, startTestServer, T0, tempDataDir } from '../support/http-harness';

const tmp = tempDataDir();
afterAll(() => tmp.remove());

it.each(['dynalite', 'leveldb'])(
  'continues a gift across a restart on LOCAL_STORE=%s: same state, same claim link, same login token',
  async (store) => {
    const clock = new FixedClock(T0);
    const dataDir = join(tmp.dir, store);
    const env = { LOCAL_STORE: store };
    const first = await startTestServer({ dataDir, clock, env });
    const { giftId, token } = await sendGift(first, 'giver_p', 'sku_tea_250', '新年好');
    await first.api('POST', `/claims/${token}/claim`, { as: 'friend_p' });
    await first.api('PUT', `/claims/${token}/address`, { as: 'friend_p', body: ADDRESS });
    const friendToken = await first.login('friend_p');
    const before = await first.api('GET', `/gifts/${giftId}`, { as: 'giver_p' });
    await first.stop();

    const second = await startTestServer({ dataDir, clock, env });
    try {
      const after = await second.api('GET', `/gifts/${giftId}`, { as: 'giver_p' });
      expect(after.body).toEqual(before.body);
      const auth = { authorization: `Bearer ${friendToken}` };
      const swap = await second.api('PUT', `/claims/${token}/variant`, { headers: auth, body: { skuId: 'sku_tea_250_tin' } });
      expect(swap.status).toBe(200);
      const accept = await second.api('POST', `/claims/${token}/accept`, { headers: auth });
      expect(accept.body.gift).toMatchObject({ status: 'accepted', sku: { id: 'sku_tea_250_tin' }, address: { detail: ADDRESS.detail } });
      expect(second.server.dev.payments!.listCharges().map((c) => c.giftId)).toEqual([giftId]);
      const sent = await second.api('GET', '/gifts?role=sent', { as: 'giver_p' });
      expect(sent.body.gifts.map((g: any) => g.id)).toEqual([giftId]);
    } finally {
      await second.stop();
    }
  },
);
