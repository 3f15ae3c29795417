import { describe, expect, it } from 'vitest';
import { StaticCatalog } from '../../shared/adapters/memory/static-catalog';
import type { Product, Sku } from '../../shared/domain/catalog';
import { ineligibility, isProductGiftable, swapAlternatives } from '../../shared/domain/eligibility';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import { createGift } from '../../shared/use-cases/create-gift';
import { asyncCodeOf, freshCatalogProducts, makeDeps } from '../support/memory-deps';

/** A style whose list price (原价) is its price unless a discount is given. */
const sku = (listPriceFen: number, stock = 10, id = 'sku_x', priceFen = listPriceFen): Sku => ({
  id,
  attrs: { 颜色: '红' },
  priceFen,
  listPriceFen,
  stock,
});
const product = (category: string, skus: Sku[]): Product => ({ id: 'p_x', title: '测试', category, skus });

describe('ineligibility', () => {
  it('allows a style priced exactly 1,000,000 fen', () => {
    expect(ineligibility(product('apparel', []), sku(1_000_000), DEFAULT_GIFT_POLICY)).toBeNull();
  });

  it('rejects a style priced 1,000,001 fen as price_over_limit', () => {
    expect(ineligibility(product('apparel', []), sku(1_000_001), DEFAULT_GIFT_POLICY)).toBe('price_over_limit');
  });

  it('allows a cheap style of an ordinary category', () => {
    expect(ineligibility(product('food', []), sku(1), DEFAULT_GIFT_POLICY)).toBeNull();
  });

  it.each(['jewelry', 'education'])('excludes category %s', (category) => {
    expect(ineligibility(product(category, []), sku(100), DEFAULT_GIFT_POLICY)).toBe('category_excluded');
  });

  it('reports the category before the price', () => {
    expect(ineligibility(product('jewelry', []), sku(2_000_000), DEFAULT_GIFT_POLICY)).toBe('category_excluded');
  });

  it('reads the list price (原价), not the sale price: a discount does not make an expensive style giftable', () => {
    expect(ineligibility(product('apparel', []), sku(1_000_001, 10, 'sku_sale', 500_000), DEFAULT_GIFT_POLICY)).toBe('price_over_limit');
    expect(ineligibility(product('apparel', []), sku(1_000_000, 10, 'sku_sale', 999_999), DEFAULT_GIFT_POLICY)).toBeNull();
  });

  it('does not treat stock as an eligibility rule (stock is a separate 409)', () => {
    expect(ineligibility(product('apparel', []), sku(100, 0), DEFAULT_GIFT_POLICY)).toBeNull();
  });
});

describe('isProductGiftable', () => {
  it('is true when at least one style is eligible', () => {
    expect(isProductGiftable(product('apparel', [sku(2_000_000, 1, 'a'), sku(1_000_000, 1, 'b')]), DEFAULT_GIFT_POLICY)).toBe(true);
  });

  it('is false for excluded categories and over-limit products of the demo catalog', () => {
    const byId = new Map(freshCatalogProducts().map((p) => [p.id, isProductGiftable(p, DEFAULT_GIFT_POLICY)]));
    expect(Object.fromEntries(byId)).toEqual({
      p_scarf: true,
      p_tea: true,
      p_massage_chair: false,
      p_espresso: false,
      p_gold_pendant: false,
      p_english_course: false,
    });
  });
});

describe('swapAlternatives', () => {
  it('lists same-price styles other than the current one, including out-of-stock ones', () => {
    const scarf = freshCatalogProducts().find((p) => p.id === 'p_scarf')!;
    expect(swapAlternatives(scarf, 29_900, 'sku_scarf_blue').map((s) => s.id)).toEqual(['sku_scarf_grey', 'sku_scarf_red']);
  });
});

describe('createGift enforces eligibility and stock', () => {
  it('creates a gift for a style priced exactly at the limit', async () => {
    const deps = makeDeps();
    deps.catalog = new StaticCatalog([product('apparel', [sku(1_000_000, 3, 'sku_limit')])]);
    const { gift } = await createGift(deps, { giverId: 'alice', body: { skuId: 'sku_limit', message: null } });
    expect(gift.priceFen).toBe(1_000_000);
    expect(gift.status).toBe('awaiting_payment');
  });

  it('charges the sale price of a discounted style whose list price is within the limit', async () => {
    const deps = makeDeps();
    const { gift } = await createGift(deps, { giverId: 'alice', body: { skuId: 'sku_scarf_long', message: null } });
    expect(gift.priceFen).toBe(39_900);
  });

  it('says the limit from the policy in its message', async () => {
    const deps = makeDeps({ giftPolicy: { maxPriceFen: 50_000 } });
    deps.catalog = new StaticCatalog([product('apparel', [sku(50_001, 3, 'sku_over')])]);
    await expect(createGift(deps, { giverId: 'alice', body: { skuId: 'sku_over', message: null } })).rejects.toMatchObject({
      code: 'GIFT_INELIGIBLE',
      message: 'styles whose original price is over ¥500 cannot be sent as gifts',
    });
  });

  it('rejects a style priced 1,000,001 fen with GIFT_INELIGIBLE', async () => {
    const deps = makeDeps();
    deps.catalog = new StaticCatalog([product('apparel', [sku(1_000_001, 3, 'sku_over')])]);
    expect(await asyncCodeOf(createGift(deps, { giverId: 'alice', body: { skuId: 'sku_over', message: null } }))).toBe('GIFT_INELIGIBLE');
  });

  it.each([
    ['sku_pendant', 'GIFT_INELIGIBLE'],
    ['sku_course_30', 'GIFT_INELIGIBLE'],
    ['sku_chair_pro', 'GIFT_INELIGIBLE'],
    ['sku_espresso', 'GIFT_INELIGIBLE'],
    ['sku_scarf_red', 'OUT_OF_STOCK'],
    ['sku_nope', 'SKU_NOT_FOUND'],
  ])('rejects %s with %s', async (skuId, code) => {
    const deps = makeDeps();
    expect(await asyncCodeOf(createGift(deps, { giverId: 'alice', body: { skuId, message: null } }))).toBe(code);
    expect(deps.store.size).toBe(0);
  });

  it('rejects a style whose stock dropped to zero with OUT_OF_STOCK', async () => {
    const deps = makeDeps();
    deps.catalog.setStock('sku_tea_250', 0);
    expect(await asyncCodeOf(createGift(deps, { giverId: 'alice', body: { skuId: 'sku_tea_250', message: null } }))).toBe('OUT_OF_STOCK');
  });
});
