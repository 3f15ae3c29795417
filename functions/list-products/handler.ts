import { isProductGiftable } from '../../shared/domain/eligibility';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';

/** GET /products: the catalog, each product flagged 支持送礼物 when at least one style may be gifted. */
export default route(contract.listProducts, async ({ deps }) => {
  const products = await deps.catalog.listProducts();
  return {
    body: {
      products: products.map((p) => ({
        id: p.id,
        title: p.title,
        category: p.category,
        giftable: isProductGiftable(p, deps.giftPolicy),
        skus: p.skus.map((s) => ({ id: s.id, attrs: s.attrs, priceFen: s.priceFen, listPriceFen: s.listPriceFen, stock: s.stock })),
      })),
    },
  };
});
