import { describe, expect, it } from 'vitest';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import type { GroupOrder } from '../../shared/domain/group-order';
import { DEFAULT_GROUP_POLICY } from '../../shared/domain/group-policy';
import { acceptUnit, declineUnit, expireUnit, type GroupUnit, setUnitAddress, takeUnit } from '../../shared/domain/group-units';
import {
  completeBatchRefund,
  recordRefundBatch,
  refundableUnitNos,
  refundNoOfBatch,
  refundStep,
  requestRefundCheck,
  slotsToClose,
} from '../../shared/domain/refund-batches';
import { addSeconds } from '../../shared/domain/time';
import { paidOrder, SCARF_PRICE } from '../support/group-fixtures';
import { ADDRESS, at, T0 } from '../support/memory-deps';

const P = DEFAULT_GROUP_POLICY;
const REMIND = DEFAULT_GIFT_POLICY.reminderBeforeExpirySeconds;
const HOUR = P.refundBatchIntervalSeconds;

const claimed = (order: GroupOrder, k: number) => takeUnit(order, k, `u${k}`, T0, REMIND);
const declined = (order: GroupOrder, k: number, when: string) => declineUnit(order, claimed(order, k), `u${k}`, when);
const accepted = (order: GroupOrder, k: number) =>
  acceptUnit(order, setUnitAddress(order, claimed(order, k), `u${k}`, ADDRESS, at(1)), `u${k}`, at(2));

describe('out_refund_no', () => {
  it('is the order id and the batch number, and fits WeChat Pay', () => {
    expect(refundNoOfBatch('g_abc123', 7)).toBe('g_abc123-r7');
    expect(refundNoOfBatch(`g_${'x'.repeat(30)}`, 50).length).toBeLessThanOrEqual(64);
  });
});

describe('declines', () => {
  const order = paidOrder({ quantity: 4 });

  it('ask for a batch at once the first time, then no sooner than the interval after the last batch', () => {
    const asked = requestRefundCheck(order, at(100), P);
    expect(asked).toMatchObject({ refundCheckAt: at(100), version: order.version + 1 });
    expect(requestRefundCheck(asked, at(150), P)).toBe(asked);

    const units = new Map([[0, declined(order, 0, at(100))]]);
    const batched = refundStep(asked, units, at(100), P);
    expect(batched.refundBatches).toEqual([
      expect.objectContaining({ batchNo: 1, unitNos: [0], amountFen: SCARF_PRICE, trigger: 'declines', createdAt: at(100) }),
    ]);
    expect(batched.effects).toEqual([expect.objectContaining({ id: 'r1', reason: 'declined', amountFen: SCARF_PRICE, unitNos: [0] })]);
    expect(batched.refundCheckAt).toBeNull();

    const again = requestRefundCheck(batched, at(200), P);
    expect(again.refundCheckAt).toBe(addSeconds(at(100), HOUR));
  });

  it('are batched together: every declined unit not yet refunded, in one refund', () => {
    const asked = requestRefundCheck(order, at(100), P);
    const units = new Map([
      [0, declined(order, 0, at(50))],
      [1, claimed(order, 1)],
      [2, declined(order, 2, at(90))],
    ]);
    const batched = refundStep(asked, units, at(120), P);
    expect(batched.refundBatches.map((b) => b.unitNos)).toEqual([[0, 2]]);
    expect(batched.effects[0]).toMatchObject({ amountFen: 2 * SCARF_PRICE });
    expect(refundableUnitNos(batched, units)).toEqual([]);
    // A sweep running again (or a check asked for meanwhile) refunds nothing twice.
    expect(refundStep({ ...batched, refundCheckAt: at(120) }, units, at(130), P).refundBatches).toHaveLength(1);
  });

  it('wait for the check time, and clear a check that finds nothing', () => {
    const asked = { ...order, refundCheckAt: at(500) };
    expect(refundStep(asked, new Map(), at(499), P)).toBe(asked);
    expect(refundStep(asked, new Map(), at(500), P)).toMatchObject({ refundCheckAt: null, refundBatches: [] });
  });

  it('keep the last allowed refund for the deadline', () => {
    const small = { ...P, maxRefundsPerOrder: 3 };
    let o = order;
    const units = new Map<number, GroupUnit>();
    for (let k = 0; k < 3; k++) {
      units.set(k, declined(order, k, at(k * HOUR)));
      o = requestRefundCheck(o, at(k * HOUR), small);
      o = refundStep(o, units, at(k * HOUR), small);
    }
    expect(o.refundBatches.map((b) => b.unitNos)).toEqual([[0], [1]]);
    expect(requestRefundCheck(o, at(3 * HOUR), small)).toBe(o);
    // The deadline's batch takes the rest, and is the third and last.
    const end = o.expiresAt!;
    for (const k of slotsToClose(o, units, end)) units.set(k, expireUnit(o, k, units.get(k) ?? null, end));
    const settled = refundStep(o, units, end, small);
    expect(settled.refundBatches.map((b) => [b.unitNos, b.trigger])).toEqual([
      [[0], 'declines'],
      [[1], 'declines'],
      [[2, 3], 'expiry'],
    ]);
  });
});

