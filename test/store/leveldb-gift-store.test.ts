import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LevelDbGiftStore } from '../../shared/adapters/leveldb/leveldb-gift-store';
import { openLevelDb } from '../../shared/adapters/leveldb/open-leveldb';
import { InvalidCursorError } from '../../shared/ports/gift-store';
import { sentGift } from '../support/gift-fixtures';
import { tempDataDir } from '../support/http-harness';
import { giftStoreContract } from './gift-store-contract';

const tmp = tempDataDir();
afterAll(() => tmp.remove());

giftStoreContract('LevelDB (classic-level, on disk)', async () => {
  const db = await openLevelDb(join(tmp.dir, 'contract'));
  return { store: new LevelDbGiftStore(db, { timerShards: 3 }), close: () => db.close() };
});

describe('LevelDB adapter on disk', () => {
  it('keeps documents and indexes across a reopen, and refuses a second opener while open', async () => {
    const path = join(tmp.dir, 'restart');
    const first = await openLevelDb(path);
    const g = sentGift('g_restart', 'giver_r', '2026-11-24T08:00:00.000Z');
    await new LevelDbGiftStore(first).insert(g);
    await expect(openLevelDb(path)).rejects.toMatchObject({ code: 'LEVEL_DATABASE_NOT_OPEN' });
    await first.close();

    const second = await openLevelDb(path);
    const store = new LevelDbGiftStore(second);
    expect(await store.get('g_restart')).toEqual(g);
    expect((await store.listDue('sweep', '2026-11-25T09:00:00.000Z', 10)).items.map((x) => x.id)).toEqual(['g_restart']);
    expect((await store.listByGiver('giver_r', 10)).items.map((x) => x.id)).toEqual(['g_restart']);
    await second.close();
  });

  it('keeps owners apart whatever characters their ids contain', async () => {
    const db = await openLevelDb(join(tmp.dir, 'owners'));
    try {
      const store = new LevelDbGiftStore(db);
      await store.insert(sentGift('g_o1', 'a', '2026-11-24T08:00:00.000Z'));
      await store.insert(sentGift('g_o2', 'a\u0000b', '2026-11-24T08:00:00.000Z'));
      await store.insert(sentGift('g_o3', 'a%00b', '2026-11-24T08:00:00.000Z'));
      expect((await store.listByGiver('a', 10)).items.map((x) => x.id)).toEqual(['g_o1']);
      expect((await store.listByGiver('a\u0000b', 10)).items.map((x) => x.id)).toEqual(['g_o2']);
      expect((await store.listByGiver('a%00b', 10)).items.map((x) => x.id)).toEqual(['g_o3']);
      await expect(store.listByGiver('a', 10, Buffer.from('giver\u0000b\u0000x').toString('base64url'))).rejects.toBeInstanceOf(
        InvalidCursorError,
      );
    } finally {
      await db.close();
    }
  });
});
