import { describe, expect, it } from 'vitest';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { freeSlots, newClaimMarker, planGroupClaim, probeStart, unitsTaken } from '../../shared/domain/group-claim';
import type { GroupOrder } from '../../shared/domain/group-order';
import { takeUnit } from '../../shared/domain/group-units';
import { paidOrder, unitsMap, unpaidOrder } from '../support/group-fixtures';
import { codeOf, GIVER, T0 } from '../support/memory-deps';

const REMIND = DEFAULT_GIFT_POLICY.reminderBeforeExpirySeconds;
const take = (order: GroupOrder, k: number, who: string) => takeUnit(order, k, who, T0, REMIND);

describe('planGroupClaim', () => {
  const order = paidOrder({ quantity: 4 });

  it('refuses unpaid orders, lotteries, the giver and, without a marker, an order past its deadline', () => {
    expect(codeOf(() => planGroupClaim(unpaidOrder(), 'bob', null, new Map(), T0))).toBe('GIFT_NOT_FOUND');
    expect(codeOf(() => planGroupClaim(paidOrder({ mode: 'lottery' }), 'bob', null, new Map(), T0))).toBe('NOT_RECIPIENT');
    expect(codeOf(() => planGroupClaim(order, GIVER, null, new Map(), T0))).toBe('CANNOT_CLAIM_OWN_GIFT');
    expect(codeOf(() => planGroupClaim(order, 'bob', null, new Map(), order.expiresAt!))).toBe('GIFT_EXPIRED');
    expect(codeOf(() => planGroupClaim({ ...order, status: 'settled' }, 'bob', null, new Map(), T0))).toBe('GIFT_EXPIRED');
  });

  it('answers a repeat with the unit the marker names, whenever it comes', () => {
    const marker = newClaimMarker(order, 'bob', 2, T0);
    expect(planGroupClaim(order, 'bob', marker, new Map(), T0)).toEqual({ kind: 'have', unitNo: 2 });
    expect(planGroupClaim(order, 'bob', marker, new Map(), order.expiresAt!)).toEqual({ kind: 'have', unitNo: 2 });
  });

  it("starts at the person's probe slot and goes round to the first free one", () => {
    const start = probeStart(order.id, 'bob', order.quantity);
    expect(planGroupClaim(order, 'bob', null, new Map(), T0)).toEqual({ kind: 'take', unitNo: start });
    // Every slot from the start on is taken: wraps round to the lowest free one before it.
    const taken = [...Array(order.quantity).keys()].filter((k) => k !== (start + order.quantity - 1) % order.quantity);
    const units = unitsMap(...taken.map((k) => take(order, k, `u${k}`)));
    expect(planGroupClaim(order, 'bob', null, units, T0)).toMatchObject({
      kind: 'take',
      unitNo: (start + order.quantity - 1) % order.quantity,
    });
  });

  it('says ALL_CLAIMED once every slot is taken, without a write to plan', () => {
    const units = unitsMap(...[0, 1, 2, 3].map((k) => take(order, k, `u${k}`)));
    expect(planGroupClaim(order, 'bob', null, units, T0)).toEqual({ kind: 'all_claimed' });
    expect(unitsTaken(order, units)).toBe(4);
    expect(freeSlots(order, units)).toEqual([]);
  });

  it('adopts the lowest unit that carries the caller when no marker names one (a request died in between)', () => {
    const units = unitsMap(take(order, 0, 'carol'), take(order, 3, 'bob'));
    expect(planGroupClaim(order, 'bob', null, units, T0)).toEqual({ kind: 'adopt', unitNo: 3 });
  });
});

describe('probeStart', () => {
  it('spreads a crowd evenly over the slots, stable per person and different per order', () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 1_000; i++) counts[probeStart('g_order_a', `user${i}`, 10)]++;
    // Binomial(1000, 0.1): mean 100, sd ≈ 9.5; ±50 is over 5 sd.
    for (const c of counts) {
      expect(c).toBeGreaterThan(50);
      expect(c).toBeLessThan(150);
    }
    expect(probeStart('g_order_a', 'bob', 10)).toBe(probeStart('g_order_a', 'bob', 10));
    const moved = Array.from({ length: 50 }, (_, i) => probeStart('g_order_a', `u${i}`, 97) !== probeStart('g_order_b', `u${i}`, 97));
    expect(moved.filter(Boolean).length).toBeGreaterThan(40);
  });
});
