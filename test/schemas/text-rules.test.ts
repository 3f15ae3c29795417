/**
 * The shared rule for user-typed text (shared/schemas/common.ts) through every field that uses it: the gift message
 * and the address name and detail. Each forbidden and each invisible code point is checked on its own.
 */
import { describe, expect, it } from 'vitest';
import { AddressBody } from '../../shared/schemas/address';
import { hasForbiddenControls, isBlank } from '../../shared/schemas/common';
import { CreateGiftBody } from '../../shared/schemas/create-gift';

const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

const C0 = range(0x00, 0x1f);
const BIDI = [0x061c, 0x200e, 0x200f, ...range(0x202a, 0x202e), ...range(0x2066, 0x2069)];
const FORBIDDEN_EVERYWHERE = [0x7f, ...range(0x80, 0x9f), 0x2028, 0x2029, ...BIDI];
const LINE_BREAKS = [0x09, 0x0a, 0x0d]; // \t, \n, \r (the \r only as part of \r\n)
/** Forbidden in a name or a detail. */
const FORBIDDEN = [...C0, ...FORBIDDEN_EVERYWHERE];
/** Forbidden in a message, anywhere (a lone \r is tested apart). */
const FORBIDDEN_IN_MESSAGE = FORBIDDEN.filter((cp) => !LINE_BREAKS.includes(cp));
/** What String.prototype.trim drops at the edges: these are never stored, so at an edge they are not refused. */
const TRIMMED = FORBIDDEN.filter((cp) => String.fromCodePoint(cp).trim() === '');
const notTrimmed = (cps: number[]) => cps.filter((cp) => !TRIMMED.includes(cp));
const cases = (cps: number[]) => cps.map((cp) => [hex(cp), cp] as const);

const INVISIBLE = [
  0x00ad,
  0x034f,
  0x115f,
  0x1160,
  0x17b4,
  0x17b5,
  ...range(0x180b, 0x180f),
  ...range(0x200b, 0x200d),
  ...range(0x2060, 0x2064),
  ...range(0x206a, 0x206f),
  0x3164,
  ...range(0xfe00, 0xfe0f),
  0xfeff,
  0xffa0,
  0x2800,
  0x1bca0,
  0x1d173,
  0xe0001,
  0xe0020,
  0xe0100,
  // whitespace trim() leaves nothing of, listed so "blank" does not depend on trimming first
  0x00a0,
  0x1680,
  ...range(0x2000, 0x200a),
  0x202f,
  0x205f,
  0x3000,
];

const address = { name: '张三', phone: '13800138000', regionCode: '110105', detail: '建国路88号' };
const parseAddress = (patch: Record<string, string>) => AddressBody.safeParse({ ...address, ...patch });
const parseMessage = (message: unknown) => CreateGiftBody.safeParse({ skuId: 'sku_scarf_blue', message });
const issues = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) => {
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};
const controlIssue = (path: string) => [{ path, message: `${path} must not contain control or bidi-override characters` }];

describe('the forbidden characters, one by one', () => {
  it('the lists cover 79 code points: C0, DEL, C1, U+2028, U+2029 and the bidi formatting characters', () => {
    expect(FORBIDDEN).toHaveLength(79);
    expect(FORBIDDEN_IN_MESSAGE).toHaveLength(76);
  });

  describe.each(['name', 'detail'] as const)('in the %s', (field) => {
    it.each(cases(FORBIDDEN))('refuses %s inside the text', (_hex, cp) => {
      expect(issues(parseAddress({ [field]: `张${String.fromCodePoint(cp)}三` }))).toEqual(controlIssue(field));
    });

    it.each(cases(notTrimmed(FORBIDDEN)))('refuses %s at either edge (trim keeps it)', (_hex, cp) => {
      const c = String.fromCodePoint(cp);
      expect(issues(parseAddress({ [field]: `${c}张三` }))).toEqual(controlIssue(field));
      expect(issues(parseAddress({ [field]: `张三${c}` }))).toEqual(controlIssue(field));
    });
  });

  describe('in the message', () => {
    it.each(cases(FORBIDDEN_IN_MESSAGE))('refuses %s inside the text', (_hex, cp) => {
      expect(issues(parseMessage(`生日${String.fromCodePoint(cp)}快乐`))).toEqual(controlIssue('message'));
    });

    it.each(cases(notTrimmed(FORBIDDEN_IN_MESSAGE)))('refuses %s at either edge', (_hex, cp) => {
      const c = String.fromCodePoint(cp);
      expect(issues(parseMessage(`${c}生日快乐`))).toEqual(controlIssue('message'));
      expect(issues(parseMessage(`生日快乐${c}`))).toEqual(controlIssue('message'));
    });

    it.each([
      ['a lone \\r', '第一行\r第二行'],
      ['\\r\\n\\r', '第一行\r\n\r第二行'],
    ])('refuses %s (not a line break)', (_label, message) => {
      expect(issues(parseMessage(message))).toEqual(controlIssue('message'));
    });
  });

  it.each(cases(TRIMMED))('drops %s at the edges like any whitespace: nothing of it is stored', (_hex, cp) => {
    const c = String.fromCodePoint(cp);
    const padded = parseAddress({ name: `${c}张三${c}`, detail: `${c}建国路${c}` });
    expect(padded.data).toMatchObject({ name: '张三', detail: '建国路' });
    expect(parseMessage(`${c}生日快乐${c}`).data!.message).toBe('生日快乐');
  });

  it('one message per field: a forbidden character wins over length and blankness', () => {
    expect(issues(parseAddress({ name: `\u202E${'张'.repeat(40)}` }))).toEqual(controlIssue('name'));
    expect(issues(parseAddress({ name: '\u202E' }))).toEqual(controlIssue('name'));
    expect(issues(parseMessage('\u200F'))).toEqual(controlIssue('message'));
  });

  it('names every broken field at once', () => {
    const both = parseAddress({ name: '张\u0085三', detail: '建国路\u202E88号' });
    expect(issues(both)).toEqual([...controlIssue('name'), ...controlIssue('detail')]);
  });
});

