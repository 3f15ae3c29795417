import { parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import * as z from 'zod';
import type { Address } from '../domain/gift';
import { resolveDistrict } from '../regions/china-regions';
import { charCount } from './common';

const text = (label: string, max: number) =>
  z
    .string()
    .transform((s) => s.trim())
    .refine((s) => s.length > 0, `${label} is required`)
    .refine((s) => charCount(s) <= max, `${label} must be at most ${max} characters`)
    .refine((s) => !/[\u0000-\u001F\u007F]/.test(s), `${label} must not contain control characters`);

/** Mainland mobile numbers only (a courier must be able to call or text it), normalised to E.164. */
export const MainlandMobile = z.string().transform((raw, ctx) => {
  const n = parsePhoneNumberFromString(raw, 'CN');
  const type = n?.getType();
  if (!n || n.country !== 'CN' || !n.isValid() || (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')) {
    ctx.addIssue({ code: 'custom', message: 'phone must be a valid mainland China mobile number' });
    return z.NEVER;
  }
  return n.number;
});

export const AddressBody = z
  .strictObject({
    name: text('name', 30),
    phone: MainlandMobile,
    // Checked per field (not in the object transform) so one answer lists every bad field.
    regionCode: z
      .string()
      .regex(/^\d{6}$/, { message: 'regionCode must be a 6-digit GB/T 2260 district code', abort: true })
      .refine((code) => resolveDistrict(code) !== null, 'regionCode is not a known district'),
    detail: text('detail', 120),
  })
  .transform((a): Address => {
    const region = resolveDistrict(a.regionCode)!;
    return { name: a.name, phone: a.phone, regionCode: a.regionCode, province: region.province, city: region.city, district: region.district, detail: a.detail };
  });
export type AddressBody = z.input<typeof AddressBody>;
