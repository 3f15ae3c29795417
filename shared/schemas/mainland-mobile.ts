/**
 * Mainland China mobile numbers, read exactly as libphonenumber-js 1.x reads them with China as the default country and
 * its "mobile" metadata cut to China (`parsePhoneNumberFromString(text, 'CN', metadata)`, then country CN, valid, type
 * MOBILE), which is what the address rule was: the package's steps below, each named after its module, with China's
 * numbering plan from its own metadata (mainland-mobile-rules.json, written by `npm run gen`). Carried instead of the
 * package, whose code is ~37 KB of every bundle that checks an address; test/schemas/mainland-mobile.test.ts holds
 * the two to the same answers over generated input. One difference: the package checks an RFC 3966 phone-context with
 * regular expressions that keep state between calls (flag g), so its verdict on such a `tel:` text can depend on the
 * text checked before; here it does not.
 */
import rules from './mainland-mobile-rules.json';

// constants.js
const VALID_DIGITS = '0-9\uFF10-\uFF19\u0660-\u0669\u06F0-\u06F9';
const VALID_PUNCTUATION =
  '-\u2010-\u2015\u2212\u30FC\uFF0D\uFF0F/\uFF0E. \xA0\xAD\u200B\u2060\u3000()\uFF08\uFF09\uFF3B\uFF3D\\[\\]~\u2053\u223C\uFF5E';
const PLUS_CHARS = '+\uFF0B';
const MAX_INPUT_STRING_LENGTH = 250;

// helpers/extension/createExtensionPattern.js
const extDigits = (max: number) => `([${VALID_DIGITS}]{1,${max}})`;
const BEFORE_LABEL = '[ \xA0\\t,]*';
const AFTER_LABEL = '[:\\.\uFF0E]?[ \xA0\\t,-]*';
const EXPLICIT_LABEL = '(?:e?xt(?:ensi(?:o\u0301?|\xF3))?n?|\uFF45?\uFF58\uFF54\uFF4E?|\u0434\u043E\u0431|anexo)';
const EXTENSION = [
  `;ext=${extDigits(20)}`,
  `${BEFORE_LABEL}${EXPLICIT_LABEL}${AFTER_LABEL}${extDigits(20)}#?`,
  `${BEFORE_LABEL}(?:[x\uFF58#\uFF03~\uFF5E]|int|\uFF49\uFF4E\uFF54)${AFTER_LABEL}${extDigits(9)}#?`,
  `[- ]+${extDigits(6)}#`,
  `[ \xA0\\t]*(?:,{2}|;)${AFTER_LABEL}${extDigits(15)}#?`,
  `[ \xA0\\t]*(?:,)+${AFTER_LABEL}${extDigits(9)}#?`,
].join('|');
const EXTENSION_AT_END = new RegExp(`(?:${EXTENSION})$`, 'i');

// helpers/isViablePhoneNumber.js
const VALID_PHONE_NUMBER = `[${PLUS_CHARS}]{0,1}(?:[${VALID_PUNCTUATION}]*[${VALID_DIGITS}]){3,}[${VALID_PUNCTUATION}${VALID_DIGITS}]*`;
const VIABLE = new RegExp(`^[${VALID_DIGITS}]{2}$|^${VALID_PHONE_NUMBER}(?:${EXTENSION})?$`, 'i');

// parse.js
const NUMBER_START = new RegExp(`[${PLUS_CHARS}${VALID_DIGITS}]`);
const AFTER_NUMBER_END = new RegExp(`[^${VALID_DIGITS}#]+$`);

// helpers/extractPhoneContext.js
const PHONE_CONTEXT = ';phone-context=';
const RFC3966_DIGIT = `([${VALID_DIGITS}]|[\\-\\.\\(\\)]?)`;
const GLOBAL_NUMBER_DIGITS = new RegExp(`^\\+${RFC3966_DIGIT}*[${VALID_DIGITS}]${RFC3966_DIGIT}*$`);
const DOMAIN_NAME = new RegExp(`^([${VALID_DIGITS}]+((\\-)*[${VALID_DIGITS}])*\\.)*[a-zA-Z]+((\\-)*[${VALID_DIGITS}])*\\.?$`);

// China's numbering plan (metadata.js reads the same fields).
const IDD_PREFIX = new RegExp(rules.iddPrefix);
const NATIONAL_PREFIX = new RegExp(`^(?:${rules.nationalPrefixForParsing})`);
const NATIONAL_NUMBER = new RegExp(`^(?:${rules.nationalNumberPattern})$`);
const MOBILE = new RegExp(`^(?:${rules.mobilePattern})$`);

/** helpers/parseDigits.js: ASCII, full-width, Arabic-Indic and Eastern Arabic-Indic digits, as ASCII. */
function parseDigit(c: string): string | undefined {
  const code = c.charCodeAt(0);
  for (const zero of [0x30, 0xff10, 0x660, 0x6f0]) if (code >= zero && code <= zero + 9) return String(code - zero);
  return undefined;
}

