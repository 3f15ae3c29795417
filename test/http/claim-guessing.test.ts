/** Token guessing is limited per caller: after 20 misses in 10 minutes every claim lookup answers 429, on every local store. */
import { describe, expect, it } from 'vitest';
import { sendGift, serverForFile } from '../support/http-harness';

describe.each(['dynalite', 'leveldb', 'memory'])('claim links on the %s store', (store) => {
  const t = serverForFile({ env: { LOCAL_STORE: store } });

  it('stops a caller after 20 misses (even on a real link), leaves others alone, and lets them back after the window', async () => {
    const { token } = await sendGift(t, 'giver_g');
    // Read first: the caller's counter is known (and mirrored where a store mirrors it) before the misses count.
    expect((await t.api('GET', `/claims/${token}`, { as: 'guesser' })).status).toBe(200);
    const guesses = Array.from({ length: 20 }, (_, i) => `${token.split('.')[0]}.${String(i).padStart(32, 'x')}`);
    for (const g of guesses) expect((await t.api('GET', `/claims/${g}`, { as: 'guesser' })).status).toBe(404);

    const blocked = await t.api('GET', `/claims/${token}`, { as: 'guesser' });
    expect({ status: blocked.status, code: blocked.body.error.code }).toEqual({ status: 429, code: 'RATE_LIMITED' });
    expect((await t.api('POST', `/claims/${token}/claim`, { as: 'guesser' })).status).toBe(429);
    expect((await t.api('GET', `/claims/${token}`, { as: 'honest_friend' })).status).toBe(200);

    t.clock.advanceSeconds(600);
    expect((await t.api('POST', `/claims/${token}/claim`, { as: 'guesser' })).status).toBe(200);
  });

  it('answers 404 for a link that was opened before the giver replaced it, and counts it as a miss', async () => {
    const { giftId, token } = await sendGift(t, 'giver_r');
    expect((await t.api('GET', `/claims/${token}`, { as: 'friend_r' })).status).toBe(200);
    const reissued = await t.api('POST', `/gifts/${giftId}/claim-link`, { as: 'giver_r' });
    expect(reissued.status).toBe(200);
    const fresh = reissued.body.gift.claimToken as string;
    expect(fresh).toMatch(/^g_/);
    expect(fresh).not.toBe(token);
    for (let i = 0; i < 20; i++) expect((await t.api('GET', `/claims/${token}`, { as: 'friend_r' })).status).toBe(404);
    expect((await t.api('GET', `/claims/${fresh}`, { as: 'friend_r' })).status).toBe(429);
    expect((await t.api('GET', `/claims/${fresh}`, { as: 'friend_s' })).status).toBe(200);
  });
});
