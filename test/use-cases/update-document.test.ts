/** The write that records an effect names it by version (recordedIn): what a stream image's first delivery goes by. */
import { describe, expect, it } from 'vitest';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { effectBase } from '../../shared/domain/effects';
import type { Effect } from '../../shared/domain/gift';
import { updateDocument } from '../../shared/use-cases/update-document';

type Doc = { id: string; version: number; effects: Effect[] };
const notice = (id: string): Effect =>
  Object.assign(effectBase('g_1', id, '2026-11-24T00:00:00.000Z'), {
    kind: 'notify' as const,
    event: 'gift_claimed' as const,
    userId: 'u',
  });

function storeOf(doc: Doc) {
  let stored = doc;
  const written: Doc[] = [];
  return {
    get: () => stored,
    written,
    access: {
      read: async () => stored,
      async write(next: Doc, expectedVersion: number) {
        if (stored.version !== expectedVersion) throw new Error('unexpected conflict');
        stored = next;
        written.push(structuredClone(next));
      },
    },
  };
}

describe('updateDocument', () => {
  it('stamps the effects a write records with its version, and leaves the ones carried over as they were', async () => {
    const inserted: Doc = { id: 'g_1', version: 1, effects: [notice('notify:a')] };
    const store = storeOf(inserted);
    const clock = new FixedClock('2026-11-24T00:00:00.000Z');
    const addB = (d: Doc): Doc => ({ ...d, version: d.version + 1, effects: [...d.effects, notice('notify:b')] });
    await updateDocument(clock, store.access, addB);
    await updateDocument(clock, store.access, (d) => ({ ...d, version: d.version + 1 }));
    await updateDocument(clock, store.access, (d) => ({ ...d, version: d.version + 1, effects: [...d.effects, notice('notify:c')] }));
    expect(store.written.map((d) => d.effects.map((e) => [e.id, e.recordedIn]))).toEqual([
      [
        ['notify:a', 1],
        ['notify:b', 2],
      ],
      [
        ['notify:a', 1],
        ['notify:b', 2],
      ],
      [
        ['notify:a', 1],
        ['notify:b', 2],
        ['notify:c', 4],
      ],
    ]);
  });

  it('keeps an effect stored without recordedIn without one', async () => {
    const { recordedIn: _, ...legacy } = notice('notify:a');
    const store = storeOf({ id: 'g_1', version: 3, effects: [legacy as Effect] });
    await updateDocument(new FixedClock('2026-11-24T00:00:00.000Z'), store.access, (d) => ({
      ...d,
      version: d.version + 1,
      effects: [...d.effects, notice('notify:b')],
    }));
    expect(store.get().effects.map((e) => [e.id, e.recordedIn])).toEqual([
      ['notify:a', undefined],
      ['notify:b', 4],
    ]);
  });
});
