import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FingerprintSet } from '../../bench/lib/fingerprint-set';

// The day replay's handoff receiver counts distinct keys with it: it must agree with a real Set, growth included.
describe('FingerprintSet', () => {
  it('answers add and size as a Set of the same keys does', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 12 }), { maxLength: 400 }), (keys) => {
        const set = new FingerprintSet();
        const reference = new Set<string>();
        for (const k of keys) {
          expect(set.add(k)).toBe(!reference.has(k));
          reference.add(k);
        }
        expect(set.size).toBe(reference.size);
      }),
    );
  });

  it('keeps every key across many growths', () => {
    const set = new FingerprintSet();
    for (let i = 0; i < 50_000; i++) expect(set.add(`songli:g_${i}:handoff`)).toBe(true);
    for (let i = 0; i < 50_000; i += 997) expect(set.add(`songli:g_${i}:handoff`)).toBe(false);
    expect(set.size).toBe(50_000);
  });
});
