/**
 * Mainland China administrative divisions (GB/T 2260 six-digit codes) from @vant/area-data, the region table
 * Youzan maintains for its shop front-ends. The same tables feed the H5 省/市/区 cascade, so what a user can
 * pick is exactly what the server accepts.
 *
 * The data set also lists 台湾省 (71xxxx), 香港特别行政区 (81xxxx) and 澳门特别行政区 (82xxxx), which we cannot
 * ship to (the address is mainland-only, like the phone): they are left out of every table. The tables come packed
 * (mainland-regions.json, written by scripts/generate-compact-data.ts: a third of the package's size, for the
 * functions that bundle it) and are unpacked on first use, so loading a function does no work for them.
 */
import packed from './mainland-regions.json';

export interface ResolvedRegion {
  code: string;
  province: string;
  city: string;
  district: string;
}

export interface RegionTables {
  provinces: Readonly<Record<string, string>>;
  cities: Readonly<Record<string, string>>;
  counties: Readonly<Record<string, string>>;
}

/** Province prefixes (first two digits) of Taiwan, Hong Kong and Macau. */
const NOT_MAINLAND = new Set(['71', '81', '82']);

/** True for a code under Taiwan, Hong Kong or Macau, so the answer can say why it is refused. */
export const isHongKongMacauOrTaiwan = (code: string) => NOT_MAINLAND.has(code.slice(0, 2));

/** "01东城区02西城区…" under prefix "1101" → { "110101": "东城区", "110102": "西城区", … } (codes padded to six digits). */
function unpack(groups: Readonly<Record<string, string>>, into: Record<string, string>) {
  for (const [prefix, entries] of Object.entries(groups)) {
    for (const [, suffix, name] of entries.matchAll(/(\d\d)(\D+)/g)) into[`${prefix}${suffix}`.padEnd(6, '0')] = name!;
  }
  return Object.freeze(into);
}

let tables: RegionTables | null = null;

/** The mainland tables (code → name), for serving the cascade to the pages: nothing the server would refuse. */
export function mainlandRegionTables(): RegionTables {
  tables ??= {
    provinces: unpack({ '': packed.provinces }, {}),
    cities: unpack(packed.cities, {}),
    counties: unpack(packed.counties, {}),
  };
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
