// The package's ES6-only build: the same functions without Babel's per-module helpers, 15 KB less in each bundle.
import { type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core/es6';
import * as z from 'zod/mini';
import type { Address } from '../domain/gift';
import { readCompressedJson } from '../lib/compressed-json';
import { isHongKongMacauOrTaiwan, resolveDistrict } from '../regions/china-regions';
import { brokenTextRule } from './common';
// libphonenumber-js's mobile metadata cut to China (scripts/generate-compact-data.ts): ~4 KB instead of ~99 KB, carried
// Brotli-compressed and decompressed on the first number checked.
import compressedPhoneMetadata from './mainland-phone-metadata.brotli.json';
import { withMeta } from './schema-meta';
import { ADDRESS_DETAIL_MAX_CHARS, ADDRESS_NAME_MAX_CHARS } from './text-limits';
import { transformed } from './zod-compat';

// Trimmed first (edge whitespace, line breaks included, is dropped, never stored), then the shared rule, one issue per field.
const text = (label: string, max: number) =>
  transformed(z.string(), (s) => s.trim()).check(
    z.superRefine((s, ctx) => {
      const broken = brokenTextRule(s, label, { max, required: true });
      if (broken) ctx.addIssue({ code: 'custom', message: broken });
    }),
  );

/**
 * Mainland mobile numbers only (a courier must be able to call or text it), normalised to E.164. Another country's
 * number is refused as it was with the whole metadata: then it parsed as that country, now it does not parse.
 */
let phoneMetadata: MetadataJson | null = null;
const mainlandPhoneMetadata = () => (phoneMetadata ??= readCompressedJson<MetadataJson>(compressedPhoneMetadata));

export const MainlandMobile = transformed(z.string(), (raw, ctx) => {
  const n = parsePhoneNumberFromString(raw, 'CN', mainlandPhoneMetadata());
  const type = n?.getType();
  if (n?.country !== 'CN' || !n.isValid() || (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')) {
    ctx.addIssue({ code: 'custom', message: 'phone must be a valid mainland China mobile number' });
    return z.NEVER;
  }
  return n.number;
});

export const AddressBody = transformed(
  z.strictObject({
    name: text('name', ADDRESS_NAME_MAX_CHARS),
    phone: MainlandMobile,
    // Checked per field (not in the object transform) so one answer lists every bad field.
    regionCode: z.string().check(
      z.regex(/^\d{6}$/, { message: 'regionCode must be a 6-digit GB/T 2260 district code', abort: true }),
      z.superRefine((code, ctx) => {
        // The data set lists them too: say why such a real code is refused rather than "not known".
        const message = isHongKongMacauOrTaiwan(code)
          ? 'regionCode must be a mainland China district (Hong Kong, Macau and Taiwan are not supported)'
          : resolveDistrict(code) === null
            ? 'regionCode is not a known district'
            : null;
        if (message) ctx.addIssue({ code: 'custom', message });
      }),
    ),
    detail: text('detail', ADDRESS_DETAIL_MAX_CHARS),
  }),
  (a): Address => {
    const { province, city, district } = resolveDistrict(a.regionCode)!;
    return { name: a.name, phone: a.phone, regionCode: a.regionCode, province, city, district, detail: a.detail };
  },
);
export type AddressBody = z.input<typeof AddressBody>;

/**
 * POST /claims/:token/accept: an optional body. With `address` (the same rules as PUT /claims/:token/address), the
 * address is set and the gift accepted in one write; without a body (an empty body reads as {}), the saved address is used.
 */
export const AcceptGiftBody = z.strictObject({
  address: z.optional(
    withMeta(AddressBody, {
      description: 'The shipping address, as PUT /claims/:token/address takes it, set in the same write as the accept',
    }),
  ),
});
export type AcceptGiftBody = z.input<typeof AcceptGiftBody>;
