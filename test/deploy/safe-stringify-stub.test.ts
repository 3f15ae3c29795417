import { createRequire } from 'node:module';
import { configure } from 'safe-stable-stringify';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const stub = require('../../build/stubs/safe-stable-stringify.cjs') as { configure: typeof configure };

/** Values JSON.stringify throws on (pino's only use of its safe fallback), and what they hold. */
function samples(): unknown[] {
  const circular: Record<string, unknown> = { b: 1, a: 'x', nested: { list: [1, 'two', null, undefined, () => 0] } };
  circular.self = circular;
  (circular.nested as Record<string, unknown>).up = circular;
  const deep = { l1: { l2: { l3: { l4: { l5: { l6: { l7: 1 } } } } } }, n: 10n };
  const wide = Object.fromEntries(Array.from({ length: 130 }, (_, i) => [`k${i}`, i]));
  const long = Array.from({ length: 150 }, (_, i) => i);
  const withJson = { when: new Date(0), buf: Buffer.from('hi'), big: 2n ** 70n, nan: Number.NaN, inf: -Infinity };
  const typed = { arr: new Uint8Array([3, 1, 2]), sym: Symbol('s'), ok: true, no: false };
  const arrayCycle: unknown[] = [1];
  arrayCycle.push(arrayCycle, { back: arrayCycle });
  return [circular, deep, { wide, long, n: 1n }, withJson, typed, arrayCycle, 5n, [[[[[[[1]]]]]]], { e: {}, a: [] }, 'a"b\n'];
}

describe('the safe-stable-stringify stand-in of deploy bundles (build/stubs)', () => {
  for (const options of [{ maximumDepth: 5, maximumBreadth: 100 }, {}]) {
    it(`writes what safe-stable-stringify writes, ${JSON.stringify(options)}`, () => {
      const real = configure(options);
      const ours = stub.configure(options);
      for (const value of samples()) expect(ours(value)).toBe(real(value));
    });
  }
});
