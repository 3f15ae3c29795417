/**
 * A real race: many users claim one gift at once over HTTP; the embedded store's compare-and-set picks one.
 * Run on both local stores (dynalite's conditional put, LevelDB's per-gift lock).
 */
import { describe, expect, it } from 'vitest';
import { sendGift, serverForFile } from '../support/http-harness';

describe.each(['dynalite', 'leveldb'])('LOCAL_STORE=%s', (store) => {
  const t = serverForFile({ env: { LOCAL_STORE: store } });

  it('lets exactly one of 60 concurrent claimers win; all others get 409 ALREADY_CLAIMED', async () => {
    const { giftId, token } = await sendGift(t, 'giver_race');
    const claimers = Array.from({ length: 60 }, (_, i) => `claimer_${i}`);
    // Log everyone in first so the claims themselves start together.
    await Promise.all(claimers.map((c) => t.login(c)));
    const answers = await Promise.all(claimers.map((c) => t.api('POST', `/claims/${token}/claim`, { as: c }).then((r) => ({ c, ...r }))));

    const winners = answers.filter((a) => a.status === 200);
    expect(winners).toHaveLength(1);
    const losers = answers.filter((a) => a.status !== 200);
    expect(losers.map((l) => `${l.status} ${l.body.error.code}`)).toEqual(Array(59).fill('409 ALREADY_CLAIMED'));

    const winner = winners[0]!.c;
    const received = await t.api('GET', '/gifts?role=received', { as: winner });
    expect(received.body.gifts.map((g: any) => g.id)).toEqual([giftId]);
    const gift = await t.server.deps.store.get(giftId);
    expect(gift).toMatchObject({ status: 'claimed', recipientId: winner, version: 3 });
    // One claim notification recorded, not sixty.
    expect(gift!.effects.filter((e) => e.id === 'notify:gift_claimed')).toHaveLength(1);
  });

  it('settles a concurrent accept and decline by the recipient to exactly one outcome', async () => {
    const { giftId, token } = await sendGift(t, 'giver_race2');
    await t.api('POST', `/claims/${token}/claim`, { as: 'friend_race2' });
    await t.api('PUT', `/claims/${token}/address`, {
      as: 'friend_race2',
      body: { name: '王五', phone: '13900139000', regionCode: '310104', detail: '漕溪北路 88 号' },
    });
    const [a, d] = await Promise.all([
      t.api('POST', `/claims/${token}/accept`, { as: 'friend_race2' }),
      t.api('POST', `/claims/${token}/decline`, { as: 'friend_race2' }),
    ]);
    expect([a.status, d.status].filter((s) => s === 200)).toHaveLength(1);
    const gift = (await t.server.deps.store.get(giftId))!;
    expect(gift.effects.filter((e) => e.kind === 'handoff' || e.kind === 'refund')).toHaveLength(1);
  });
});
