import { describe, expect, it } from 'vitest';
import { EXPIRY_REMINDER_ID } from '../../shared/domain/effects';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import type { SwapTarget } from '../../shared/domain/gift-transitions';
import type { GroupOrder } from '../../shared/domain/group-order';
import {
  acceptUnit,
  acceptUnitWithAddress,
  declineUnit,
  expireUnit,
  type GroupUnit,
  setUnitAddress,
  swapUnitVariant,
  takeUnit,
  unitIdOf,
  unitNoOf,
  winnerUnit,
} from '../../shared/domain/group-units';
import { paidOrder } from '../support/group-fixtures';
import { ADDRESS, at, codeOf, freshCatalogProducts, GIVER, T0 } from '../support/memory-deps';

const REMIND = DEFAULT_GIFT_POLICY.reminderBeforeExpirySeconds;
const TTL = DEFAULT_GIFT_POLICY.giftTtlSeconds;
const order = paidOrder({ quantity: 3 });
const claimed = (k = 0, who = 'bob', o: GroupOrder = order) => takeUnit(o, k, who, T0, REMIND);
const addressed = (k = 0, who = 'bob') => setUnitAddress(order, claimed(k, who), who, ADDRESS, at(1));

function target(skuId: string): SwapTarget {
  for (const product of freshCatalogProducts()) {
    const sku = product.skus.find((s) => s.id === skuId);
    if (sku) return { product, sku };
  }
  throw new Error(`no sku ${skuId}`);
}

describe('taking a slot', () => {
  it("inserts version 1 with the order's style and the recipient's reminder", () => {
    const u = claimed(2);
    expect(u).toMatchObject({
      id: unitIdOf(order.id, 2),
      unitNo: 2,
      version: 1,
      status: 'claimed',
      recipientId: 'bob',
      skuId: order.skuId,
    });
    expect(u.id).toBe(`${order.id}-u002`);
    expect(u.effects).toEqual([
      expect.objectContaining({
        id: EXPIRY_REMINDER_ID,
        userId: 'bob',
        nextAttemptAt: at(TTL - REMIND),
        idempotencyKey: `songli:${u.id}:${EXPIRY_REMINDER_ID}`,
      }),
    ]);
  });

  it('reminds at once when claimed inside the reminder window', () => {
    const late = takeUnit(order, 0, 'bob', at(TTL - 60), REMIND);
    expect(late.effects[0]).toMatchObject({ nextAttemptAt: at(TTL - 60) });
  });

  it('never takes a slot outside the order', () => {
    expect(() => takeUnit(order, 3, 'carol', T0, REMIND)).toThrow(/no unit 3/);
    expect(() => takeUnit(order, -1, 'carol', T0, REMIND)).toThrow(/no unit/);
    expect(() => takeUnit(order, 1.5, 'carol', T0, REMIND)).toThrow(/no unit/);
  });
});

describe("a unit's recipient", () => {
  it('enters an address, swaps to a same-price style, accepts: handoff and the giver told in the same write', () => {
    const swapped = swapUnitVariant(order, addressed(), 'bob', target('sku_scarf_grey'), at(2));
    expect(swapped.swaps).toEqual([{ fromSkuId: 'sku_scarf_blue', toSkuId: 'sku_scarf_grey', at: at(2) }]);
    const accepted = acceptUnit(order, swapped, 'bob', at(3));
    expect(accepted).toMatchObject({ status: 'accepted', acceptedAt: at(3), skuId: 'sku_scarf_grey', version: swapped.version + 1 });
    expect(accepted.effects.map((e) => [e.id, e.status])).toEqual([
      [EXPIRY_REMINDER_ID, 'canceled'],
      ['handoff', 'pending'],
      ['notify:gift_accepted', 'pending'],
    ]);
    expect(accepted.effects[1]!.idempotencyKey).toBe(`songli:${order.id}-u000:handoff`);
    expect(acceptUnit(order, accepted, 'bob', at(4))).toBe(accepted);
  });

  it('keeps the 1:1 swap rules', () => {
    const u = addressed();
    expect(swapUnitVariant(order, u, 'bob', target('sku_scarf_blue'), at(2))).toBe(u);
    expect(codeOf(() => swapUnitVariant(order, u, 'bob', target('sku_scarf_long'), at(2)))).toBe('VARIANT_NOT_SAME_PRICE');
    expect(codeOf(() => swapUnitVariant(order, u, 'bob', target('sku_tea_250'), at(2)))).toBe('VARIANT_NOT_SAME_PRODUCT');
    expect(codeOf(() => swapUnitVariant(order, u, 'bob', target('sku_scarf_red'), at(2)))).toBe('OUT_OF_STOCK');
  });

  it('must give an address before accepting', () => {
    expect(codeOf(() => acceptUnit(order, claimed(), 'bob', at(1)))).toBe('ADDRESS_REQUIRED');
  });

  it('declines: final, the refund owed to the next batch, the reminder canceled', () => {
    const d = declineUnit(order, claimed(), 'bob', at(5));
    expect(d).toMatchObject({ status: 'declined', declinedAt: at(5) });
    expect(d.effects.map((e) => e.status)).toEqual(['canceled']);
    expect(declineUnit(order, d, 'bob', at(6))).toBe(d);
    expect(codeOf(() => acceptUnit(order, d, 'bob', at(6)))).toBe('GIFT_DECLINED');
    expect(codeOf(() => setUnitAddress(order, d, 'bob', ADDRESS, at(6)))).toBe('GIFT_DECLINED');
  });

  it('is the only one who can act on the unit, and not after acceptance or the deadline', () => {
    const u = addressed();
    for (const who of ['carol', GIVER]) {
      expect(codeOf(() => setUnitAddress(order, u, who, ADDRESS, at(2)))).toBe('NOT_RECIPIENT');
      expect(codeOf(() => acceptUnit(order, u, who, at(2)))).toBe('NOT_RECIPIENT');
      expect(codeOf(() => declineUnit(order, u, who, at(2)))).toBe('NOT_RECIPIENT');
    }
    const accepted = acceptUnit(order, u, 'bob', at(3));
    expect(codeOf(() => declineUnit(order, accepted, 'bob', at(4)))).toBe('ALREADY_ACCEPTED');
    expect(codeOf(() => setUnitAddress(order, accepted, 'bob', ADDRESS, at(4)))).toBe('ALREADY_ACCEPTED');
    expect(codeOf(() => acceptUnit(order, u, 'bob', order.expiresAt!))).toBe('GIFT_EXPIRED');
    expect(codeOf(() => declineUnit({ ...order, status: 'settled' }, u, 'bob', at(4)))).toBe('GIFT_EXPIRED');
  });
});

