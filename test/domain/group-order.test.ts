import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import {
  assertStockFor,
  cancelUnpaidOrder,
  confirmOrderPayment,
  groupOrderIssues,
  groupOrderTimer,
  newGroupOrder,
  orderSweepAt,
  unitSlots,
} from '../../shared/domain/group-order';
import { DEFAULT_GROUP_POLICY, groupPolicyProblems } from '../../shared/domain/group-policy';
import { refundNoOf } from '../../shared/domain/payment-numbers';
import { addSeconds } from '../../shared/domain/time';
import { DRAW_IN, ORDER_ID, paidOrder, SCARF_PRICE, testBytes, unpaidOrder } from '../support/group-fixtures';
import { at, codeOf, scarf, T0 } from '../support/memory-deps';

const P = DEFAULT_GROUP_POLICY;
const link = { hash: 'h'.repeat(64), version: 1 };
const payment = (amountFen: number, paidAt = T0) => ({ paymentId: 'pay_1', amountFen, paidAt });

describe('groupOrderIssues', () => {
  const issuesOf = (input: Parameters<typeof groupOrderIssues>[0]) => groupOrderIssues(input, T0, P).map((i) => i.path);

  it('takes 2 to GROUP_MAX_QUANTITY units, whole numbers only', () => {
    expect(issuesOf({ mode: 'group', quantity: 2 })).toEqual([]);
    expect(issuesOf({ mode: 'group', quantity: P.maxQuantity })).toEqual([]);
    for (const quantity of [1, 0, -3, P.maxQuantity + 1, 2.5, Number.NaN])
      expect(issuesOf({ mode: 'group', quantity })).toEqual(['quantity']);
  });

  it('follows the configured maximum', () => {
    expect(groupOrderIssues({ mode: 'group', quantity: 6 }, T0, { ...P, maxQuantity: 5 })[0]?.message).toContain('2 to 5');
  });

  it('needs a lottery draw between LOTTERY_MIN_DELAY_SECONDS and LOTTERY_MAX_DELAY_SECONDS ahead, bounds included', () => {
    const lottery = (seconds: number) => issuesOf({ mode: 'lottery', quantity: 3, drawAt: at(seconds) });
    expect(lottery(P.lotteryMinDelaySeconds)).toEqual([]);
    expect(lottery(P.lotteryMaxDelaySeconds)).toEqual([]);
    expect(lottery(P.lotteryMinDelaySeconds - 1)).toEqual(['drawAt']);
    expect(lottery(P.lotteryMaxDelaySeconds + 1)).toEqual(['drawAt']);
    expect(issuesOf({ mode: 'lottery', quantity: 3 })).toEqual(['drawAt']);
    expect(issuesOf({ mode: 'lottery', quantity: 3, drawAt: 'tomorrow' })).toEqual(['drawAt']);
  });

  it('refuses a draw time on a group order', () => {
    expect(issuesOf({ mode: 'group', quantity: 3, drawAt: at(3_600) })).toEqual(['drawAt']);
  });

  it('reports every problem at once', () => {
    expect(issuesOf({ mode: 'lottery', quantity: 1, drawAt: at(1) })).toEqual(['quantity', 'drawAt']);
  });
});

describe('newGroupOrder', () => {
  it('charges quantity × price in one unpaid order', () => {
    const o = unpaidOrder({ quantity: 7 });
    expect(o).toMatchObject({
      kind: 'group_order',
      mode: 'group',
      status: 'awaiting_payment',
      version: 1,
      quantity: 7,
      priceFen: SCARF_PRICE,
    });
    expect(o.amountFen).toBe(7 * SCARF_PRICE);
    expect(o.paymentDueAt).toBe(addSeconds(T0, DEFAULT_GIFT_POLICY.paymentTtlSeconds));
    expect(o.lottery).toBeNull();
    expect(o.refundBatches).toEqual([]);
  });

  it('commits a lottery to the SHA-256 of its seed, and keeps the seed for the draw', () => {
    const o = unpaidOrder({ mode: 'lottery' });
    const seed = testBytes(`seed:${ORDER_ID}`);
    expect(o.lottery!.seed).toBe(Buffer.from(seed).toString('hex'));
    expect(o.lottery!.commitment).toBe(createHash('sha256').update(seed).digest('hex'));
    expect(o.lottery!.commitment).toMatch(/^[0-9a-f]{64}$/);
    expect(o.lottery).toMatchObject({ drawAt: at(DRAW_IN), drawnAt: null, winners: null });
  });

  it('ends a lottery payment window at the draw when the draw comes first', () => {
    expect(unpaidOrder({ mode: 'lottery', drawInSeconds: 600 }).paymentDueAt).toBe(at(600));
    expect(unpaidOrder({ mode: 'lottery', drawInSeconds: 7_200 }).paymentDueAt).toBe(at(DEFAULT_GIFT_POLICY.paymentTtlSeconds));
  });

  it('refuses input the edge should have refused, and a seed under 128 bits', () => {
    expect(() => unpaidOrder({ quantity: 1 })).toThrow(/quantity/);
    expect(() => unpaidOrder({ mode: 'lottery', drawInSeconds: 10 })).toThrow(/drawAt/);
    const product = scarf();
    const input = {
      id: ORDER_ID,
      giverId: 'alice',
      product,
      sku: product.skus[0]!,
      message: null,
      mode: 'lottery' as const,
      quantity: 3,
      drawAt: at(DRAW_IN),
      idempotency: null,
    };
    const make = (seed: Uint8Array | null) => () => newGroupOrder({ ...input, seed }, T0, DEFAULT_GIFT_POLICY, P);
    expect(make(testBytes('s', 15))).toThrow(/16 bytes/);
    expect(make(null)).toThrow(/seed/);
    expect(make(testBytes('s', 16))()).toMatchObject({ mode: 'lottery' });
  });

  it('needs stock for every unit', () => {
    const sku = { ...scarf().skus[0]!, stock: 4 };
    expect(() => assertStockFor(sku, 4)).not.toThrow();
    expect(codeOf(() => assertStockFor(sku, 5))).toBe('OUT_OF_STOCK');
  });
});

