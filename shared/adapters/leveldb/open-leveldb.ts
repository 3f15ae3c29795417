import { ClassicLevel } from 'classic-level';

export type LevelDb = ClassicLevel<string, string>;

/**
 * LevelDB's native memory, the memtable (held twice while one is written out) and the block cache, and optionally
 * the size its table files are cut at (LevelDB's default 2 MB).
 */
export interface LevelDbMemory {
  writeBufferSize: number;
  cacheSize: number;
  maxFileSize?: number;
}

/**
 * The local server's: 8 MB each (LevelDB's defaults are 4 MB and 8 MB). Measured on the soak (20 clients, ~150
 * lifecycles/s): the server's RSS ends ~145 MB lower than with 64 MB each, at the same throughput.
 */
export const SERVER_LEVELDB_MEMORY: LevelDbMemory = { writeBufferSize: 8 * 2 ** 20, cacheSize: 8 * 2 ** 20 };

/**
 * For the in-process benchmarks' bulk runs (lifecycles, cleanup scaling): a gift is rewritten several times in its
 * life, and a larger memtable absorbs rewrites that come close together before they reach disk, which cuts compaction
 * work; ~200 MB of native memory at most. The day-scale replay opens with DAY_SCALE_LEVELDB below.
 */
export const BULK_LEVELDB_MEMORY: LevelDbMemory = { writeBufferSize: 64 * 2 ** 20, cacheSize: 64 * 2 ** 20 };

/**
 * For the day-scale replay (millions of gifts, gigabytes on disk): LevelDB's largest memtable (1 GB, the most it
 * accepts) and 32 MB table files. A gift's rewrites come minutes to hours apart; the larger memtable holds more of
 * them before they reach disk, and fewer, larger files keep a multi-GB database's tables open at once (LevelDB keeps
 * 1,000). Measured on the 2,000,000-gift day against BULK_LEVELDB_MEMORY (BENCHMARKS.md section 6): process CPU
 * 1,986 → 1,419 s, the day 19.3 → 16.1 min; ~2.1 GB of native memory at most, for a bulk run on a machine that has it.
 */
export const DAY_SCALE_LEVELDB: LevelDbMemory = { writeBufferSize: 2 ** 30, cacheSize: 64 * 2 ** 20, maxFileSize: 32 * 2 ** 20 };

/**
 * Opens (creating if needed) a LevelDB database under `path` with string keys and values. LevelDB allows
 * one process per database: a second opener fails with LEVEL_LOCKED instead of corrupting it.
 */
export async function openLevelDb(path: string, memory: LevelDbMemory = SERVER_LEVELDB_MEMORY): Promise<LevelDb> {
  const db = new ClassicLevel<string, string>(path, { keyEncoding: 'utf8', valueEncoding: 'utf8', ...memory });
  await db.open();
  return db;
}
