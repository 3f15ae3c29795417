import { describe, expect, it } from 'vitest';
import { hashClaimToken } from '../../shared/domain/claim-token';
import { completeAttempt } from '../../shared/domain/effects';
import type { Gift, RefundEffect } from '../../shared/domain/gift';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import {
  accept,
  acceptWithAddress,
  claim,
  confirmPayment,
  decline,
  rotateClaimToken,
  type SwapTarget,
  setAddress,
  swapVariant,
  sweep,
} from '../../shared/domain/gift-transitions';
import {
  ADDRESS,
  addressedGift,
  at,
  claimedGift,
  codeOf,
  freshCatalogProducts,
  GIFT_ID,
  GIVER,
  RECIPIENT,
  STRANGER,
  scarf,
  sentGift,
  T0,
  TOKEN,
  unpaidGift,
} from '../support/memory-deps';

const TTL = DEFAULT_GIFT_POLICY.giftTtlSeconds;

function target(skuId: string): SwapTarget {
  for (const product of freshCatalogProducts()) {
    const sku = product.skus.find((s) => s.id === skuId);
    if (sku) return { product, sku };
  }
  throw new Error(`no sku ${skuId}`);
}

const count = (g: Gift, pred: (e: Gift['effects'][number]) => boolean) => g.effects.filter(pred).length;

describe('newGift', () => {
  it('starts unpaid at version 1 with a payment window of paymentTtlSeconds', () => {
    const g = unpaidGift();
    expect(g.status).toBe('awaiting_payment');
    expect(g.version).toBe(1);
    expect(g.priceFen).toBe(29_900);
    expect(g.skuId).toBe('sku_scarf_blue');
    expect(g.originalSkuId).toBe('sku_scarf_blue');
    expect(g.paymentDueAt).toBe('2026-11-24T08:30:00.000Z');
    expect(g.effects).toEqual([]);
  });
});

const link = (hash: string) => ({ hash, version: 1 });

describe('confirmPayment (a payment the provider confirmed → sent)', () => {
  it('moves to sent with sentAt = now, expiresAt = sentAt + giftTtlSeconds, and link version 1', () => {
    const paidAt = at(60);
    const g = confirmPayment(
      unpaidGift(),
      { paymentId: 'pay_1', amountFen: 29_900, paidAt },
      link('h'.repeat(64)),
      paidAt,
      DEFAULT_GIFT_POLICY,
    );
    expect(g.status).toBe('sent');
    expect(g.sentAt).toBe('2026-11-24T08:01:00.000Z');
    expect(g.expiresAt).toBe('2026-11-25T08:01:00.000Z');
    expect(Date.parse(g.expiresAt!) - Date.parse(g.sentAt!)).toBe(TTL * 1000);
    expect(g.payment).toEqual({ paymentId: 'pay_1', amountFen: 29_900, paidAt });
    expect(g.claimTokenHash).toBe('h'.repeat(64));
    expect(g.linkVersion).toBe(1);
  });

  it('uses the policy TTL, not a constant', () => {
    const g = confirmPayment(unpaidGift(), { paymentId: 'p', amountFen: 1, paidAt: T0 }, link('x'), T0, {
      ...DEFAULT_GIFT_POLICY,
      giftTtlSeconds: 60,
    });
    expect(g.expiresAt).toBe('2026-11-24T08:01:00.000Z');
  });

  it('is a no-op (same object) on a gift already paid: a replayed notification, a query after it', () => {
    const g = sentGift();
    expect(confirmPayment(g, { paymentId: 'other', amountFen: 1, paidAt: at(5) }, link('other'), at(5), DEFAULT_GIFT_POLICY)).toBe(g);
  });

  it('sends a gift whose payment is confirmed after the window closed (the provider took the money in time)', () => {
    const g = confirmPayment(
      unpaidGift(),
      { paymentId: 'p', amountFen: 29_900, paidAt: at(1799) },
      link('h'),
      at(1900),
      DEFAULT_GIFT_POLICY,
    );
    expect(g.status).toBe('sent');
    expect(g.sentAt).toBe(at(1900));
  });

  it('on a gift canceled meanwhile: keeps the payment and makes the pending refund refund it', () => {
    const canceled = sweep(unpaidGift(), at(1800));
    expect(canceled.effects.find((e) => e.kind === 'refund')).toMatchObject({ paymentId: null, status: 'pending' });
    const g = confirmPayment(
      canceled,
      { paymentId: 'tx_late', amountFen: 29_900, paidAt: at(1799) },
      link('h'),
      at(1810),
      DEFAULT_GIFT_POLICY,
    );
    expect(g.status).toBe('canceled');
    expect(g.payment).toMatchObject({ paymentId: 'tx_late' });
    expect(g.effects.filter((e) => e.kind === 'refund')).toEqual([expect.objectContaining({ paymentId: 'tx_late', amountFen: 29_900 })]);
  });

  it('on a gift whose refund already went back before the payment was learnt: records the payment, refunds nothing more', () => {
    const canceled = sweep(unpaidGift(), at(1800));
    const refunded = completeAttempt(canceled, 'refund', at(1900), { receipt: 'wx_refund_1', refundOutcome: 'refunded' });
    const late = { paymentId: 'tx_late', amountFen: 29_900, paidAt: at(1799) };
    const g = confirmPayment(refunded, late, link('h'), at(1910), DEFAULT_GIFT_POLICY);
    expect(g.payment).toEqual(late);
    expect(g.effects.filter((e) => e.kind === 'refund').map((e) => [e.id, e.status, (e as RefundEffect).paymentId])).toEqual([
      ['refund', 'done', 'tx_late'],
    ]);
    expect(confirmPayment(g, late, link('h'), at(1920), DEFAULT_GIFT_POLICY)).toBe(g);
  });

  it('on a gift whose order was already reported closed: records a refund of its own', () => {
    const canceled = sweep(unpaidGift(), at(1800));
    const closed = completeAttempt(canceled, 'refund', at(1801), { receipt: null, refundOutcome: 'payment_closed' });
    const g = confirmPayment(
      closed,
      { paymentId: 'tx_late', amountFen: 29_900, paidAt: at(1799) },
      link('h'),
      at(1810),
      DEFAULT_GIFT_POLICY,
    );
    expect(g.effects.filter((e) => e.kind === 'refund').map((e) => [e.id, e.status, (e as RefundEffect).paymentId])).toEqual([
      ['refund', 'done', null],
      ['refund-late-payment', 'pending', 'tx_late'],
    ]);
  });
});

