import { describe, expect, it } from 'vitest';
import { InProcessEffectLeases } from '../../shared/store/in-process-effect-leases';

const T = (s: number) => `2026-11-24T00:00:${String(s).padStart(2, '0')}.000Z`;

describe('InProcessEffectLeases', () => {
  it('holds each effect of a document once until its lease ends or it is released', () => {
    const leases = new InProcessEffectLeases();
    expect(leases.hold('g1', ['e1', 'e2'], T(0), T(30))).toEqual(['e1', 'e2']);
    expect(leases.hold('g1', ['e1', 'e3'], T(10), T(40))).toEqual(['e3']);
    // Same effect id on another document: its own lease.
    expect(leases.hold('g2', ['e1'], T(10), T(40))).toEqual(['e1']);
    expect(leases.size).toBe(4);
    // A lease ends at its instant: then it is taken again (not counted twice).
    expect(leases.hold('g1', ['e1', 'e2'], T(29), T(50))).toEqual([]);
    expect(leases.hold('g1', ['e1', 'e2'], T(30), T(50))).toEqual(['e1', 'e2']);
    expect(leases.size).toBe(4);
    leases.release('g1', ['e1', 'unknown']);
    expect(leases.size).toBe(3);
    expect(leases.hold('g1', ['e1', 'e2'], T(32), T(50))).toEqual(['e1']);
    leases.release('g1', ['e1', 'e2', 'e3']);
    leases.release('g2', ['e1']);
    leases.release('g3', ['e1']);
    expect(leases.size).toBe(0);
    expect(leases.hold('g1', ['e2'], T(33), T(50))).toEqual(['e2']);
    expect(leases.size).toBe(1);
  });
});