/** parseIncompletePhoneNumber.js: the digits, and a leading "+" (an ASCII one, and only before any digit). */
function digitsAndLeadingPlus(text: string): string {
  let result = '';
  for (const c of text.split('')) result += c === '+' ? (result ? '' : '+') : (parseDigit(c) ?? '');
  return result;
}

/** helpers/extractFormattedPhoneNumberFromPossibleRfc3966NumberUri.js with parse.js's extraction; null: not a number. */
function formattedNumber(text: string): string | null {
  const at = text.indexOf(PHONE_CONTEXT);
  let found: string;
  if (at < 0) {
    if (text.length > MAX_INPUT_STRING_LENGTH) return null;
    const start = text.search(NUMBER_START);
    found = start < 0 ? '' : text.slice(start).replace(AFTER_NUMBER_END, '');
  } else {
    const from = at + PHONE_CONTEXT.length;
    const end = text.indexOf(';', from);
    const context = from >= text.length ? '' : end >= 0 ? text.substring(from, end) : text.substring(from);
    if (!(GLOBAL_NUMBER_DIGITS.test(context) || DOMAIN_NAME.test(context))) return null;
    const tel = text.indexOf('tel:');
    found = (context.charAt(0) === '+' ? context : '') + text.substring(tel >= 0 ? tel + 4 : 0, at);
  }
  const isdn = found.indexOf(';isub=');
  if (isdn > 0) found = found.substring(0, isdn);
  return found === '' ? null : found;
}

/** helpers/checkNumberLength.js against the plan's possible lengths. */
function lengthVerdict(n: string): 'possible' | 'too short' | 'too long' | 'invalid' {
  const lengths = rules.possibleLengths;
  if (n.length === lengths[0]) return 'possible';
  if (n.length < lengths[0]!) return 'too short';
  if (n.length > lengths[lengths.length - 1]!) return 'too long';
  return lengths.indexOf(n.length, 1) >= 0 ? 'possible' : 'invalid';
}

/** helpers/extractNationalNumber.js: the number without China's national prefix ("0") or carrier code, where that fits. */
function nationalNumberOf(number: string): string {
  const prefix = number ? NATIONAL_PREFIX.exec(number) : null;
  if (!prefix) return number;
  const national = number.slice(prefix[0].length);
  if (national === number) return number;
  if (NATIONAL_NUMBER.test(number) && !NATIONAL_NUMBER.test(national)) return number;
  const length = lengthVerdict(national);
  return length === 'too short' || length === 'invalid' ? number : national;
}

/** helpers/stripIddPrefix.js: the number after China's international dialling prefix, or null without one. */
function withoutIddPrefix(number: string): string | null {
  if (number.search(IDD_PREFIX) !== 0) return null;
  const rest = number.slice(number.match(IDD_PREFIX)![0].length);
  return rest.match(new RegExp(`([${VALID_DIGITS}])`))?.[1] === '0' ? null : rest;
}

/**
 * helpers/extractCountryCallingCode.js with parse.js's parsePhoneNumber, for a default country of China and metadata
 * that knows only its calling code: the national number when the number is China's, else null.
 */
function chinaNationalNumber(digits: string): string | null {
  let number = digits;
  if (!number) return null;
  if (number[0] !== '+') {
    const afterIdd = withoutIddPrefix(number);
    if (afterIdd && afterIdd !== number) number = `+${afterIdd}`;
    else {
      // extractCountryCallingCodeFromInternationalNumberWithoutPlusSign.js: "86…" read as the calling code when only
      // that makes a number of the plan, or the whole would be too long.
      if (number.startsWith('86')) {
        const shorter = number.slice(2);
        const whole = nationalNumberOf(number);
        if ((!NATIONAL_NUMBER.test(whole) && NATIONAL_NUMBER.test(nationalNumberOf(shorter))) || lengthVerdict(whole) === 'too long') {
          number = shorter;
        }
      }
      return nationalNumberOf(number);
    }
  }
  if (number[1] === '0' || !number.startsWith('+86') || number.length === 3) return null;
  return nationalNumberOf(number.slice(3));
}

/** The number in E.164 (+86…) when `text` is a mainland China mobile number as libphonenumber-js reads it, else null. */
export function mainlandMobileE164(text: string): string | null {
  const formatted = formattedNumber(text);
  if (formatted === null || formatted.length < 2 || !VIABLE.test(formatted)) return null;
  // helpers/extension/extractExtension.js: an extension at the end is set aside.
  const extension = formatted.search(EXTENSION_AT_END);
  const number = extension < 0 ? formatted : formatted.slice(0, extension);
  if (!number) return null;
  const national = chinaNationalNumber(digitsAndLeadingPlus(number));
  // isValid.js and helpers/getNumberType.js: the plan's pattern, then the mobile type's lengths and pattern.
  if (national === null || !NATIONAL_NUMBER.test(national)) return null;
  return rules.mobileLengths.includes(national.length) && MOBILE.test(national) ? `+86${national}` : null;
}
