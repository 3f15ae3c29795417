import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addSeconds, isAtOrAfter, iso, isoOfMs, msOfIso } from '../../shared/domain/time';

/** The hand-written formatter and parser must agree with Date's built-ins everywhere, not only on the fast path. */
describe('ISO-8601 times', () => {
  const anyMs = fc.oneof(
    fc.integer({ min: 0, max: 253_402_300_799_999 }),
    fc.integer({ min: -8_640_000_000_000_000, max: 8_640_000_000_000_000 }),
    fc.constantFrom(0, 951_782_400_000, 4_107_542_400_000, 253_402_300_799_999, 253_402_300_800_000, -1),
  );

  it('formats every instant as toISOString does', () => {
    fc.assert(
      fc.property(anyMs, (ms) => {
        expect(isoOfMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
    expect(iso(new Date(1_790_000_000_123))).toBe(new Date(1_790_000_000_123).toISOString());
    expect(isoOfMs(1.7)).toBe(new Date(1.7).toISOString());
    expect(() => isoOfMs(Number.NaN)).toThrow(RangeError);
  });

  it('parses every string as Date.parse does', () => {
    fc.assert(
      fc.property(anyMs, (ms) => {
        expect(msOfIso(new Date(ms).toISOString())).toBe(ms);
      }),
      { numRuns: 20_000 },
    );
    // Near misses of the canonical form: impossible dates, odd characters, other zones and lengths.
    const digitsAt = fc.array(fc.constantFrom(...'0123456789'), { minLength: 17, maxLength: 17 }).map((d) => {
      const [y1, y2, y3, y4, m1, m2, d1, d2, h1, h2, i1, i2, s1, s2, f1, f2, f3] = d;
      return `${y1}${y2}${y3}${y4}-${m1}${m2}-${d1}${d2}T${h1}${h2}:${i1}${i2}:${s1}${s2}.${f1}${f2}${f3}Z`;
    });
    const odd = fc.constantFrom(
      '2026-02-29T00:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2026-13-01T00:00:00.000Z',
      '2026-11-24T24:00:00.000Z',
      '2026-11-24T00:60:00.000Z',
      '2026-11-24T00:00:00.000+08:00',
      '2026-11-24T00:00:00Z',
      '2026-11-24',
      '2026-11-24T00:00:0a.000Z',
      '+010000-01-01T00:00:00.000Z',
      'not a time',
      '',
    );
    fc.assert(
      fc.property(fc.oneof(digitsAt, odd, fc.string()), (s) => {
        expect(msOfIso(s)).toBe(Date.parse(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('adds seconds and compares instants as the built-ins do', () => {
    const at = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString());
    const seconds = fc.oneof(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(at, seconds, (a, s) => {
        expect(addSeconds(a, s)).toBe(new Date(Date.parse(a) + s * 1000).toISOString());
      }),
      { numRuns: 10_000 },
    );
    fc.assert(
      fc.property(at, at, (a, b) => {
        expect(isAtOrAfter(a, b)).toBe(Date.parse(a) >= Date.parse(b));
      }),
    );
    expect(isAtOrAfter('2026-11-24T08:00:00.000+08:00', '2026-11-24T00:00:00.000Z')).toBe(true);
    expect(() => addSeconds('garbage', 1)).toThrow(RangeError);
  });

  it('answers repeated and interleaved calls (its small caches) exactly as the built-ins do', () => {
    const at = fc.oneof(
      fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms).toISOString()),
      fc.constantFrom('2026-11-24T08:00:00.000Z', '2026-02-30T00:00:00.000Z', 'not a time', '2026-11-24T08:00:00.000+08:00'),
    );
    const ms = fc.oneof(fc.integer({ min: -1e13, max: 1e13 }), fc.constantFrom(0, 1_764_000_000_000, 1.5, Number.NaN));
    fc.assert(
      fc.property(fc.array(fc.oneof(at, ms), { minLength: 1, maxLength: 12 }), (calls) => {
        // Each value twice in a row, then the whole sequence again: hits and misses of the caches alike.
        for (const c of [...calls.flatMap((c) => [c, c]), ...calls]) {
          if (typeof c === 'string') expect(msOfIso(c)).toBe(Date.parse(c));
          else if (Number.isFinite(c) && Math.abs(c) <= 8.64e15) expect(isoOfMs(c)).toBe(new Date(c).toISOString());
          else expect(() => isoOfMs(c)).toThrow(RangeError);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});
