import type { Product, Sku } from '../domain/catalog';

/** The merchant's product service, read-only from the gift flow's side. */
export interface Catalog {
  listProducts(): Promise<Product[]>;
  getProduct(productId: string): Promise<Product | null>;
  /**
   * getProduct's answer at once, for a catalog held in this process; absent elsewhere. A product it returned is
   * never changed afterwards (a change replaces it): the same object means the same product.
   */
  getProductNow?(productId: string): Product | null;
  findSku(skuId: string): Promise<{ product: Product; sku: Sku } | null>;
}
