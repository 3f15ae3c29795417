/** The change feed's parts: the store decorator hears every committed write, the queue runs each document once at a time. */
import { describe, expect, it } from 'vitest';
import { DispatchQueue } from '../../local/change-feed';
import { MemoryGiftStore } from '../../shared/adapters/memory/memory-gift-store';
import { MemoryGroupStore } from '../../shared/adapters/memory/memory-group-store';
import type { GroupUnit } from '../../shared/domain/group-units';
import type { OutboxDocument } from '../../shared/domain/outbox-document';
import { VersionConflictError } from '../../shared/ports/gift-store';
import { type CommittedDocument, withChangeFeed } from '../../shared/store/change-feed-stores';
import { acceptedUnit } from '../support/group-fixtures';
import { addressedGift } from '../support/memory-deps';

const unit = (version: number): GroupUnit => acceptedUnit('g_feedorder0001', version);

describe('withChangeFeed', () => {
  it('tells of gifts and units once their write committed, and of nothing a refused write carried', async () => {
    const heard: CommittedDocument[] = [];
    const { store, groupStore } = withChangeFeed({ store: new MemoryGiftStore(), groupStore: new MemoryGroupStore() }, (d) =>
      heard.push(d),
    );
    const gift = addressedGift();
    await store.insert(gift);
    await store.replace({ ...gift, version: gift.version + 1 }, gift.version);
    await expect(store.replace({ ...gift, version: gift.version + 1 }, gift.version)).rejects.toBeInstanceOf(VersionConflictError);
    expect(await groupStore.insertUnit(unit(1))).toBe(true);
    expect(await groupStore.insertUnit(unit(1))).toBe(false); // the slot was taken: nothing committed
    await groupStore.replaceUnit(unit(2), 1);
    expect(heard.map((d) => [d.id, d.version])).toEqual([
      [gift.id, gift.version],
      [gift.id, gift.version + 1],
      ['g_feedorder0001-u001', 1],
      ['g_feedorder0001-u001', 2],
    ]);
    // Reads pass through untouched.
    expect((await store.get(gift.id))?.version).toBe(gift.version + 1);
  });
});

describe('DispatchQueue', () => {
  it('runs a document once for pushes before it starts, again for a push while it runs, and never over the limit', async () => {
    const runs: Array<[string, number]> = [];
    let inFlight = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const queue = new DispatchQueue(
      async (doc) => {
        inFlight++;
        most = Math.max(most, inFlight);
        runs.push([doc.id, doc.version]);
        await new Promise<void>((r) => gates.push(r));
        inFlight--;
      },
      { concurrency: 2, onError: () => {} },
    );
    const doc = (id: string, version: number) => ({ id, version, effects: [] }) as unknown as OutboxDocument;
    queue.push(doc('a', 1));
    queue.push(doc('b', 1));
    queue.push(doc('c', 1)); // waits for a free slot
    queue.push(doc('c', 2)); // replaces the waiting copy
    queue.push(doc('a', 2)); // 'a' runs: once more after it
    expect(runs).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    while (queue.size > 0) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 0));
    }
    await queue.idle();
    expect(runs).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 2],
      ['a', 2],
    ]);
    expect(most).toBe(2);
  });

  it('logs a failed dispatch and goes on', async () => {
    const failed: string[] = [];
    const queue = new DispatchQueue(
      async (doc) => {
        if (doc.id === 'bad') throw new Error('store down');
      },
      { concurrency: 4, onError: (doc, e) => failed.push(`${doc.id}: ${(e as Error).message}`) },
    );
    queue.push({ id: 'bad', version: 1, effects: [] } as unknown as OutboxDocument);
    queue.push({ id: 'good', version: 1, effects: [] } as unknown as OutboxDocument);
    await queue.idle();
    expect(failed).toEqual(['bad: store down']);
  });
});
