/**
 * The packed region tables (mainland-regions.json, written by scripts/generate-compact-data.ts) and their unpacking:
 * pure, so the pages (which read the JSON) and the server (which inflates the same JSON from a compressed copy,
 * ./china-regions.ts) unpack them one way.
 */

export interface PackedRegions {
  provinces: string;
  cities: Readonly<Record<string, string>>;
  counties: Readonly<Record<string, string>>;
}

export interface RegionTables {
  provinces: Readonly<Record<string, string>>;
  cities: Readonly<Record<string, string>>;
  counties: Readonly<Record<string, string>>;
}

/** "01东城区02西城区…" under prefix "1101" → { "110101": "东城区", "110102": "西城区", … } (codes padded to six digits). */
function unpack(groups: Readonly<Record<string, string>>, into: Record<string, string>) {
  for (const [prefix, entries] of Object.entries(groups)) {
    for (const [, suffix, name] of entries.matchAll(/(\d\d)(\D+)/g)) into[`${prefix}${suffix}`.padEnd(6, '0')] = name!;
  }
  return Object.freeze(into);
}

/** The tables (code → name) of the packed data. */
export const unpackRegions = (packed: PackedRegions): RegionTables => ({
  provinces: unpack({ '': packed.provinces }, {}),
  cities: unpack(packed.cities, {}),
  counties: unpack(packed.counties, {}),
});
