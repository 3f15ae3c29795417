/**
 * Mainland China administrative divisions (GB/T 2260 six-digit codes) from @vant/area-data, the region table
 * Youzan maintains for its shop front-ends. The same data feeds the H5 省/市/区 cascade, so what a user can
 * pick is exactly what the server accepts.
 */
import { areaList } from '@vant/area-data';

export interface ResolvedRegion {
  code: string;
  province: string;
  city: string;
  district: string;
}

const provinces: Record<string, string> = areaList.province_list;
const cities: Record<string, string> = areaList.city_list;
const counties: Record<string, string> = areaList.county_list;

/**
 * Resolves a district-level code (the leaf a parcel is addressed to) to its names, or null when the code
 * is not a real district. Province- and city-level codes are rejected: they are too coarse to ship to.
 */
export function resolveDistrict(code: string): ResolvedRegion | null {
  if (!/^\d{6}$/.test(code)) return null;
  const district = counties[code];
  if (district === undefined) return null;
  const province = provinces[`${code.slice(0, 2)}0000`];
  const city = cities[`${code.slice(0, 4)}00`];
  if (province === undefined || city === undefined) return null;
  return { code, province, city, district };
}

/** The raw tables, for serving the cascade to the pages. */
export const regionTables = { provinces, cities, counties };