describe('claim', () => {
  it('binds the first claimer as recipient and moves to claimed', () => {
    const g = claim(sentGift(), RECIPIENT, at(10), DEFAULT_GIFT_POLICY);
    expect(g.status).toBe('claimed');
    expect(g.recipientId).toBe(RECIPIENT);
    expect(g.claimedAt).toBe(at(10));
    expect(count(g, (e) => e.id === 'notify:gift_claimed')).toBe(1);
  });

  it('rejects a second claimer with ALREADY_CLAIMED', () => {
    expect(codeOf(() => claim(claimedGift(), STRANGER, at(20), DEFAULT_GIFT_POLICY))).toBe('ALREADY_CLAIMED');
  });

  it('rejects the giver with CANNOT_CLAIM_OWN_GIFT', () => {
    expect(codeOf(() => claim(sentGift(), GIVER, at(20), DEFAULT_GIFT_POLICY))).toBe('CANNOT_CLAIM_OWN_GIFT');
  });

  it('is idempotent for the same recipient: returns the very same object', () => {
    const g = claimedGift();
    expect(claim(g, RECIPIENT, at(30), DEFAULT_GIFT_POLICY)).toBe(g);
  });

  it('rejects a claim exactly at expiresAt with GIFT_EXPIRED', () => {
    const g = sentGift();
    expect(g.expiresAt).toBe(at(TTL));
    expect(codeOf(() => claim(g, RECIPIENT, at(TTL), DEFAULT_GIFT_POLICY))).toBe('GIFT_EXPIRED');
  });

  it('rejects a claim after expiresAt with GIFT_EXPIRED', () => {
    expect(codeOf(() => claim(sentGift(), RECIPIENT, at(TTL + 3600), DEFAULT_GIFT_POLICY))).toBe('GIFT_EXPIRED');
  });

  it('accepts a claim one millisecond before expiresAt', () => {
    const justBefore = new Date(Date.parse(at(TTL)) - 1).toISOString();
    expect(claim(sentGift(), RECIPIENT, justBefore, DEFAULT_GIFT_POLICY).status).toBe('claimed');
  });

  it('cannot claim an unpaid gift (GIFT_NOT_FOUND)', () => {
    expect(codeOf(() => claim(unpaidGift(), RECIPIENT, T0, DEFAULT_GIFT_POLICY))).toBe('GIFT_NOT_FOUND');
  });
});

