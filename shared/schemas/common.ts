import * as z from 'zod/mini';
import { GIFT_ID_PATTERN } from '../domain/gift';
import { transformed } from './zod-compat';

/** User ids come from the platform (JWT sub, WX_OPENID) or /dev/login. */
export const UserId = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "_" or "-", 1 to 64 characters'));

export const GiftId = z.string().check(z.regex(GIFT_ID_PATTERN, 'not a gift id'));
export const SkuId = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[A-Za-z0-9_-]+$/, 'not a SKU id'));

/** Counts characters as Unicode code points, so 100 Chinese characters (or emoji) are 100, not 200 UTF-16 units. */
export const charCount = (s: string) => Array.from(s).length;

// Refused in every user-typed text (message, name, detail), wherever it appears after trimming: DEL and C1 controls,
// the Unicode line/paragraph separators, and the bidi formatting characters that reorder what is displayed (a U+202E
// makes a name read backwards on the pages and in the merchant's order export).
const FORBIDDEN_EVERYWHERE = /[\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;
const C0_CONTROL = /[\u0000-\u001F]/u;
// A message may span lines: \n, \r\n and \t stay; a lone \r is no line break anywhere the message is shown.
const C0_CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|\r(?!\n)/u;

/** True when `s` holds a character no user text may hold (line breaks and tabs are allowed only with `allowLineBreaks`). */
export const hasForbiddenControls = (s: string, { allowLineBreaks = false }: { allowLineBreaks?: boolean } = {}) =>
  FORBIDDEN_EVERYWHERE.test(s) || (allowLineBreaks ? C0_CONTROL_EXCEPT_LINE_BREAKS : C0_CONTROL).test(s);

// Nothing a reader would see: whitespace (incl. U+3000, NBSP), Default_Ignorable_Code_Point (zero-width and format
// characters, variation selectors, Hangul fillers U+115F/U+1160/U+3164/U+FFA0, tags) and the blank Braille pattern
// U+2800, which is a symbol (So) and so in neither class but renders as nothing.
const INVISIBLE_ONLY = /^[\s\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** True when `s` would look empty: a ZWJ or variation selector counts only next to visible text (👨‍👩‍👧 is not blank). */
export const isBlank = (s: string) => INVISIBLE_ONLY.test(s);

/**
 * The one rule for user-typed text, applied to the trimmed text: which rule it breaks, as the message the pages show,
 * or null. One message per field, forbidden characters first (a lone U+202E is a forbidden character, not "required").
 * A blank text is "required" when `required`, else no text (the caller turns it into null) and so never "too long".
 */
export function brokenTextRule(s: string, label: string, o: { max: number; required: boolean; allowLineBreaks?: boolean }): string | null {
  if (hasForbiddenControls(s, o)) return `${label} must not contain control or bidi-override characters`;
  if (isBlank(s)) return o.required ? `${label} is required` : null;
  if (charCount(s) > o.max) return `${label} must be at most ${o.max} characters`;
  return null;
}

/** A required user-typed text: trimmed, then the one rule above (one issue naming what is wrong). */
export const requiredText = (label: string, max: number, o: { allowLineBreaks?: boolean } = {}) =>
  transformed(z.string(), (s) => s.trim()).check(
    z.superRefine((s, ctx) => {
      const broken = brokenTextRule(s, label, { max, required: true, ...o });
      if (broken) ctx.addIssue({ code: 'custom', message: broken });
    }),
  );
