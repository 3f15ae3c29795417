/**
 * The festival crowd on one group gift, over real HTTP on 127.0.0.1 against each embedded on-disk store: 1,000
 * people claiming a 10-unit 群发礼物 at once, and 1,000 entering one 群礼物抽奖. Claimers contend on one unit
 * document at a time (docs/group-gifts.md), never on the order. The time each burst takes is printed (RELIABILITY.md
 * and the README quote it), never asserted: the outcome is.
 */
import { describe, expect, it } from 'vitest';
import { verifyDraw } from '../../scripts/verify-draw';
import { isGroupOrder } from '../../shared/domain/gift-document';
import { type ApiResponse, serverForFile } from '../support/http-harness';

const tally = (codes: string[]) => Object.fromEntries([...new Set(codes)].sort().map((c) => [c, codes.filter((x) => x === c).length]));
const codeOf = (r: ApiResponse) => (r.status === 200 ? '200' : `${r.status} ${r.body.error.code}`);

describe.each(['leveldb', 'dynalite'])('group gift races on LOCAL_STORE=%s', (store) => {
  const t = serverForFile({ env: { LOCAL_STORE: store, LOTTERY_MIN_DELAY_SECONDS: '60' } });

  async function paidOrder(giver: string, body: Record<string, unknown>) {
    const created = await t.api('POST', '/gifts', { as: giver, body: { skuId: 'sku_scarf_blue', ...body } });
    const paid = await t.api('POST', `/gifts/${created.body.gift.id}/pay`, { as: giver });
    return { orderId: created.body.gift.id as string, token: paid.body.gift.claimToken as string };
  }

  it('1,000 people claim a 10-unit group gift at once: exactly 10 distinct holders, everyone else 409', async () => {
    const { orderId, token } = await paidOrder('giver_crowd', { mode: 'group', quantity: 10 });
    const people = Array.from({ length: 1000 }, (_, i) => `crowd_${i}`);
    await Promise.all(people.map((u) => t.login(u)));
    const started = performance.now();
    const answers = await Promise.all(
      people.map((u) => t.api('POST', `/claims/${token}/claim`, { as: u }).then((r) => ({ u, r, code: codeOf(r) }))),
    );
    const ms = Math.round(performance.now() - started);
    const counts = tally(answers.map((a) => a.code));
    console.log(`group race [${store}]: 1000 claimers on 10 units → ${JSON.stringify(counts)} in ${ms} ms`);
    expect(counts).toEqual({ '200': 10, '409 ALL_CLAIMED': 990 });
    const winners = answers.filter((a) => a.code === '200');
    expect(new Set(winners.map((w) => w.r.body.gift.unit.unitNo)).size).toBe(10);
    const units = await t.server.deps.groupStore.listUnits(orderId);
    expect(units.size).toBe(10);
    expect(new Set([...units.values()].map((u) => u.recipientId))).toEqual(new Set(winners.map((w) => w.u)));
    for (const w of winners) {
      const marker = await t.server.deps.groupStore.getMarker(orderId, w.u);
      expect(marker?.unitNo).toBe(w.r.body.gift.unit.unitNo);
    }
    // The order document itself was never written by a claimer.
    const order = await t.server.deps.store.get(orderId);
    expect(order && isGroupOrder(order) && order.version).toBe(2);
  }, 180_000);

  it('1,000 people enter one lottery at once: 1,000 entries, one each, all drawn from', async () => {
    const drawAt = new Date(Date.parse(t.clock.now().toISOString()) + 300_000).toISOString();
    const { orderId, token } = await paidOrder('giver_draw', { mode: 'lottery', quantity: 5, drawAt });
    const people = Array.from({ length: 1000 }, (_, i) => `entrant_${i}`);
    await Promise.all(people.map((u) => t.login(u)));
    const started = performance.now();
    // Everyone taps twice: the second tap answers the same entry.
    const answers = await Promise.all(
      [...people, ...people.slice(0, 200)].map((u) => t.api('POST', `/claims/${token}/enter`, { as: u }).then((r) => ({ u, r }))),
    );
    const ms = Math.round(performance.now() - started);
    const counts = tally(answers.map((a) => codeOf(a.r)));
    console.log(`lottery race [${store}]: 1200 entries by 1000 people → ${JSON.stringify(counts)} in ${ms} ms`);
    expect(counts).toEqual({ '200': 1200 });
    const hashOf = new Map<string, string>();
    for (const { u, r } of answers) {
      const h = r.body.gift.lottery.entrantHash as string;
      if (hashOf.has(u)) expect(h).toBe(hashOf.get(u));
      hashOf.set(u, h);
    }
    t.clock.advanceSeconds(360);
    await t.server.runMaintenance();
    const { body } = await t.api('GET', `/claims/${token}/draw`, { as: 'entrant_0' });
    expect(verifyDraw(body.draw).problems).toEqual([]);
    expect(body.draw.entrants).toHaveLength(1000);
    expect(new Set(body.draw.entrants)).toEqual(new Set(hashOf.values()));
    expect(body.draw.winners).toHaveLength(5);
    const order = await t.server.deps.store.get(orderId);
    expect(order && isGroupOrder(order) && order.lottery?.entrantCount).toBe(1000);
  }, 180_000);
});