describe('recipient-only commands', () => {
  const commands: Array<[string, (g: Gift, caller: string) => Gift]> = [
    ['setAddress', (g, c) => setAddress(g, c, ADDRESS, at(40))],
    ['swapVariant', (g, c) => swapVariant(g, c, target('sku_scarf_grey'), at(40))],
    ['accept', (g, c) => accept(g, c, at(40))],
    ['acceptWithAddress', (g, c) => acceptWithAddress(g, c, ADDRESS, at(40))],
    ['decline', (g, c) => decline(g, c, at(40))],
  ];

  it.each(commands)('%s by a stranger is NOT_RECIPIENT', (_name, run) => {
    expect(codeOf(() => run(addressedGift(), STRANGER))).toBe('NOT_RECIPIENT');
  });

  it.each(commands)('%s by the giver is NOT_RECIPIENT', (_name, run) => {
    expect(codeOf(() => run(addressedGift(), GIVER))).toBe('NOT_RECIPIENT');
  });

  it.each(commands)('%s on a sent but unclaimed gift is NOT_RECIPIENT', (_name, run) => {
    expect(codeOf(() => run(sentGift(), RECIPIENT))).toBe('NOT_RECIPIENT');
  });
});

describe('setAddress', () => {
  it('stores the address for the recipient and keeps the status claimed', () => {
    const g = setAddress(claimedGift(), RECIPIENT, ADDRESS, at(40));
    expect(g.address).toEqual(ADDRESS);
    expect(g.status).toBe('claimed');
    expect(g.updatedAt).toBe(at(40));
  });

  it('rejects after expiry with GIFT_EXPIRED', () => {
    expect(codeOf(() => setAddress(claimedGift(), RECIPIENT, ADDRESS, at(TTL)))).toBe('GIFT_EXPIRED');
  });
});

describe('accept', () => {
  it('without an address is ADDRESS_REQUIRED', () => {
    expect(codeOf(() => accept(claimedGift(), RECIPIENT, at(50)))).toBe('ADDRESS_REQUIRED');
  });

  it('moves to accepted and records exactly one handoff effect and one gift_accepted notification', () => {
    const g = accept(addressedGift(), RECIPIENT, at(50));
    expect(g.status).toBe('accepted');
    expect(g.acceptedAt).toBe(at(50));
    const handoffs = g.effects.filter((e) => e.kind === 'handoff');
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]).toMatchObject({
      id: 'handoff',
      status: 'pending',
      attempts: 0,
      idempotencyKey: `songli:${GIFT_ID}:handoff`,
      nextAttemptAt: at(50),
    });
    expect(g.effects.filter((e) => e.kind === 'notify' && e.event === 'gift_accepted')).toHaveLength(1);
    expect(count(g, (e) => e.kind === 'refund')).toBe(0);
  });

  it('a repeated accept by the recipient returns the same object (no second handoff)', () => {
    const g = accept(addressedGift(), RECIPIENT, at(50));
    expect(accept(g, RECIPIENT, at(60))).toBe(g);
  });

  it('rejects at expiresAt with GIFT_EXPIRED', () => {
    expect(codeOf(() => accept(addressedGift(), RECIPIENT, at(TTL)))).toBe('GIFT_EXPIRED');
  });
});

