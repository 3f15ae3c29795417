import * as z from 'zod/mini';
import '../../schemas/zod-english';
import type { Product, Sku } from '../../domain/catalog';
import type { Catalog } from '../../ports/catalog';
import type { Clock } from '../../ports/clock';
import { StaticCatalog } from '../memory/static-catalog';
import { MerchantCallError, signedRequest } from './signed-request';

const ProductList = z.object({
  products: z.array(
    z.object({
      id: z.string().check(z.minLength(1)),
      title: z.string().check(z.minLength(1)),
      category: z.string().check(z.minLength(1)),
      skus: z.array(
        z.object({
          id: z.string().check(z.minLength(1)),
          attrs: z.record(z.string(), z.string()),
          priceFen: z.number().check(z.int(), z.nonnegative()),
          /** 原价: required, the ¥10,000 gifting limit is on it. */
          listPriceFen: z.number().check(z.int(), z.nonnegative()),
          stock: z.number().check(z.int()),
        }),
      ),
    }),
  ),
});

/**
 * The merchant's product service: GET {base}/products, cached per warm function instance for a short
 * time so a burst of claims costs one call, while price and stock changes show up within ttlSeconds.
 */
export class MerchantCatalog implements Catalog {
  private cached: { at: number; catalog: StaticCatalog } | null = null;
  private inflight: Promise<StaticCatalog> | null = null;

  constructor(private readonly opts: { baseUrl: string; secret: string; clock: Clock; ttlSeconds?: number }) {}

  private async current(): Promise<StaticCatalog> {
    const now = this.opts.clock.now().getTime();
    if (this.cached && now - this.cached.at < (this.opts.ttlSeconds ?? 60) * 1000) return this.cached.catalog;
    this.inflight ??= signedRequest({
      method: 'GET',
      url: new URL('products', this.opts.baseUrl).href,
      secret: this.opts.secret,
      clock: this.opts.clock,
    })
      .then((raw) => {
        const parsed = ProductList.safeParse(raw);
        if (!parsed.success) throw new MerchantCallError('products answered an unexpected body', 200);
        const catalog = new StaticCatalog(parsed.data.products);
        this.cached = { at: now, catalog };
        return catalog;
      })
      .finally(() => (this.inflight = null));
    return this.inflight;
  }

  async listProducts(): Promise<Product[]> {
    return (await this.current()).listProducts();
  }
  async getProduct(productId: string): Promise<Product | null> {
    return (await this.current()).getProduct(productId);
  }
  async findSku(skuId: string): Promise<{ product: Product; sku: Sku } | null> {
    return (await this.current()).findSku(skuId);
  }
}
