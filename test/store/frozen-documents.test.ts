import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LevelDbGiftStore } from '../../shared/adapters/leveldb/leveldb-gift-store';
import { openLevelDb } from '../../shared/adapters/leveldb/open-leveldb';
import { MemoryGiftStore } from '../../shared/adapters/memory/memory-gift-store';
import type { Gift } from '../../shared/domain/gift';
import type { GiftStore } from '../../shared/ports/gift-store';
import { sentGift } from '../support/gift-fixtures';
import { tempDataDir } from '../support/http-harness';
import { giftStoreContract } from './gift-store-contract';

const tmp = tempDataDir();
afterAll(() => tmp.remove());

// The benchmarks run the in-process engines without freezing: the same contract holds there.
giftStoreContract('memory, documents not frozen', async () => ({
  store: new MemoryGiftStore({ timerShards: 3, freezeDocuments: false }),
  close: async () => undefined,
}));

/** A read shares the stored object: by default nobody can change it through that reference. */
async function mutateRead(store: GiftStore, id: string): Promise<{ threw: boolean; stored: Gift }> {
  await store.insert(sentGift(id, 'giver_f', '2026-11-24T08:00:00.000Z'));
  const read = (await store.get(id)) as Gift;
  let threw = false;
  try {
    (read as { message: string | null }).message = 'changed behind the store';
    (read.effects as unknown[]).push({});
  } catch (e) {
    threw = e instanceof TypeError;
  }
  return { threw, stored: (await store.get(id)) as Gift };
}

describe('stored documents are frozen unless the store is told otherwise', () => {
  it('memory: a mutation of a read document throws by default', async () => {
    const { threw, stored } = await mutateRead(new MemoryGiftStore(), 'g_frozen');
    expect(threw).toBe(true);
    expect(stored.message).toBe('生日快乐');
    expect(Object.isFrozen(stored.effects)).toBe(true);
  });

  it('LevelDB: documents read from disk and written ones are frozen by default, plain with freezeDocuments: false', async () => {
    const db = await openLevelDb(join(tmp.dir, 'frozen'));
    try {
      const frozen = await mutateRead(new LevelDbGiftStore(db), 'g_frozen');
      expect(frozen.threw).toBe(true);
      // A second store on the same database has an empty cache: this read parses the record from disk.
      expect(Object.isFrozen(await new LevelDbGiftStore(db).get('g_frozen'))).toBe(true);
      const plain = new LevelDbGiftStore(db, { freezeDocuments: false });
      expect(Object.isFrozen(await plain.get('g_frozen'))).toBe(false);
      await plain.insert(sentGift('g_plain', 'giver_f', '2026-11-24T08:00:00.000Z'));
      expect(Object.isFrozen(await plain.get('g_plain'))).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('memory with freezeDocuments: false hands out plain objects', async () => {
    const store = new MemoryGiftStore({ freezeDocuments: false });
    await store.insert(sentGift('g_plain', 'giver_f', '2026-11-24T08:00:00.000Z'));
    expect(Object.isFrozen(await store.get('g_plain'))).toBe(false);
  });
});
