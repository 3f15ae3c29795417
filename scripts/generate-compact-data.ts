/**
 * Writes the compact data the address check needs, from the packages that define it (`npm run gen` runs it; a test fails
 * when the files are stale):
 *  - shared/regions/mainland-regions.json: the mainland part of @vant/area-data (GB/T 2260 codes and names), each table
 *    one string of two-digit code suffixes and names ("01东城区02西城区…": names hold no ASCII digit). ~45 KB instead of the
 *    package's 156 KB (whose Hong Kong, Macau and Taiwan entries the server refuses anyway).
 *  - shared/schemas/mainland-phone-metadata.json: libphonenumber-js's "mobile" metadata cut to calling code 86 (China),
 *    ~4 KB instead of ~99 KB: the schema accepts mainland mobile numbers only, and a number of any other country is
 *    refused whether its metadata is known (another country) or not (no country).
 *  - the same two Brotli-compressed in base64 (*.brotli.json), which the deploy bundles carry and decompress on first
 *    use: the region table in 24 KB instead of 46 KB (the pages keep reading the JSON, compressed in transfer anyway).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { areaList } from '@vant/area-data';
import type { CompressedJson } from '../shared/lib/compressed-json';

const ROOT = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

/** Province prefixes (first two digits) of Taiwan, Hong Kong and Macau: left out, as the server refuses them. */
const NOT_MAINLAND = new Set(['71', '81', '82']);
const mainland = (table: Record<string, string>) => Object.entries(table).filter(([code]) => !NOT_MAINLAND.has(code.slice(0, 2)));

/** Groups codes by their first `prefix` digits; each group is one string of the next two digits followed by the name. */
function packed(table: Record<string, string>, prefix: number): Record<string, string> {
  const groups: Record<string, string> = {};
  for (const [code, name] of mainland(table).sort(([a], [b]) => a.localeCompare(b))) {
    if (/\d/.test(name)) throw new Error(`region name ${name} (${code}) holds a digit: the packed encoding cannot carry it`);
    const key = code.slice(0, prefix);
    groups[key] = (groups[key] ?? '') + code.slice(prefix, prefix + 2) + name;
  }
  return groups;
}

export function compactRegions() {
  return {
    source: `@vant/area-data ${require('@vant/area-data/package.json').version}`,
    provinces: packed(areaList.province_list, 0)[''],
    cities: packed(areaList.city_list, 2),
    counties: packed(areaList.county_list, 4),
  };
}

export function mainlandPhoneMetadata() {
  const full = require('libphonenumber-js/metadata.mobile.json') as {
    version: number;
    country_calling_codes: Record<string, string[]>;
    countries: Record<string, unknown>;
  };
  const country_calling_codes = { 86: full.country_calling_codes['86'] };
  return { version: full.version, country_calling_codes, countries: { CN: full.countries.CN }, nonGeographic: {} };
}

/**
 * `{ brotli }`: the value's JSON, Brotli-compressed (quality 11), in base64. The regions: 18.2 KB compressed against
 * 21.1 KB raw-deflated (4 KB less base64 in a bundle), for ~0.15 ms more at the first decompression in a fresh process
 * (1.1 against 0.95 ms, five processes each; BENCHMARKS.md, "Cold start").
 */
export function brotliJson(value: unknown): CompressedJson {
  const json = Buffer.from(JSON.stringify(value));
  const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: json.length };
  return { brotli: brotliCompressSync(json, { params }).toString('base64') };
}

export const COMPACT_FILES = {
  'shared/regions/mainland-regions.json': compactRegions,
  'shared/regions/mainland-regions.brotli.json': () => brotliJson(compactRegions()),
  'shared/schemas/mainland-phone-metadata.json': mainlandPhoneMetadata,
  'shared/schemas/mainland-phone-metadata.brotli.json': () => brotliJson(mainlandPhoneMetadata()),
} as const;

if (process.argv[1] === import.meta.filename) {
  for (const [file, make] of Object.entries(COMPACT_FILES)) writeFileSync(join(ROOT, file), JSON.stringify(make()));
  // Biome's layout, so `npm run lint` finds nothing to change (the staleness test compares values, not text).
  execFileSync(join(ROOT, 'node_modules/.bin/biome'), ['format', '--write', ...Object.keys(COMPACT_FILES)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}
