import { convertToAttr, convertToNative } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { fromAttr, toAttr } from '../../shared/adapters/aws/attribute-values';

/** What the package answers: its value, or its error's message. */
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

const VALUES: unknown[] = [
  'text',
  '',
  '送礼物',
  0,
  -1.5,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  12n,
  true,
  false,
  null,
  undefined,
  new Uint8Array([1, 2]),
  Buffer.from('hi'),
  [1, 'a', undefined, null, () => 0, [true]],
  { a: 1, b: undefined, c: { d: ['x'] }, f: () => 0 },
  Object.assign(Object.create(null), { bare: 'yes' }),
  new Map<string, unknown>([
    ['k', 1],
    ['u', undefined],
  ]),
  new Set(['a', 'b']),
  new Set([1, 2.5]),
  new Set([3n]),
  new Set([new Uint8Array([7])]),
  new Set(),
  new Set([undefined, 'a']),
  new Set([true]),
  new Set([2 ** 60]),
  new Money(5),
  new Date(0),
  Symbol('s'),
];

describe('attribute values (shared/adapters/aws/attribute-values.ts) against @aws-sdk/util-dynamodb', () => {
  for (const options of [{}, { removeUndefinedValues: true }]) {
    it(`marshals every kind of value as convertToAttr does, ${JSON.stringify(options)}`, () => {
      for (const [i, value] of VALUES.entries()) {
        expect(
          outcome(() => toAttr(value, options)),
          `VALUES[${i}]`,
        ).toEqual(outcome(() => convertToAttr(value as never, options)));
      }
    });
  }

  it('unmarshals every kind of attribute value as convertToNative does', () => {
    const attrs: Record<string, unknown>[] = [
      { S: 'x' },
      { N: '42' },
      { N: '-0.25' },
      { N: '9007199254740993' },
      { N: '1e400' },
      { N: '1.5e300' },
      { BOOL: false },
      { NULL: true },
      { B: new Uint8Array([1]) },
      { L: [{ S: 'a' }, { N: '1' }, { M: { x: { NULL: true } } }] },
      { M: { a: { SS: ['p', 'q'] }, b: { NS: ['1', '99999999999999999999'] }, c: { BS: [new Uint8Array([2])] } } },
      { S: undefined, N: '3' },
      { X: 'unknown' },
      {},
    ];
    for (const attr of attrs) {
      expect(
        outcome(() => fromAttr(attr)),
        JSON.stringify(attr),
      ).toEqual(outcome(() => convertToNative(attr as never)));
    }
  });
});
