/**
 * Real races over HTTP on 127.0.0.1 against the embedded on-disk store: every request is in flight at once
 * and the store's compare-and-set decides. Each test prints the counts RELIABILITY.md reports. Runs on both
 * local stores: dynalite (DynamoDB's conditional writes) and LevelDB (per-gift lock + atomic batch).
 */
import { describe, expect, it } from 'vitest';
import type { Gift } from '../../shared/domain/gift';
import { ADDRESS, sendGift, serverForFile } from '../support/http-harness';

const tally = (codes: string[]) => Object.fromEntries([...new Set(codes)].sort().map((c) => [c, codes.filter((x) => x === c).length]));
/** Starts a request after 0–`maxMs` ms, so which of two racers reaches the store first varies run to run. */
const jittered = <T>(maxMs: number, send: () => Promise<T>) =>
  new Promise<T>((resolve, reject) => setTimeout(() => send().then(resolve, reject), Math.random() * maxMs));
const codeOf = (r: { status: number; body: any }) => (r.status === 200 ? '200' : `${r.status} ${r.body.error.code}`);

describe.each(['dynalite', 'leveldb'])('races on LOCAL_STORE=%s', (store) => {
  const t = serverForFile({ env: { LOCAL_STORE: store } });

  async function claimedWithAddress(giver: string, friend: string, skuId = 'sku_scarf_blue') {
    const g = await sendGift(t, giver, skuId);
    await t.api('POST', `/claims/${g.token}/claim`, { as: friend });
    await t.api('PUT', `/claims/${g.token}/address`, { as: friend, body: ADDRESS });
    return g;
  }

  it('1,000 concurrent claimers on one gift: exactly one winner', async () => {
    const { giftId, token } = await sendGift(t, 'giver_1k');
    const users = Array.from({ length: 1000 }, (_, i) => `claimer_${i}`);
    await Promise.all(users.map((u) => t.login(u)));
    const started = performance.now();
    const answers = await Promise.all(
      users.map((u) => t.api('POST', `/claims/${token}/claim`, { as: u }).then((r) => ({ u, code: codeOf(r) }))),
    );
    const ms = Math.round(performance.now() - started);
    const counts = tally(answers.map((a) => a.code));
    console.log(`race [${store}]: 1000 concurrent claimers → ${JSON.stringify(counts)} in ${ms} ms`);
    expect(counts).toEqual({ '200': 1, '409 ALREADY_CLAIMED': 999 });
    const gift = (await t.server.deps.store.get(giftId)) as Gift;
    expect(gift.recipientId).toBe(answers.find((a) => a.code === '200')!.u);
    expect(gift.effects.filter((e) => e.id === 'notify:gift_claimed')).toHaveLength(1);
  }, 120_000);

  it('claim vs cleanup at the expiry instant: the gift expires once, no claim gets through, one refund', async () => {
    const gifts = await Promise.all(Array.from({ length: 40 }, (_, i) => sendGift(t, `giver_exp_${i}`)));
    const before = t.clock.now();
    t.clock.advanceSeconds(86_400); // exactly sentAt + 24 h for every gift (the clock is frozen)
    const [claims, sweep] = await Promise.all([
      Promise.all(gifts.map((g, i) => t.api('POST', `/claims/${g.token}/claim`, { as: `late_${i}` }).then(codeOf))),
      t.server.runMaintenance(),
    ]);
    await t.server.runMaintenance();
    const counts = tally(claims);
    const docs = await Promise.all(gifts.map((g) => t.server.deps.store.get(g.giftId)));
    const refunds = t.server.dev.payments!.listRefunds().filter((r) => gifts.some((g) => g.giftId === r.giftId));
    console.log(
      `race [${store}]: 40 claims vs cleanup at the expiry instant → claims ${JSON.stringify(counts)}, ` +
        `cleanup expired ${(sweep.sweep['sweep-gifts'] as any).expired}, refunds ${refunds.length}`,
    );
    expect(counts).toEqual({ '410 GIFT_EXPIRED': 40 });
    expect(
      docs.every(
        (d) => d!.status === 'expired' && d!.recipientId === null && d!.expiredAt === new Date(before.getTime() + 86_400_000).toISOString(),
      ),
    ).toBe(true);
    expect(refunds).toHaveLength(40);
    expect(new Set(refunds.map((r) => r.giftId)).size).toBe(40);
  });

  it('claim one millisecond before the expiry instant wins; the cleanup leaves it, then expires it a millisecond later', async () => {
    const gifts = await Promise.all(Array.from({ length: 20 }, (_, i) => sendGift(t, `giver_edge_${i}`)));
    t.clock.advanceSeconds(86_400 - 0.001);
    const [claims] = await Promise.all([
      Promise.all(gifts.map((g, i) => t.api('POST', `/claims/${g.token}/claim`, { as: `edge_${i}` }).then(codeOf))),
      t.server.runMaintenance(),
    ]);
    expect(tally(claims)).toEqual({ '200': 20 });
    t.clock.advanceSeconds(0.001);
    const report = await t.server.runMaintenance();
    console.log(
      `race [${store}]: 20 claims 1 ms before expiry → all claimed; ` +
        `1 ms later the cleanup expired ${(report.sweep['sweep-gifts'] as any).expired}`,
    );
    expect((report.sweep['sweep-gifts'] as any).expired).toBe(20);
  });

  it('swap vs accept: either the swap lands first and ships, or it is refused; never a swap after acceptance', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { giftId, token } = await claimedWithAddress(`giver_sa_${i}`, `friend_sa_${i}`);
      const [swap, accept] = await Promise.all([
        jittered(4, () => t.api('PUT', `/claims/${token}/variant`, { as: `friend_sa_${i}`, body: { skuId: 'sku_scarf_grey' } })),
        jittered(4, () => t.api('POST', `/claims/${token}/accept`, { as: `friend_sa_${i}` })),
      ]);
      expect(accept.status).toBe(200);
      const gift = (await t.server.deps.store.get(giftId)) as Gift;
      if (swap.status === 200) {
        expect(gift.skuId).toBe('sku_scarf_grey');
        expect(gift.swaps[0]!.at <= gift.acceptedAt!).toBe(true);
      } else {
        expect(codeOf(swap)).toBe('409 ALREADY_ACCEPTED');
        expect(gift.skuId).toBe('sku_scarf_blue');
        expect(gift.swaps).toEqual([]);
      }
      outcomes.push(swap.status === 200 ? 'swap then accept' : 'accept then swap refused');
    }
    await t.server.runMaintenance();
    for (const h of t.server.dev.fulfillmentSink!.list().filter((x) => x.giftId.length > 0 && x.handoff.openid.startsWith('friend_sa_'))) {
      const gift = (await t.server.deps.store.get(h.giftId))!;
      expect(h.handoff.skuId).toBe(gift.skuId); // what ships is what the recipient ended up with
    }
    console.log(`race [${store}]: 40 × swap vs accept → ${JSON.stringify(tally(outcomes))}`);
  });

  it('decline vs accept: exactly one wins, and exactly one effect goes out (handoff xor refund)', async () => {
    const outcomes: string[] = [];
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      const { giftId, token } = await claimedWithAddress(`giver_da_${i}`, `friend_da_${i}`, 'sku_tea_250');
      ids.push(giftId);
      const [decline, accept] = await Promise.all([
        jittered(4, () => t.api('POST', `/claims/${token}/decline`, { as: `friend_da_${i}` })),
        jittered(4, () => t.api('POST', `/claims/${token}/accept`, { as: `friend_da_${i}` })),
      ]);
      expect([decline.status, accept.status].filter((s) => s === 200)).toHaveLength(1);
      outcomes.push(decline.status === 200 ? `declined (accept → ${codeOf(accept)})` : `accepted (decline → ${codeOf(decline)})`);
    }
    await t.server.runMaintenance();
    const handoffs = new Set(t.server.dev.fulfillmentSink!.list().map((h) => h.giftId));
    const refunds = new Set(t.server.dev.payments!.listRefunds().map((r) => r.giftId));
    for (const id of ids) expect(Number(handoffs.has(id)) + Number(refunds.has(id))).toBe(1);
    console.log(
      `race [${store}]: 40 × decline vs accept → ${JSON.stringify(tally(outcomes))}; ` +
        `handoffs ${ids.filter((id) => handoffs.has(id)).length}, refunds ${ids.filter((id) => refunds.has(id)).length}`,
    );
  });
});
