/**
 * mainland-mobile.ts reads a phone number as libphonenumber-js does (the address rule before it: China as the default
 * country, country CN, valid, type MOBILE). Held to the package's answers, with China's metadata as the schema used it
 * and with the package's whole mobile metadata, over hand-picked texts and generated ones: numbers built from the
 * pieces the package's steps look at (prefixes, national prefix and carrier codes, separators, other digit scripts,
 * extensions, surrounding text, tel: URIs) and arbitrary strings.
 */
import fc from 'fast-check';
import { type MetadataJson, parsePhoneNumberFromString as parseWithMetadata } from 'libphonenumber-js/core';
import { parsePhoneNumberFromString as parseWithWholeMetadata } from 'libphonenumber-js/mobile';
import { describe, expect, it } from 'vitest';
import { mainlandPhoneMetadata } from '../../scripts/generate-compact-data';
import { mainlandMobileE164 } from '../../shared/schemas/mainland-mobile';

const chinaMetadata = mainlandPhoneMetadata() as unknown as MetadataJson;

type Parsed = ReturnType<typeof parseWithWholeMetadata>;
const verdict = (n: Parsed) => {
  const type = n?.getType();
  return n?.country === 'CN' && n.isValid() && (type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE') ? n.number : null;
};
/**
 * The package checks a `tel:` text's phone-context with regular expressions flagged g, whose lastIndex survives a
 * match: the next check then fails (`^` cannot match past 0) and resets it. So a valid context is refused every other
 * time, never the reverse; its answer in a fresh state is the one of two calls in a row that is not a refusal.
 */
const fresh = (parse: (text: string) => string | null) => (text: string) =>
  text.includes(';phone-context=') ? (parse(text) ?? parse(text)) : parse(text);
/** What the address rule answered: the package with China's metadata (what the schema carried) … */
const packageVerdict = fresh((text) => verdict(parseWithMetadata(text, 'CN', chinaMetadata)));
/** … which is also what it answered with every country's metadata. */
const wholeMetadataVerdict = fresh((text) => verdict(parseWithWholeMetadata(text, 'CN')));

const expectSameAsPackage = (texts: readonly string[]) => {
  const ours = texts.map((t) => [t, mainlandMobileE164(t)]);
  expect(ours).toEqual(texts.map((t) => [t, packageVerdict(t)]));
  expect(ours).toEqual(texts.map((t) => [t, wholeMetadataVerdict(t)]));
};

const SEPARATORS = [
  '',
  ' ',
  '-',
  '.',
  '/',
  '\u00a0',
  '\u3000',
  '\uff0d',
  '\u2010',
  '~',
  '(',
  ')',
  '\uff08',
  '\uff09',
  '[',
  'x',
  ',',
  ';',
  '#',
  '*',
  'a',
  '号',
];
const PREFIXES = [
  '',
  '+',
  '+86',
  '+86 ',
  '86',
  '086',
  '0086',
  '00 86',
  '0',
  '00',
  '+0',
  '+860',
  '8686',
  '\uff0b86',
  '+852',
  '+1',
  '17900',
  '11200',
  '12100',
  '1790086',
];
const EXTENSIONS = ['', ' ext. 12', ' x123', ' #5', ';ext=9', ',,12', ', 3', ' - 12#', ' anexo 1', ' доб 7', ' 分机 3', '#'];
const SURROUNDINGS: Array<[string, string]> = [
  ['', ''],
  ['电话', ''],
  ['tel:', ''],
  ['手机：', '。'],
  ['call ', ' now'],
  [' ', ' '],
  ['(', ')'],
];

const digit = fc.constantFrom(...'0123456789');
const toScript = (s: string, zero: number) => s.replace(/\d/g, (d) => String.fromCharCode(zero + Number(d)));
/** 11-digit mobiles of the plan's prefixes, other lengths, and any digits. */
const nationalDigits = fc.oneof(
  fc
    .tuple(fc.constantFrom('13', '14', '15', '16', '17', '18', '19', '10', '12', '11'), fc.array(digit, { minLength: 9, maxLength: 9 }))
    .map(([p, d]) => p + d.join('')),
  fc
    .tuple(fc.constantFrom('1740', '1610', '1749', '1700', '1349'), fc.array(digit, { minLength: 7, maxLength: 7 }))
    .map(([p, d]) => p + d.join('')),
  fc.array(digit, { minLength: 0, maxLength: 14 }).map((d) => d.join('')),
);
/** The digits cut into groups with separators between them. */
const separated = fc
  .tuple(nationalDigits, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...SEPARATORS)), { maxLength: 4 }))
  .map(([digits, cuts]) => {
    let out = digits;
    for (const [at, sep] of cuts) {
      const i = digits.length ? at % (out.length + 1) : 0;
      out = out.slice(0, i) + sep + out.slice(i);
    }
    return out;
  });
