/** A scheduled pass with a deadline (CloudBase's timers, AWS's safety net) drains what is due, not a fixed 100. */
import { describe, expect, it } from 'vitest';
import { accept } from '../../shared/domain/gift-transitions';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { addressedGift, makeDeps, RECIPIENT, T0 } from '../support/memory-deps';

async function seeded(n: number) {
  const deps = makeDeps();
  for (let i = 0; i < n; i++)
    await deps.store.insert(accept({ ...addressedGift(), id: `g_drain${String(i).padStart(7, '0')}` }, RECIPIENT, T0));
  return deps;
}

describe('dispatch drain budget', () => {
  it('without a deadline, a run stops at its limit of 100 attempts', async () => {
    const deps = await seeded(150);
    expect(await dispatchDueEffects(deps, 'handoff')).toMatchObject({ attempted: 100, succeeded: 100 });
    expect(deps.sink.list()).toHaveLength(100);
  });

  it('with a deadline ahead, one run drains every due effect with bounded concurrency', async () => {
    const deps = await seeded(250);
    const report = await dispatchDueEffects(deps, 'handoff', { deadline: Date.now() + 60_000, concurrency: 16 });
    expect(report).toMatchObject({ attempted: 250, succeeded: 250, failed: 0 });
    expect(new Set(deps.sink.list().map((h) => h.giftId)).size).toBe(250);
  });

  it('past its deadline, a run starts nothing new', async () => {
    const deps = await seeded(5);
    expect(await dispatchDueEffects(deps, 'handoff', { deadline: Date.now() - 1 })).toMatchObject({ attempted: 0 });
  });
});
