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

  it('finds a timer entry written below where an earlier scan started, also when the write races the scan', async () => {
    const db = await openLevelDb(join(tmp.dir, 'timer-floor'));
    try {
      const store = new LevelDbGiftStore(db);
      const due = async (now: string) => (await store.listDue('sweep', now, 100)).items.map((x) => x.id).sort();
      // Sent at 08:00, each gift's sweep is due 24 h later; a scan at 09:00 next day raises the floor past them all.
      await store.insert(sentGift('g_late', 'giver_t', '2026-11-24T08:00:00.000Z'));
      expect(await due('2026-11-25T07:00:00.000Z')).toEqual([]);
      expect(await due('2026-11-25T09:00:00.000Z')).toEqual(['g_late']);
      // An entry below both scans' starting points.
      await store.insert(sentGift('g_early', 'giver_t', '2026-11-23T08:00:00.000Z'));
      expect(await due('2026-11-25T07:00:00.000Z')).toEqual(['g_early']);
      expect(await due('2026-11-25T09:00:00.000Z')).toEqual(['g_early', 'g_late']);
      // Writes of ever earlier entries while scans run: every one is found by the next scan.
      for (let i = 0; i < 20; i++) {
        const id = `g_race${String(i).padStart(2, '0')}`;
        const at = new Date(Date.parse('2026-11-23T07:00:00.000Z') - i * 60_000).toISOString();
        const [, scanned] = await Promise.all([store.insert(sentGift(id, 'giver_t', at)), due('2026-11-25T09:00:00.000Z')]);
        expect(scanned).toContain('g_late');
        expect(await due('2026-11-25T09:00:00.000Z')).toContain(id);
      }
      // A scan for an instant below the floor (an inverted range) finds nothing and leaves the floor where it was.
      expect(await due('2026-11-20T00:00:00.000Z')).toEqual([]);
      expect(await due('2026-11-25T09:00:00.000Z')).toHaveLength(22);
      // After a reopen (no floor kept), everything is there.
      expect(await new LevelDbGiftStore(db).listDue('sweep', '2026-11-25T09:00:00.000Z', 100)).toHaveProperty('items.length', 22);
    } finally {
      await db.close();
    }
  });
});