describe('acceptWithAddress (收下礼物 with the form: setAddress then accept, one write)', () => {
  const OTHER = { ...ADDRESS, name: '王五', detail: '漕溪北路 2 号' };

  it('on a claimed gift without an address: stores it and accepts, one version later, one handoff', () => {
    const before = claimedGift();
    const g = acceptWithAddress(before, RECIPIENT, ADDRESS, at(50));
    expect(g).toMatchObject({ status: 'accepted', acceptedAt: at(50), address: ADDRESS, version: before.version + 1, updatedAt: at(50) });
    expect(count(g, (e) => e.kind === 'handoff')).toBe(1);
    expect(count(g, (e) => e.kind === 'notify' && e.event === 'gift_accepted')).toBe(1);
  });

  it('is what setAddress then accept make, but for the version', () => {
    const before = addressedGift();
    const twoSteps = accept(setAddress(before, RECIPIENT, OTHER, at(50)), RECIPIENT, at(50));
    expect(acceptWithAddress(before, RECIPIENT, OTHER, at(50))).toEqual({ ...twoSteps, version: before.version + 1 });
  });

  it('a repeat with the address it stored returns the same object; another address is ALREADY_ACCEPTED', () => {
    const g = acceptWithAddress(claimedGift(), RECIPIENT, ADDRESS, at(50));
    expect(acceptWithAddress(g, RECIPIENT, { ...ADDRESS }, at(60))).toBe(g);
    expect(codeOf(() => acceptWithAddress(g, RECIPIENT, OTHER, at(60)))).toBe('ALREADY_ACCEPTED');
    expect(codeOf(() => acceptWithAddress(g, RECIPIENT, { ...ADDRESS, district: '东城区' }, at(60)))).toBe('ALREADY_ACCEPTED');
  });

  it('rejects at expiresAt with GIFT_EXPIRED and a declined gift with GIFT_DECLINED', () => {
    expect(codeOf(() => acceptWithAddress(claimedGift(), RECIPIENT, ADDRESS, at(TTL)))).toBe('GIFT_EXPIRED');
    const declined = decline(claimedGift(), RECIPIENT, at(50));
    expect(codeOf(() => acceptWithAddress(declined, RECIPIENT, ADDRESS, at(60)))).toBe('GIFT_DECLINED');
  });
});

describe('decline', () => {
  it('moves to declined and records one refund of the payment', () => {
    const g = decline(claimedGift(), RECIPIENT, at(70));
    expect(g.status).toBe('declined');
    expect(g.declinedAt).toBe(at(70));
    const refunds = g.effects.filter((e) => e.kind === 'refund');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({
      id: 'refund',
      reason: 'declined',
      amountFen: 29_900,
      paymentId: 'pay_test',
      idempotencyKey: `songli:${GIFT_ID}:refund`,
    });
    expect(count(g, (e) => e.kind === 'handoff')).toBe(0);
    // The giver is told once the money is back (the refund's completion records that notice), not now.
    expect(count(g, (e) => e.kind === 'notify' && e.event === 'gift_refunded')).toBe(0);
  });

  it('a repeated decline by the recipient returns the same object', () => {
    const g = decline(claimedGift(), RECIPIENT, at(70));
    expect(decline(g, RECIPIENT, at(80))).toBe(g);
  });
});

describe('swapVariant', () => {
  it('switches to an in-stock style of the same product and price and appends to the swap history', () => {
    const g = swapVariant(claimedGift(), RECIPIENT, target('sku_scarf_grey'), at(90));
    expect(g.skuId).toBe('sku_scarf_grey');
    expect(g.skuAttrs).toEqual({ 颜色: '燕麦灰' });
    expect(g.originalSkuId).toBe('sku_scarf_blue');
    expect(g.priceFen).toBe(29_900);
    expect(g.swaps).toEqual([{ fromSkuId: 'sku_scarf_blue', toSkuId: 'sku_scarf_grey', at: at(90) }]);
  });

  it('keeps every swap in order', () => {
    const once = swapVariant(claimedGift(), RECIPIENT, target('sku_scarf_grey'), at(90));
    const twice = swapVariant(once, RECIPIENT, target('sku_scarf_blue'), at(95));
    expect(twice.skuId).toBe('sku_scarf_blue');
    expect(twice.swaps).toEqual([
      { fromSkuId: 'sku_scarf_blue', toSkuId: 'sku_scarf_grey', at: at(90) },
      { fromSkuId: 'sku_scarf_grey', toSkuId: 'sku_scarf_blue', at: at(95) },
    ]);
  });

  it('to the current style is a no-op (same object)', () => {
    const g = claimedGift();
    expect(swapVariant(g, RECIPIENT, target('sku_scarf_blue'), at(90))).toBe(g);
  });

  it('to another product is VARIANT_NOT_SAME_PRODUCT', () => {
    expect(codeOf(() => swapVariant(claimedGift(), RECIPIENT, target('sku_tea_250'), at(90)))).toBe('VARIANT_NOT_SAME_PRODUCT');
  });

  it('to another price is VARIANT_NOT_SAME_PRICE', () => {
    expect(codeOf(() => swapVariant(claimedGift(), RECIPIENT, target('sku_scarf_long'), at(90)))).toBe('VARIANT_NOT_SAME_PRICE');
  });

  it('to an out-of-stock style is OUT_OF_STOCK', () => {
    expect(codeOf(() => swapVariant(claimedGift(), RECIPIENT, target('sku_scarf_red'), at(90)))).toBe('OUT_OF_STOCK');
  });

  it('after accept is ALREADY_ACCEPTED', () => {
    const accepted = accept(addressedGift(), RECIPIENT, at(50));
    expect(codeOf(() => swapVariant(accepted, RECIPIENT, target('sku_scarf_grey'), at(90)))).toBe('ALREADY_ACCEPTED');
  });
});

