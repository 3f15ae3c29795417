import type { Product, Sku } from '../../domain/catalog';
import type { Catalog } from '../../ports/catalog';

/** A catalog held in memory: the demo catalog locally, a merchant's exported catalog in tests or small deploys. */
export class StaticCatalog implements Catalog {
  private readonly products = new Map<string, Product>();
  private readonly skus = new Map<string, { product: Product; sku: Sku }>();

  constructor(products: readonly Product[]) {
    for (const p of products) this.hold(p);
  }

  private hold(p: Product): void {
    this.products.set(p.id, p);
    for (const sku of p.skus) this.skus.set(sku.id, { product: p, sku });
  }

  async listProducts(): Promise<Product[]> {
    return [...this.products.values()];
  }

  async getProduct(productId: string): Promise<Product | null> {
    return this.getProductNow(productId);
  }

  getProductNow(productId: string): Product | null {
    return this.products.get(productId) ?? null;
  }

  async findSku(skuId: string): Promise<{ product: Product; sku: Sku } | null> {
    return this.skus.get(skuId) ?? null;
  }

  /**
   * Changes a style's stock (tests and the demo). The product is replaced, not changed in place (getProductNow's
   * promise): a card built from the old object stays what it was, and a reader can tell a change by identity.
   */
  setStock(skuId: string, stock: number): void {
    const found = this.skus.get(skuId);
    if (!found) throw new Error(`no SKU ${skuId}`);
    const { product } = found;
    this.hold({ ...product, skus: product.skus.map((s) => (s.id === skuId ? { ...s, stock } : s)) });
  }
}
