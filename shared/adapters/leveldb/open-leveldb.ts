import { ClassicLevel } from 'classic-level';

export type LevelDb = ClassicLevel<string, string>;

/**
 * Opens (creating if needed) a LevelDB database under `path` with string keys and values. LevelDB allows
 * one process per database: a second opener fails with LEVEL_LOCKED instead of corrupting it.
 */
export async function openLevelDb(path: string): Promise<LevelDb> {
  const db = new ClassicLevel<string, string>(path, {
    keyEncoding: 'utf8',
    valueEncoding: 'utf8',
    // A gift is rewritten ~9 times in its life, most within minutes: a larger memtable absorbs those
    // rewrites before they reach disk, which cuts compaction work (the defaults are 4 MB and 8 MB).
    writeBufferSize: 64 * 1024 * 1024,
    cacheSize: 64 * 1024 * 1024,
  });
  await db.open();
  return db;
}
