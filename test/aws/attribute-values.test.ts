import { convertToAttr, convertToNative } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromAttr, toAttr } from '../../shared/adapters/aws/attribute-values';

/** What a conversion answers: its value, or its error's message. */
const outcome = (f: () => unknown) => {
  try {
    return { value: f() };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

class Money {
  constructor(readonly cents: number) {}
}

/** Values songli stores, and the package's refusals of undefined: both must answer exactly as the package does. */
const STORED: unknown[] = [
  'text',
  '',
  '送礼物',
  0,
  -0,
  -1.5,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  null,
  undefined,
  new Uint8Array([1, 2]),
  Buffer.from('hi'),
  [1, 'a', undefined, null, () => 0, [true]],
  { a: 1, b: undefined, c: { d: ['x'] }, f: () => 0 },
  Object.assign(Object.create(null), { bare: 'yes' }),
  new Set(['a', 'b']),
  new Set([undefined, 'a']),
];

/** Values songli never stores: refused, naming what they are, where the package would store them one way or another. */
const NOT_STORED: [unknown, string][] = [
  [2 ** 53 + 2, 'the number 9007199254740994'],
  [Number.NaN, 'the number NaN'],
  [Number.POSITIVE_INFINITY, 'the number Infinity'],
  [12n, 'a BigInt'],
  [new Map([['k', 1]]), 'a Map'],
  [new Set([1, 2.5]), 'this set'],
  [new Set([new Uint8Array([7])]), 'this set'],
  [new Set(), 'this set'],
  [new Money(5), 'a Money'],
  [new Date(0), 'a Date'],
  [{ nested: { at: new Date(0) } }, 'a Date'],
  [Symbol('s'), 'a Symbol'],
];

/** What the stores write: JSON values with safe numbers, bytes and non-empty string sets, nested. */
const storable = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
    fc.boolean(),
    fc.constant(null),
    fc.uint8Array({ maxLength: 8 }),
    fc.uniqueArray(fc.string(), { minLength: 1, maxLength: 4 }).map((a) => new Set(a)),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), fc.option(tie('value'), { nil: undefined }), { maxKeys: 4 }),
  ),
})).value;

describe('attribute values (shared/adapters/aws/attribute-values.ts) against @aws-sdk/util-dynamodb', () => {
  for (const options of [{}, { removeUndefinedValues: true }]) {
    it(`marshals every kind of stored value as convertToAttr does, ${JSON.stringify(options)}`, () => {
      for (const [i, value] of STORED.entries()) {
        expect(
          outcome(() => toAttr(value, options)),
          `STORED[${i}]`,
        ).toEqual(outcome(() => convertToAttr(value as never, options)));
      }
    });

    it(`marshals and unmarshals arbitrary stored values as the package does, ${JSON.stringify(options)}`, () => {
      fc.assert(
        fc.property(storable, (value) => {
          const ours = outcome(() => toAttr(value, options));
          expect(ours).toEqual(outcome(() => convertToAttr(value as never, options)));
          if ('value' in ours) expect(fromAttr(ours.value as never)).toEqual(convertToNative(ours.value as never));
        }),
        { numRuns: 500 },
      );
    });
  }

  it('refuses what songli never stores, naming it', () => {
    for (const [value, what] of NOT_STORED) {
      expect(outcome(() => toAttr(value, { removeUndefinedValues: true })).error, what).toBe(
        `songli stores JSON values, bytes and string sets in DynamoDB, not ${what}`,
      );
    }
  });

  it('unmarshals every kind of stored attribute value as convertToNative does', () => {
    const attrs: Record<string, unknown>[] = [
      { S: 'x' },
      { N: '42' },
      { N: '-0.25' },
      { N: '9007199254740991' },
      { BOOL: false },
      { NULL: true },
      { B: new Uint8Array([1]) },
      { L: [{ S: 'a' }, { N: '1' }, { M: { x: { NULL: true } } }] },
      { M: { a: { SS: ['p', 'q'] }, b: { L: [] }, c: { B: new Uint8Array([2]) } } },
      { S: undefined, N: '3' },
      {},
    ];
    for (const attr of attrs) {
      expect(
        outcome(() => fromAttr(attr)),
        JSON.stringify(attr),
      ).toEqual(outcome(() => convertToNative(attr as never)));
    }
  });

  it('refuses attribute values songli never writes', () => {
    for (const [attr, what] of [
      [{ N: '9007199254740993' }, 'the number 9007199254740993'],
      [{ N: '1e400' }, 'the number 1e400'],
      [{ NS: ['1'] }, 'a NS attribute'],
      [{ BS: [new Uint8Array([2])] }, 'a BS attribute'],
      [{ X: 'unknown' }, 'a X attribute'],
    ] as const) {
      expect(outcome(() => fromAttr(attr)).error).toBe(`songli stores JSON values, bytes and string sets in DynamoDB, not ${what}`);
    }
  });
});
