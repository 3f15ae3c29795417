import { isProductGiftable } from '../../domain/eligibility';
import { operations } from '../operations';
import { route } from '../route';

export const listProductsRoute = route(operations.listProducts, async ({ deps }) => {
  const products = await deps.catalog.listProducts();
  return {
    body: {
      products: products.map((p) => ({
        id: p.id,
        title: p.title,
        category: p.category,
        giftable: isProductGiftable(p, deps.giftPolicy),
        skus: p.skus.map((s) => ({ id: s.id, attrs: s.attrs, priceFen: s.priceFen, stock: s.stock })),
      })),
    },
  };
});