describe('line breaks and tabs', () => {
  it.each([
    ['\\n', '第一行\n第二行'],
    ['\\r\\n', '第一行\r\n第二行'],
    ['\\t', '祝你\t生日快乐'],
    ['a blank line', '第一行\n\n第二行'],
  ])('the message keeps %s as sent', (_label, message) => {
    expect(parseMessage(message).data!.message).toBe(message);
  });

  describe.each(['name', 'detail'] as const)('the %s', (field) => {
    it.each([
      ['\\n', '\n'],
      ['\\r\\n', '\r\n'],
      ['\\t', '\t'],
      ['\\r', '\r'],
    ])('refuses %s inside the text', (_label, br) => {
      expect(issues(parseAddress({ [field]: `张${br}三` }))).toEqual(controlIssue(field));
    });
  });

  it('a detail typed in a textarea may end with Enter: the trailing line break is trimmed', () => {
    expect(parseAddress({ detail: '建国路88号\n' }).data!.detail).toBe('建国路88号');
  });
});

describe('blank text (nothing a reader would see)', () => {
  describe.each(['name', 'detail'] as const)('the %s', (field) => {
    it.each(cases(INVISIBLE))('made only of %s is required', (_hex, cp) => {
      const c = String.fromCodePoint(cp);
      for (const value of [c, c.repeat(3), ` ${c}\u3000${c} `]) {
        expect(issues(parseAddress({ [field]: value }))).toEqual([{ path: field, message: `${field} is required` }]);
      }
    });

    it('mixing them all is still required, and gives the same message as an empty one', () => {
      const value = INVISIBLE.map((cp) => String.fromCodePoint(cp)).join('');
      expect(issues(parseAddress({ [field]: value }))).toEqual(issues(parseAddress({ [field]: '' })));
    });
  });

  it.each(cases(INVISIBLE))('a message made only of %s is no message (null), like an empty one', (_hex, cp) => {
    const c = String.fromCodePoint(cp);
    expect(parseMessage(c).data!.message).toBeNull();
    expect(parseMessage(` ${c.repeat(150)}\n${c} `).data!.message).toBeNull(); // blank, so never "too long"
  });

  it('invisible characters next to visible text are kept (only forbidden ones are refused)', () => {
    expect(parseAddress({ name: '张\u200B三' }).data!.name).toBe('张\u200B三');
  });

  it('isBlank and hasForbiddenControls agree with the schemas', () => {
    expect(isBlank('')).toBe(true);
    expect(isBlank('\u200D')).toBe(true);
    expect(isBlank('\u200D张')).toBe(false);
    expect(hasForbiddenControls('a\nb')).toBe(true);
    expect(hasForbiddenControls('a\nb', { allowLineBreaks: true })).toBe(false);
    expect(hasForbiddenControls('a\rb', { allowLineBreaks: true })).toBe(true);
    // right-to-left text itself is fine, only the formatting characters are not
    expect(hasForbiddenControls('مرحبا שלום')).toBe(false);
  });
});

describe('emoji sequences (ZWJ, variation selectors, tags) next to visible text', () => {
  const EMOJI = [
    ['family (ZWJ)', '👨‍👩‍👧 生日快乐'],
    ['profession (ZWJ + VS16)', '👩‍⚕️'],
    ['rainbow flag (VS16 + ZWJ)', '🏳️‍🌈'],
    ['keycap', '1️⃣'],
    ['skin tone', '👍🏽'],
    ['subdivision flag (tag characters)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
    ['heart with VS16', '❤️'],
  ];

  it.each(EMOJI)('the message keeps %s as sent', (_label, s) => {
    expect(parseMessage(s).data!.message).toBe(s);
  });

  it.each(EMOJI)('the name and the detail keep %s', (_label, s) => {
    expect(parseAddress({ name: s, detail: `建国路88号 ${s}` }).data).toMatchObject({ name: s, detail: `建国路88号 ${s}` });
  });
});

describe('the messages say which rule was broken', () => {
  it.each([
    ['name', 30],
    ['detail', 120],
  ] as const)('%s: required, too long', (field, max) => {
    expect(issues(parseAddress({ [field]: '' }))).toEqual([{ path: field, message: `${field} is required` }]);
    const tooLong = parseAddress({ [field]: '张'.repeat(max + 1) });
    expect(issues(tooLong)).toEqual([{ path: field, message: `${field} must be at most ${max} characters` }]);
  });

  it('message: too long', () => {
    expect(issues(parseMessage('祝'.repeat(101)))).toEqual([{ path: 'message', message: 'message must be at most 100 characters' }]);
  });
});