describe('payment', () => {
  it('sends a group order with 24 hours from now, and a lottery with none until its draw', () => {
    const group = paidOrder();
    expect(group).toMatchObject({ status: 'sent', version: 2, sentAt: T0, expiresAt: at(DEFAULT_GIFT_POLICY.giftTtlSeconds) });
    expect(group.claimTokenHash).toBe(link.hash);
    expect(paidOrder({ mode: 'lottery' })).toMatchObject({ status: 'sent', expiresAt: null });
  });

  it('changes nothing on a repeated notification', () => {
    const sent = paidOrder();
    expect(confirmOrderPayment(sent, payment(sent.amountFen, at(5)), link, at(5), DEFAULT_GIFT_POLICY)).toBe(sent);
  });

  it('cancels an unpaid order only once its window is over, recording the refund that closes the payment order', () => {
    const o = unpaidOrder();
    expect(cancelUnpaidOrder(o, at(DEFAULT_GIFT_POLICY.paymentTtlSeconds - 1))).toBe(o);
    const c = cancelUnpaidOrder(o, at(DEFAULT_GIFT_POLICY.paymentTtlSeconds));
    expect(c).toMatchObject({ status: 'canceled', version: 2 });
    expect(c.effects).toEqual([expect.objectContaining({ id: 'refund', kind: 'refund', paymentId: null, amountFen: o.amountFen })]);
    expect(cancelUnpaidOrder(c, at(DEFAULT_GIFT_POLICY.paymentTtlSeconds + 1))).toBe(c);
    expect(refundNoOf(c.id, 'refund')).toBe(`${ORDER_ID}-refund`);
  });

  it('refunds a payment that lands on a canceled order, once', () => {
    const c = cancelUnpaidOrder(unpaidOrder(), at(1_800));
    const paid = confirmOrderPayment(c, payment(c.amountFen, at(1_801)), link, at(1_801), DEFAULT_GIFT_POLICY);
    expect(paid.status).toBe('canceled');
    expect(paid.effects).toEqual([
      expect.objectContaining({ id: 'refund', paymentId: 'pay_1', amountFen: c.amountFen, status: 'pending' }),
    ]);
    expect(confirmOrderPayment(paid, payment(c.amountFen), link, at(1_802), DEFAULT_GIFT_POLICY)).toBe(paid);

    // The cancel's refund already finished as "order closed": the money that arrived after gets a refund of its own.
    const closed = { ...c, effects: c.effects.map((e) => ({ ...e, status: 'done' as const, outcome: 'payment_closed' as const })) };
    const late = confirmOrderPayment(closed, payment(c.amountFen), link, at(1_900), DEFAULT_GIFT_POLICY);
    expect(late.effects.map((e) => e.id)).toEqual(['refund', 'refund-late-payment']);
    expect(late.effects[1]).toMatchObject({ paymentId: 'pay_1', amountFen: c.amountFen, status: 'pending' });
  });
});

describe('deadlines and timers', () => {
  it('wakes the cleanup for the payment window, the draw (after its grace) and the 24 hours', () => {
    expect(orderSweepAt(unpaidOrder(), P)).toBe(at(1_800));
    expect(orderSweepAt(paidOrder({ mode: 'lottery' }), P)).toBe(at(DRAW_IN + P.lotteryDrawGraceSeconds));
    const group = paidOrder();
    expect(orderSweepAt(group, P)).toBe(group.expiresAt);
    expect(orderSweepAt({ ...group, refundCheckAt: at(60) }, P)).toBe(at(60));
    expect(orderSweepAt({ ...group, status: 'settled' }, P)).toBeNull();
  });

  it('keeps a timer while an effect is pending, even after the order is settled', () => {
    const c = cancelUnpaidOrder(unpaidOrder(), at(1_800));
    expect(groupOrderTimer(c, P)).toEqual({ at: at(1_800), kinds: ['refund'] });
    expect(groupOrderTimer({ ...c, effects: [] }, P)).toBeNull();
  });

  it('has N slots for a group order and none for a lottery until drawn', () => {
    expect(unitSlots(paidOrder({ quantity: 4 }))).toEqual([0, 1, 2, 3]);
    expect(unitSlots(paidOrder({ mode: 'lottery', quantity: 4 }))).toEqual([]);
  });
});

describe('groupPolicyProblems', () => {
  it('accepts the defaults and names each bad setting', () => {
    expect(groupPolicyProblems(P)).toEqual([]);
    expect(groupPolicyProblems({ ...P, maxQuantity: 1 })).toHaveLength(1);
    expect(groupPolicyProblems({ ...P, maxQuantity: 1_000 })).toHaveLength(1);
    expect(groupPolicyProblems({ ...P, lotteryMinDelaySeconds: 90_000 })).toHaveLength(1);
    expect(groupPolicyProblems({ ...P, maxRefundsPerOrder: 51 })).toHaveLength(1);
  });
});
