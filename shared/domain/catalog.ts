/** Catalog shapes as the gift domain sees them (the merchant's product service owns the data). */

export interface Sku {
  id: string;
  /** Style attributes, e.g. { 颜色: '雾蓝', 尺码: 'M' }. */
  attrs: Record<string, string>;
  /** What the giver pays, integer fen (may be a discounted price). */
  priceFen: number;
  /** 原价: the style's list price, integer fen. The ¥10,000 gifting limit applies to this, not to the sale price. */
  listPriceFen: number;
  stock: number;
}

export interface Product {
  id: string;
  title: string;
  /** e.g. 'apparel', 'food', 'jewelry' (珠宝首饰), 'education' (教育培训). */
  category: string;
  skus: Sku[];
}