const script = fc.constantFrom(0x30, 0x30, 0x30, 0xff10, 0x660, 0x6f0);
const builtNumber = fc
  .tuple(fc.constantFrom(...SURROUNDINGS), fc.constantFrom(...PREFIXES), separated, fc.constantFrom(...EXTENSIONS), script)
  .map(([[before, after], prefix, body, ext, zero]) => before + toScript(prefix + body, zero) + ext + after);

describe('mainlandMobileE164', () => {
  it('answers as libphonenumber-js on hand-picked texts', () => {
    const texts = [
      '13800138000',
      '+86 138 0013 8000',
      '+8613800138000',
      '008613800138000',
      '8613800138000',
      '86 13800138000',
      '013800138000',
      '17951 13800138000',
      '179511380013800',
      '(+86) 138-0013-8000',
      '\uff0b86 138 0013 8000',
      '１３８００１３８０００',
      '١٣٨٠٠١٣٨٠٠٠',
      '13800138000 ext. 123',
      '13800138000#',
      'tel:+86-138-0013-8000',
      'tel:13800138000;phone-context=+86',
      'tel:13800138000;phone-context=example.com',
      'tel:13800138000;phone-context=',
      'tel:13800138000;isub=12;phone-context=+86',
      '13800138000;isub=12',
      '手机：13800138000。',
      '电话138 0013 8000，谢谢',
      '+852 9123 4567',
      '+1 202 555 0123',
      '010-12345678',
      '+86 10 1234 5678',
      '8617400012345',
      '17400012345',
      '+8686',
      '+86',
      '+8',
      '+',
      '86',
      '',
      ' ',
      'call me',
      '1'.repeat(251),
      `13800138000${' '.repeat(240)}`,
      `13800138000${' '.repeat(239)}`,
    ];
    expectSameAsPackage(texts);
    expect(texts.map(mainlandMobileE164).filter(Boolean).length).toBeGreaterThan(15); // many of them are valid
  });

  it('answers as libphonenumber-js on every 3-digit prefix, written four ways', () => {
    const texts: string[] = [];
    for (let p = 100; p < 200; p++) texts.push(`${p}12345678`, `+86${p}00138000`, `0086 ${p} 9999 0000`, `86${p}1234567`, `0${p}12345678`);
    expectSameAsPackage(texts);
  });

  it('answers as libphonenumber-js on generated numbers', () => {
    fc.assert(
      fc.property(builtNumber, (text) => {
        expect(mainlandMobileE164(text)).toBe(packageVerdict(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers as libphonenumber-js on arbitrary strings of phone-like characters and of any characters', () => {
    const phoneLike = fc
      .array(fc.constantFrom(...'0123456789+ -().#x;,/８６１', ...SEPARATORS, ';ext=', 'tel:', ';phone-context=', '+86'), { maxLength: 24 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(phoneLike, fc.string({ maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 20 })), (text) => {
        expect(mainlandMobileE164(text)).toBe(packageVerdict(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it('finds valid numbers among the generated ones (the comparison is not all refusals)', () => {
    const sample = fc.sample(builtNumber, { numRuns: 2_000, seed: 14 });
    expect(sample.filter((t) => mainlandMobileE164(t) !== null).length).toBeGreaterThan(100);
  });
});
