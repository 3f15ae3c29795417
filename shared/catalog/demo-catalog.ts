import type { Product } from '../domain/catalog';

/**
 * The demo catalog the local server seeds. It covers every rule: a giftable product whose styles share a price
 * (swappable) with one priced differently (and discounted) and one out of stock; a product over ¥10,000; one on sale
 * below ¥10,000 whose 原价 (list price) is over it, so it is not giftable; and the two excluded categories.
 */
export const DEMO_CATALOG: Product[] = [
  {
    id: 'p_scarf',
    title: '羊绒围巾',
    category: 'apparel',
    skus: [
      { id: 'sku_scarf_blue', attrs: { 颜色: '雾霾蓝' }, priceFen: 29_900, listPriceFen: 29_900, stock: 50 },
      { id: 'sku_scarf_grey', attrs: { 颜色: '燕麦灰' }, priceFen: 29_900, listPriceFen: 29_900, stock: 30 },
      { id: 'sku_scarf_red', attrs: { 颜色: '酒红' }, priceFen: 29_900, listPriceFen: 29_900, stock: 0 },
      { id: 'sku_scarf_long', attrs: { 颜色: '驼色', 尺寸: '加长款' }, priceFen: 39_900, listPriceFen: 45_900, stock: 20 },
    ],
  },
  {
    id: 'p_tea',
    title: '明前龙井礼盒',
    category: 'food',
    skus: [
      { id: 'sku_tea_250', attrs: { 规格: '250g' }, priceFen: 26_800, listPriceFen: 26_800, stock: 100 },
      { id: 'sku_tea_250_tin', attrs: { 规格: '250g 铁罐' }, priceFen: 26_800, listPriceFen: 26_800, stock: 15 },
    ],
  },
  {
    id: 'p_massage_chair',
    title: '智能按摩椅',
    category: 'home_appliance',
    skus: [{ id: 'sku_chair_pro', attrs: { 型号: 'Pro' }, priceFen: 1_299_900, listPriceFen: 1_299_900, stock: 5 }],
  },
  {
    id: 'p_espresso',
    title: '意式咖啡机（限时折扣）',
    category: 'home_appliance',
    skus: [{ id: 'sku_espresso', attrs: { 颜色: '银色' }, priceFen: 899_900, listPriceFen: 1_099_900, stock: 8 }],
  },
  {
    id: 'p_gold_pendant',
    title: '足金吊坠',
    category: 'jewelry',
    skus: [{ id: 'sku_pendant', attrs: { 克重: '3g' }, priceFen: 189_900, listPriceFen: 189_900, stock: 10 }],
  },
  {
    id: 'p_english_course',
    title: '少儿英语课程',
    category: 'education',
    skus: [{ id: 'sku_course_30', attrs: { 课时: '30节' }, priceFen: 99_900, listPriceFen: 99_900, stock: 999 }],
  },
];
