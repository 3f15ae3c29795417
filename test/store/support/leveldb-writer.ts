/**
 * Child process for the kill test: writes gifts to a LevelDB store as fast as it can (64 in flight, each gift
 * inserted then rewritten) and reports every acknowledged write to its parent, until it is killed.
 */
import { LevelDbGiftStore } from '../../../shared/adapters/leveldb/leveldb-gift-store';
import { openLevelDb } from '../../../shared/adapters/leveldb/open-leveldb';
import type { Gift } from '../../../shared/domain/gift';
import { sentGift } from '../../support/gift-fixtures';

const store = new LevelDbGiftStore(await openLevelDb(process.argv[2]!));
let next = 0;
async function worker(): Promise<never> {
  for (;;) {
    let g: Gift = sentGift(`g_kill_${next++}`, 'giver_kill', '2026-11-24T08:00:00.000Z');
    await store.insert(g);
    process.send!({ id: g.id, version: g.version });
    for (let i = 0; i < 3; i++) {
      const v: Gift = { ...g, message: `rewrite ${i}`, version: g.version + 1 };
      await store.replace(v, g.version);
      g = v;
      process.send!({ id: g.id, version: g.version });
    }
  }
}
await Promise.all(Array.from({ length: 64 }, worker));