describe('rotateClaimToken', () => {
  it('replaces the hash on a sent gift', () => {
    const g = rotateClaimToken(sentGift(), { hash: 'new-hash', version: 2 }, at(5));
    expect(g.claimTokenHash).toBe('new-hash');
    expect(g.linkVersion).toBe(2);
    expect(g.status).toBe('sent');
  });

  it('is ALREADY_CLAIMED once claimed and GIFT_NOT_PAID before payment', () => {
    expect(codeOf(() => rotateClaimToken(claimedGift(), link('x'), at(5)))).toBe('ALREADY_CLAIMED');
    expect(codeOf(() => rotateClaimToken(unpaidGift(), link('x'), at(5)))).toBe('GIFT_NOT_PAID');
  });
});

describe('terminal states allow no transition', () => {
  const accepted = () => accept(addressedGift(), RECIPIENT, at(50));
  const declined = () => decline(claimedGift(), RECIPIENT, at(50));
  const expired = () => sweep(claimedGift(), at(TTL));
  const canceled = () => sweep(unpaidGift(), at(1800));
  const later = at(TTL * 3);

  const commands: Array<[string, (g: Gift) => Gift]> = [
    [
      'confirmPayment',
      (g) =>
        g.status === 'canceled'
          ? g // a canceled gift refunds a late payment (tested above)
          : confirmPayment(
              g,
              { paymentId: 'p2', amountFen: 1, paidAt: at(100) },
              link(hashClaimToken(TOKEN)),
              at(100),
              DEFAULT_GIFT_POLICY,
            ),
    ],
    ['claim by recipient', (g) => claim(g, RECIPIENT, at(100), DEFAULT_GIFT_POLICY)],
    ['claim by stranger', (g) => claim(g, STRANGER, at(100), DEFAULT_GIFT_POLICY)],
    ['setAddress', (g) => setAddress(g, RECIPIENT, ADDRESS, at(100))],
    ['swapVariant', (g) => swapVariant(g, RECIPIENT, target('sku_scarf_grey'), at(100))],
    ['accept', (g) => accept(g, RECIPIENT, at(100))],
    ['decline', (g) => decline(g, RECIPIENT, at(100))],
    ['rotateClaimToken', (g) => rotateClaimToken(g, link('h2'), at(100))],
    ['sweep long after', (g) => sweep(g, later)],
  ];
  const states: Array<[string, () => Gift]> = [
    ['accepted', accepted],
    ['declined', declined],
    ['expired', expired],
    ['canceled', canceled],
  ];

  for (const [state, make] of states) {
    it.each(commands)(`${state}: %s either throws an AppError or returns the same object`, (_name, run) => {
      const g = make();
      expect(g.status).toBe(state);
      let result: Gift | undefined;
      let code: string | undefined;
      try {
        result = run(g);
      } catch {
        code = codeOf(() => run(g));
      }
      if (code === undefined) expect(result).toBe(g);
      else expect(code).toMatch(/^[A-Z_]+$/);
      expect(g.status).toBe(state);
    });
  }

  it('gives the specific reasons a recipient sees', () => {
    expect(codeOf(() => decline(accepted(), RECIPIENT, at(100)))).toBe('ALREADY_ACCEPTED');
    expect(codeOf(() => setAddress(accepted(), RECIPIENT, ADDRESS, at(100)))).toBe('ALREADY_ACCEPTED');
    expect(codeOf(() => accept(declined(), RECIPIENT, at(100)))).toBe('GIFT_DECLINED');
    expect(codeOf(() => claim(declined(), RECIPIENT, at(100), DEFAULT_GIFT_POLICY))).toBe('GIFT_DECLINED');
    expect(codeOf(() => accept(expired(), RECIPIENT, at(100)))).toBe('GIFT_EXPIRED');
    expect(codeOf(() => claim(expired(), RECIPIENT, at(100), DEFAULT_GIFT_POLICY))).toBe('GIFT_EXPIRED');
    expect(codeOf(() => claim(canceled(), RECIPIENT, at(100), DEFAULT_GIFT_POLICY))).toBe('GIFT_NOT_FOUND');
  });
});