describe('the deadline', () => {
  const order = paidOrder({ quantity: 5 });
  const end = order.expiresAt!;

  it('closes every slot first, then refunds every unit not accepted in one final batch and settles', () => {
    const units = new Map<number, GroupUnit>([
      [0, accepted(order, 0)],
      [1, claimed(order, 1)],
      [3, declined(order, 3, at(10))],
    ]);
    expect(slotsToClose(order, units, at(10))).toEqual([]);
    expect(slotsToClose(order, units, end)).toEqual([1, 2, 4]);
    expect(refundStep(order, units, end, P)).toBe(order);

    for (const k of slotsToClose(order, units, end)) units.set(k, expireUnit(order, k, units.get(k) ?? null, end));
    const settled = refundStep(order, units, end, P);
    expect(settled).toMatchObject({ status: 'settled', settledAt: end, version: order.version + 1 });
    expect(settled.refundBatches).toEqual([
      expect.objectContaining({ unitNos: [1, 2, 3, 4], amountFen: 4 * SCARF_PRICE, trigger: 'expiry' }),
    ]);
    expect(refundStep(settled, units, addSeconds(end, 60), P)).toBe(settled);
  });

  it('settles with no refund when every unit was accepted', () => {
    const units = new Map([0, 1, 2, 3, 4].map((k) => [k, accepted(order, k)] as const));
    const settled = refundStep(order, units, end, P);
    expect(settled).toMatchObject({ status: 'settled', refundBatches: [], effects: [] });
  });

  it('never refunds a unit twice, nor more than was paid', () => {
    const units = new Map([[0, declined(order, 0, at(10))]]);
    const once = recordRefundBatch(order, { unitNos: [0], trigger: 'declines' }, at(10));
    expect(() => recordRefundBatch(once, { unitNos: [0], trigger: 'expiry' }, end)).toThrow(/unit 0 cannot be refunded/);
    expect(() => recordRefundBatch(order, { unitNos: [5], trigger: 'expiry' }, end)).toThrow(/unit 5/);
    expect(() => recordRefundBatch(order, { unitNos: [], trigger: 'expiry' }, end)).toThrow(/empty/);
    const underpaid = { ...order, payment: { ...order.payment!, amountFen: SCARF_PRICE } };
    expect(() => recordRefundBatch(underpaid, { unitNos: [0, 1], trigger: 'expiry' }, end)).toThrow(/exceed/);
    expect(refundableUnitNos(once, units)).toEqual([]);
  });
});

describe('completeBatchRefund', () => {
  it('settles the batch and tells the giver the amount, once', () => {
    const order = recordRefundBatch(paidOrder({ quantity: 3 }), { unitNos: [0, 2], trigger: 'expiry' }, at(10));
    const done = completeBatchRefund(order, 'r1', at(20), 'refund_1');
    expect(done.effects[0]).toMatchObject({ status: 'done', outcome: 'refunded', receipt: 'refund_1' });
    expect(done.effects[1]).toMatchObject({ id: 'notify:gift_refunded:r1', event: 'gift_refunded', amountFen: 2 * SCARF_PRICE });
    expect(completeBatchRefund(done, 'r1', at(30), 'refund_1')).toBe(done);
  });
});