describe('acceptUnitWithAddress (收下礼物 with the form, one write of the unit)', () => {
  const OTHER = { ...ADDRESS, name: '王五' };

  it('sets the address and accepts: one version, the handoff and the notice, the reminder canceled', () => {
    const u = claimed();
    const accepted = acceptUnitWithAddress(order, u, 'bob', ADDRESS, at(3));
    expect(accepted).toMatchObject({ status: 'accepted', acceptedAt: at(3), address: ADDRESS, version: u.version + 1 });
    expect(accepted.effects.map((e) => [e.id, e.status])).toEqual([
      [EXPIRY_REMINDER_ID, 'canceled'],
      ['handoff', 'pending'],
      ['notify:gift_accepted', 'pending'],
    ]);
    expect(acceptUnitWithAddress(order, accepted, 'bob', { ...ADDRESS }, at(4))).toBe(accepted);
    expect(codeOf(() => acceptUnitWithAddress(order, accepted, 'bob', OTHER, at(4)))).toBe('ALREADY_ACCEPTED');
  });

  it("keeps setUnitAddress's rules: the recipient only, before the deadline, not after a decline", () => {
    for (const who of ['carol', GIVER])
      expect(codeOf(() => acceptUnitWithAddress(order, claimed(), who, ADDRESS, at(2)))).toBe('NOT_RECIPIENT');
    expect(codeOf(() => acceptUnitWithAddress(order, claimed(), 'bob', ADDRESS, order.expiresAt!))).toBe('GIFT_EXPIRED');
    const d = declineUnit(order, claimed(), 'bob', at(5));
    expect(codeOf(() => acceptUnitWithAddress(order, d, 'bob', ADDRESS, at(6)))).toBe('GIFT_DECLINED');
  });
});

describe('expireUnit', () => {
  const end = order.expiresAt!;

  it('closes a slot nobody took with a document of its own, and a claimed unit by compare-and-set', () => {
    expect(expireUnit(order, 2, null, end)).toMatchObject({ id: unitIdOf(order.id, 2), version: 1, status: 'expired', recipientId: null });
    const u = claimed(1);
    const e = expireUnit(order, 1, u, end);
    expect(e).toMatchObject({ version: u.version + 1, status: 'expired', expiredAt: end, recipientId: 'bob' });
    expect(e.effects.map((x) => x.status)).toEqual(['canceled']);
  });

  it('leaves settled units alone and refuses before the deadline', () => {
    const a = acceptUnit(order, addressed(), 'bob', at(3));
    expect(expireUnit(order, 0, a, end)).toBe(a);
    expect(() => expireUnit(order, 0, claimed(), at(TTL - 1))).toThrow(/not past/);
  });
});

describe('lottery units', () => {
  const drawn: GroupOrder = {
    ...paidOrder({ mode: 'lottery', quantity: 3 }),
    expiresAt: at(90_000),
    lottery: {
      ...paidOrder({ mode: 'lottery', quantity: 3 }).lottery!,
      drawnAt: at(3_660),
      winners: [
        { entrantHash: 'a'.repeat(64), userId: 'dave' },
        { entrantHash: 'b'.repeat(64), userId: 'erin' },
      ],
    },
  };

  it("derives a winner's unit from the order alone (whoever writes it first writes the same document)", () => {
    const u: GroupUnit = winnerUnit(drawn, 1, REMIND);
    expect(u).toMatchObject({ unitNo: 1, version: 1, status: 'claimed', recipientId: 'erin', claimedAt: at(3_660) });
    expect(winnerUnit(drawn, 1, REMIND)).toEqual(u);
    expect(() => winnerUnit(drawn, 2, REMIND)).toThrow(/no winner/);
    expect(expireUnit(drawn, 0, null, at(90_000))).toMatchObject({ status: 'expired', recipientId: 'dave', version: 1 });
  });

  it("finds the caller's unit: a group claimer's through the marker, a winner's through the draw", () => {
    expect(unitNoOf(drawn, 'erin', null)).toBe(1);
    expect(unitNoOf(drawn, 'bob', null)).toBeNull();
    expect(unitNoOf(order, 'bob', { unitNo: 2 })).toBe(2);
    expect(unitNoOf(order, 'bob', null)).toBeNull();
  });
});
