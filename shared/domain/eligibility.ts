import type { Product, Sku } from './catalog';
import type { GiftPolicy } from './gift-policy';

export type IneligibleReason = 'category_excluded' | 'price_over_limit';

/** Why a style cannot be gifted, or null when it can. Stock is checked separately (a 409, not a 422). */
export function ineligibility(product: Product, sku: Sku, policy: GiftPolicy): IneligibleReason | null {
  if (policy.excludedCategories.includes(product.category)) return 'category_excluded';
  // The rule is on 原价 (the list price): a discount does not make an expensive style giftable.
  if (sku.listPriceFen > policy.maxPriceFen) return 'price_over_limit';
  return null;
}

/** A product shows 「支持送礼物」 when at least one of its styles is eligible. */
export function isProductGiftable(product: Product, policy: GiftPolicy): boolean {
  return product.skus.some((sku) => ineligibility(product, sku, policy) === null);
}

/** Same-product styles a recipient may switch to: same price as the gift's original style. */
export function swapAlternatives(product: Product, priceFen: number, currentSkuId: string): Sku[] {
  return product.skus.filter((s) => s.id !== currentSkuId && s.priceFen === priceFen);
}
