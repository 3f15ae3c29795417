import { describe, expect, it } from 'vitest';
import { PhaseTimes } from '../../bench/lib/phase-times';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The day replay reports where its wall time went from these sums: a phase must not take another's time.
describe('PhaseTimes', () => {
  it('sums each phase over the turns, in the order first seen, and tells working from waiting', async () => {
    const phases = new PhaseTimes();
    for (let turn = 0; turn < 2; turn++) {
      phases.start();
      spin(60);
      phases.lap('work');
      await sleep(60);
      phases.lap('wait');
    }
    const [work, wait] = phases.rows();
    expect(phases.rows().map((r) => r.phase)).toEqual(['work', 'wait']);
    expect(work!.wallSeconds).toBeGreaterThanOrEqual(0.1);
    expect(work!.mainCpuSeconds).toBeGreaterThanOrEqual(0.05);
    expect(wait!.wallSeconds).toBeGreaterThanOrEqual(0.1);
    expect(wait!.mainWaitSeconds).toBeGreaterThan(work!.mainWaitSeconds);
  });
});
