import { describe, expect, it } from 'vitest';
import type { Gift } from '../../shared/domain/gift';
import { accept, decline, swapVariant, sweep } from '../../shared/domain/gift-transitions';
import { claimView, claimViewer, giverView, receivedView } from '../../shared/domain/gift-views';
import { ADDRESS, addressedGift, at, GIVER, RECIPIENT, STRANGER, scarf, sentGift, T0 } from '../support/memory-deps';

const PRICE = 29_900;

/** Every key anywhere in a JSON value. */
function allKeys(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allKeys(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allKeys(v, out);
    }
  }
  return out;
}

/** Every primitive value anywhere in a JSON value. */
function allValues(value: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(value)) for (const v of value) allValues(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) allValues(v, out);
  else out.push(value);
  return out;
}

const roundtrip = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

/** A gift that went through everything the recipient can do: address, a swap, acceptance. */
function fullGift(): Gift {
  const product = scarf();
  const grey = product.skus.find((s) => s.id === 'sku_scarf_grey')!;
  return accept(swapVariant(addressedGift(), RECIPIENT, { product, sku: grey }, at(10)), RECIPIENT, at(20));
}

describe('helper sanity', () => {
  it('allKeys finds nested keys inside arrays', () => {
    expect(allKeys({ a: [{ priceFen: 1 }], b: { c: { amount: 2 } } })).toEqual(['a', 'priceFen', 'b', 'c', 'amount']);
    expect(allValues({ a: [{ x: 29_900 }] })).toContain(29_900);
  });
});

describe('giverView', () => {
  const states: Array<[string, () => Gift]> = [
    ['claimed with address', addressedGift],
    ['accepted', fullGift],
    ['declined', () => decline(addressedGift(), RECIPIENT, at(30))],
    ['expired', () => sweep(addressedGift(), at(86_400))],
  ];

  it.each(states)('(%s) never contains the recipient name, phone, address detail or region', (_s, make) => {
    const json = JSON.stringify(giverView(make(), at(40)));
    for (const secret of [ADDRESS.name, ADDRESS.phone, '13800138000', ADDRESS.detail, ADDRESS.regionCode, ADDRESS.district]) {
      expect(json).not.toContain(secret);
    }
    expect(allKeys(roundtrip(giverView(make(), at(40))))).not.toContain('address');
    expect(json).not.toContain(RECIPIENT);
  });

  it('shows that a friend claimed and entered an address, nothing more', () => {
    const v = giverView(addressedGift(), at(40));
    expect(v.recipient).toEqual({ claimed: true, addressProvided: true });
    expect(v.priceFen).toBe(PRICE);
    expect(v.status).toBe('claimed');
  });

  it('shows handoff progress once accepted', () => {
    const v = giverView(fullGift(), at(40));
    expect(v.status).toBe('accepted');
    expect(v.handoff).toEqual({ status: 'pending', attempts: 0, nextAttemptAt: at(20), lastError: null, completedAt: null });
    expect(v.refund).toBeNull();
    expect(v.swaps).toEqual([{ fromSkuId: 'sku_scarf_blue', toSkuId: 'sku_scarf_grey', at: at(10) }]);
  });

  it('shows refund progress and amount after a decline', () => {
    const v = giverView(decline(addressedGift(), RECIPIENT, at(30)), at(40));
    expect(v.refund).toMatchObject({ status: 'pending', reason: 'declined', amountFen: PRICE });
  });

  it('reads an overdue gift as expired even before the sweep wrote it', () => {
    expect(giverView(sentGift(), at(86_400)).status).toBe('expired');
    expect(giverView(sentGift(), at(86_399)).status).toBe('sent');
  });

  it('has no recipient before anyone claims', () => {
    expect(giverView(sentGift(), T0).recipient).toBeNull();
  });
});

describe('claimView for the recipient', () => {
  const views = () => [
    claimView(addressedGift(), scarf(), RECIPIENT, at(40)),
    claimView(fullGift(), scarf(), RECIPIENT, at(40)),
    claimView(sentGift(), scarf(), RECIPIENT, at(40)),
  ];

  it('has no key containing "price" or "amount" anywhere', () => {
    for (const v of views()) {
      const bad = allKeys(roundtrip(v)).filter((k) => /price|amount/i.test(k));
      expect(bad).toEqual([]);
    }
  });

  it('contains no price value anywhere (neither 29900 fen nor 299 yuan)', () => {
    for (const v of views()) {
      const values = allValues(roundtrip(v));
      expect(values).not.toContain(PRICE);
      expect(values).not.toContain(299);
      expect(values).not.toContain('29900');
      expect(JSON.stringify(v)).not.toMatch(/29900|299\.00|¥/);
    }
  });

  it('shows the recipient their address, message, swaps and same-price alternatives with stock flags', () => {
    const v = claimView(addressedGift(), scarf(), RECIPIENT, at(40));
    expect(claimViewer(addressedGift(), RECIPIENT)).toBe('recipient');
    expect(v.viewer).toBe('recipient');
    expect(v.address).toEqual(ADDRESS);
    expect(v.message).toBe('生日快乐');
    expect(v.alternatives).toEqual([
      { skuId: 'sku_scarf_grey', attrs: { 颜色: '燕麦灰' }, inStock: true },
      { skuId: 'sku_scarf_red', attrs: { 颜色: '酒红' }, inStock: false },
    ]);
  });

  it('offers no alternatives once accepted', () => {
    expect(claimView(fullGift(), scarf(), RECIPIENT, at(40)).alternatives).toEqual([]);
  });
});

describe('claimView for a guest', () => {
  it('of a gift claimed by someone else shows only that it exists and its state', () => {
    const v = claimView(addressedGift(), scarf(), STRANGER, at(40));
    expect(v.viewer).toBe('guest');
    expect(v.claimedBySomeoneElse).toBe(true);
    expect(v.message).toBeNull();
    expect(v.address).toBeNull();
    expect(v.swaps).toEqual([]);
    expect(v.alternatives).toEqual([]);
    expect(v.claimedAt).toBeNull();
    expect(v.acceptedAt).toBeNull();
    const json = JSON.stringify(v);
    for (const s of [ADDRESS.name, ADDRESS.phone, ADDRESS.detail, RECIPIENT, String(PRICE)]) expect(json).not.toContain(s);
  });

  it('of an unclaimed gift sees the message and the alternatives (a would-be claimer)', () => {
    const v = claimView(sentGift(), scarf(), STRANGER, at(40));
    expect(v.viewer).toBe('guest');
    expect(v.claimedBySomeoneElse).toBe(false);
    expect(v.message).toBe('生日快乐');
    expect(v.alternatives.map((a) => a.skuId)).toEqual(['sku_scarf_grey', 'sku_scarf_red']);
    expect(allKeys(roundtrip(v)).filter((k) => /price|amount/i.test(k))).toEqual([]);
  });

  it('the giver opening the link does not see the address', () => {
    const v = claimView(addressedGift(), scarf(), GIVER, at(40));
    expect(v.viewer).toBe('giver');
    expect(v.address).toBeNull();
    expect(JSON.stringify(v)).not.toContain(ADDRESS.phone);
  });
});

describe('receivedView', () => {
  it('has no price or amount key and no price value', () => {
    const v = roundtrip(receivedView(fullGift(), at(40)));
    expect(allKeys(v).filter((k) => /price|amount/i.test(k))).toEqual([]);
    expect(allValues(v)).not.toContain(PRICE);
  });
});
