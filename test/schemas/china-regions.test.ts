import { areaList } from '@vant/area-data';
import { describe, expect, it } from 'vitest';
import { compactRegions } from '../../scripts/generate-compact-data';
import { isHongKongMacauOrTaiwan, mainlandRegionTables, resolveDistrict } from '../../shared/regions/china-regions';
import packed from '../../shared/regions/mainland-regions.json';
import { mainlandRegionTables as pagesRegionTables } from '../../shared/regions/mainland-regions-web';
import { AddressBody } from '../../shared/schemas/address';

const address = { name: '张三', phone: '13800138000', regionCode: '110105', detail: '建国路88号' };
const NOT_MAINLAND_MESSAGE = 'regionCode must be a mainland China district (Hong Kong, Macau and Taiwan are not supported)';

// Real district codes of @vant/area-data 2.1.0 (asserted below, so a data update that drops one is noticed).
const HK_MO_TW = [
  ['810101', '中西区'],
  ['810305', '元朗区'],
  ['820102', '花地玛堂区'],
  ['820203', '路氹填海区'],
  ['710101', '中正区'],
  ['710201', '新兴区'],
  ['710199', '其它区'],
] as const;

const MAINLAND = [
  ['110105', '北京市', '北京市', '朝阳区'],
  ['310115', '上海市', '上海市', '浦东新区'],
  ['440305', '广东省', '深圳市', '南山区'],
  ['441901', '广东省', '东莞市', '中堂镇'],
  ['500101', '重庆市', '重庆市', '万州区'],
  ['460105', '海南省', '海口市', '秀英区'],
  ['540102', '西藏自治区', '拉萨市', '城关区'],
  ['650102', '新疆维吾尔自治区', '乌鲁木齐市', '天山区'],
] as const;

describe('Hong Kong, Macau and Taiwan', () => {
  it.each(HK_MO_TW)('%s (%s) is in the data set but resolves to null', (code, name) => {
    expect((areaList.county_list as Record<string, string>)[code]).toBe(name);
    expect(isHongKongMacauOrTaiwan(code)).toBe(true);
    expect(resolveDistrict(code)).toBeNull();
  });

  const provinceAndCityCodes = ['810000', '820000', '710000', '810100', '711100'];
  it.each([...HK_MO_TW.map(([code]) => code), ...provinceAndCityCodes])('AddressBody refuses %s, saying why', (regionCode) => {
    const r = AddressBody.safeParse({ ...address, regionCode });
    expect(r.success).toBe(false);
    const issues = r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    expect(issues).toEqual([{ path: 'regionCode', message: NOT_MAINLAND_MESSAGE }]);
  });

  it('an unknown mainland-looking code still gets the "not a known district" message', () => {
    const r = AddressBody.safeParse({ ...address, regionCode: '999999' });
    expect(r.error!.issues.map((i) => i.message)).toEqual(['regionCode is not a known district']);
  });
});

describe('mainland districts', () => {
  it.each(MAINLAND)('%s resolves to %s %s %s and is accepted', (code, province, city, district) => {
    expect(isHongKongMacauOrTaiwan(code)).toBe(false);
    expect(resolveDistrict(code)).toEqual({ code, province, city, district });
    expect(AddressBody.parse({ ...address, regionCode: code })).toMatchObject({ regionCode: code, province, city, district });
  });
});

const regionTables = mainlandRegionTables();

describe('mainlandRegionTables (the H5 cascade, unpacked from mainland-regions.json)', () => {
  const all = (t: Record<string, string>) => Object.keys(t);

  it('offers no Hong Kong, Macau or Taiwan entry at any level', () => {
    for (const table of [regionTables.provinces, regionTables.cities, regionTables.counties]) {
      expect(all(table).filter((code) => /^(71|81|82)/.test(code))).toEqual([]);
    }
    expect(Object.values(regionTables.provinces)).not.toContain('香港特别行政区');
  });

  it('offers every mainland entry of the data set: 31 provinces', () => {
    const mainland = (t: Record<string, string>) => all(t).filter((code) => !/^(71|81|82)/.test(code));
    expect(all(regionTables.provinces)).toEqual(mainland(areaList.province_list));
    expect(all(regionTables.cities)).toEqual(mainland(areaList.city_list));
    expect(all(regionTables.counties)).toEqual(mainland(areaList.county_list));
    expect(all(regionTables.provinces)).toHaveLength(31);
  });

  it('holds the names of the installed data set: mainland-regions.json is not stale (npm run gen rewrites it)', () => {
    const names = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([code]) => !/^(71|81|82)/.test(code)));
    expect(regionTables.provinces).toEqual(names(areaList.province_list));
    expect(regionTables.cities).toEqual(names(areaList.city_list));
    expect(regionTables.counties).toEqual(names(areaList.county_list));
    expect(packed).toEqual(compactRegions());
  });

  it("is the pages' table: the compressed copy the server inflates (mainland-regions.brotli.json) unpacks to the JSON's", () => {
    expect(regionTables).toEqual(pagesRegionTables());
    expect(Object.keys(regionTables.counties).length).toBeGreaterThan(2_800);
  });

  it('every district it offers is accepted by the server', () => {
    const refused = all(regionTables.counties).filter((code) => resolveDistrict(code) === null);
    expect(refused).toEqual([]);
  });

  it('is read-only', () => {
    expect(Object.isFrozen(regionTables.counties)).toBe(true);
  });
});
