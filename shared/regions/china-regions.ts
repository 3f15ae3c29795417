/**
 * Mainland China administrative divisions (GB/T 2260 six-digit codes) from @vant/area-data, the region table
 * Youzan maintains for its shop front-ends. The same tables feed the H5 省/市/区 cascade, so what a user can
 * pick is exactly what the server accepts.
 *
 * The data set also lists 台湾省 (71xxxx), 香港特别行政区 (81xxxx) and 澳门特别行政区 (82xxxx), which we cannot
 * ship to (the address is mainland-only, like the phone): they are left out of every table. The tables come packed
 * (mainland-regions.json, written by scripts/generate-compact-data.ts: a third of the package's size) and, for the
 * functions that bundle them, Brotli-compressed (mainland-regions.brotli.json: 24 KB of base64 instead of 46 KB). They
 * are decompressed and unpacked on first use (~1–2 ms in a fresh process), so loading a function does no work for them.
 * The pages read the JSON itself (mainland-regions-web.ts), their chunk being compressed in transfer anyway.
 */
import { readCompressedJson } from '../lib/compressed-json';
import compressed from './mainland-regions.brotli.json';
import { type PackedRegions, type RegionTables, unpackRegions } from './region-tables';

export type { RegionTables };

export interface ResolvedRegion {
  code: string;
  province: string;
  city: string;
  district: string;
}

/** Province prefixes (first two digits) of Taiwan, Hong Kong and Macau. */
const NOT_MAINLAND = new Set(['71', '81', '82']);

/** True for a code under Taiwan, Hong Kong or Macau, so the answer can say why it is refused. */
export const isHongKongMacauOrTaiwan = (code: string) => NOT_MAINLAND.has(code.slice(0, 2));

let tables: RegionTables | null = null;

/** The mainland tables (code → name): nothing the server would refuse. */
export function mainlandRegionTables(): RegionTables {
  tables ??= unpackRegions(readCompressedJson<PackedRegions>(compressed));
  return tables;
}

/**
 * Resolves a mainland district-level code (the leaf a parcel is addressed to) to its names, or null when the code
 * is not a mainland district. Province- and city-level codes are rejected: they are too coarse to ship to.
 */
export function resolveDistrict(code: string): ResolvedRegion | null {
  if (!/^\d{6}$/.test(code)) return null;
  const { provinces, cities, counties } = mainlandRegionTables();
  const district = counties[code];
  if (district === undefined) return null;
  const province = provinces[`${code.slice(0, 2)}0000`];
  const city = cities[`${code.slice(0, 4)}00`];
  if (province === undefined || city === undefined) return null;
  return { code, province, city, district };
}