describe('sweep', () => {
  it('is a no-op before the expiry deadline of a sent gift', () => {
    const g = sentGift();
    expect(sweep(g, at(TTL - 1))).toBe(g);
  });

  it('expires a sent gift exactly at expiresAt and records one refund', () => {
    const g = sweep(sentGift(), at(TTL));
    expect(g.status).toBe('expired');
    expect(g.expiredAt).toBe(at(TTL));
    const refunds = g.effects.filter((e) => e.kind === 'refund');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ reason: 'expired', amountFen: 29_900, paymentId: 'pay_test', status: 'pending' });
    expect(count(g, (e) => e.kind === 'notify' && e.event === 'gift_refunded')).toBe(0);
  });

  it('expires a claimed gift after the deadline and records one refund', () => {
    const g = sweep(addressedGift(), at(TTL + 500));
    expect(g.status).toBe('expired');
    expect(g.expiredAt).toBe(at(TTL + 500));
    expect(count(g, (e) => e.kind === 'refund')).toBe(1);
    expect(count(g, (e) => e.kind === 'handoff')).toBe(0);
  });

  it('sweeping an expired gift again adds no second refund', () => {
    const once = sweep(claimedGift(), at(TTL));
    expect(sweep(once, at(TTL * 2))).toBe(once);
    expect(count(once, (e) => e.kind === 'refund')).toBe(1);
  });

  it('is a no-op on an unpaid gift before paymentDueAt', () => {
    const g = unpaidGift();
    expect(sweep(g, at(1799))).toBe(g);
  });

  it('cancels an unpaid gift after paymentDueAt and records a refund of any captured charge', () => {
    const g = sweep(unpaidGift(), at(1801));
    expect(g.status).toBe('canceled');
    expect(g.canceledAt).toBe(at(1801));
    const refunds = g.effects.filter((e) => e.kind === 'refund');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ reason: 'canceled', paymentId: null, amountFen: 29_900 });
  });

  it('cancels an unpaid gift exactly at paymentDueAt', () => {
    expect(sweep(unpaidGift(), at(1800)).status).toBe('canceled');
  });

  it('does nothing to an accepted gift after the deadline', () => {
    const g = accept(addressedGift(), RECIPIENT, at(50));
    expect(sweep(g, at(TTL * 2))).toBe(g);
  });
});

describe('version', () => {
  it('increments by exactly 1 per change and not on a no-op', () => {
    const v1 = unpaidGift();
    const v2 = sentGift();
    const v3 = claim(v2, RECIPIENT, at(1), DEFAULT_GIFT_POLICY);
    const v4 = setAddress(v3, RECIPIENT, ADDRESS, at(2));
    const v5 = swapVariant(v4, RECIPIENT, target('sku_scarf_grey'), at(3));
    const v6 = accept(v5, RECIPIENT, at(4));
    expect([v1, v2, v3, v4, v5, v6].map((g) => g.version)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(claim(v3, RECIPIENT, at(5), DEFAULT_GIFT_POLICY).version).toBe(3);
    expect(decline(claimedGift(), RECIPIENT, at(5)).version).toBe(claimedGift().version + 1);
    expect(sweep(claimedGift(), at(TTL)).version).toBe(claimedGift().version + 1);
    expect(sweep(unpaidGift(), at(1800)).version).toBe(2);
  });

  it('updatedAt follows the change', () => {
    expect(claim(sentGift(), RECIPIENT, at(33), DEFAULT_GIFT_POLICY).updatedAt).toBe(at(33));
  });
});

describe('scarf fixture', () => {
  it('matches the demo catalog used by the swap rules', () => {
    expect(scarf().skus.map((s) => [s.id, s.priceFen, s.stock])).toEqual([
      ['sku_scarf_blue', 29_900, 50],
      ['sku_scarf_grey', 29_900, 30],
      ['sku_scarf_red', 29_900, 0],
      ['sku_scarf_long', 39_900, 20],
    ]);
  });
});
