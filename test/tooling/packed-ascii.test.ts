import { describe, expect, it } from 'vitest';
import { PackedAscii } from '../../bench/lib/packed-ascii';

// The day replay keeps its gift ids and claim tokens here: a wrong read would drive a step with another gift's token.
describe('PackedAscii', () => {
  it('gives back each string where it was set, and undefined where none was', () => {
    const packed = new PackedAscii(3, 5);
    packed.set(0, 'g_abc');
    packed.set(2, 'x.-_~');
    expect([packed.get(0), packed.get(1), packed.get(2)]).toEqual(['g_abc', undefined, 'x.-_~']);
    packed.set(0, 'g_xyz');
    expect(packed.get(0)).toBe('g_xyz');
  });

  it('refuses a string of another width or outside printable ASCII, and an index outside it', () => {
    const packed = new PackedAscii(2, 4);
    expect(() => packed.set(0, 'abc')).toThrow(/4 printable ASCII/);
    expect(() => packed.set(0, 'abcde')).toThrow(/4 printable ASCII/);
    expect(() => packed.set(0, '礼物礼物')).toThrow(/4 printable ASCII/);
    expect(() => packed.set(0, 'a bc')).toThrow(/4 printable ASCII/);
    expect(() => packed.set(2, 'abcd')).toThrow(RangeError);
    expect(() => packed.get(-1)).toThrow(RangeError);
    expect(packed.get(0)).toBeUndefined();
  });
});
