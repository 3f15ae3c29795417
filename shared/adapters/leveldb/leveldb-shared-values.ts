import type { SharedValue, SharedValues } from '../../ports/shared-values';
import { KeyedLock } from './keyed-lock';
import type { LevelDb } from './open-leveldb';

const PREFIX = 'value\u0000';

/** One lock per database: every instance opened on it compares and sets under the same lock. */
const locks = new WeakMap<LevelDb, KeyedLock>();

/**
 * Shared values in the same LevelDB as the gifts, keyed `value\0<key>`, stored as `{"value","version"}`. LevelDB
 * has one process per database, so an in-process lock makes read-compare-write atomic.
 */
export class LevelDbSharedValues implements SharedValues {
  private readonly lock: KeyedLock;

  constructor(private readonly db: LevelDb) {
    const lock = locks.get(db) ?? new KeyedLock();
    locks.set(db, lock);
    this.lock = lock;
  }

  async read(key: string): Promise<SharedValue | null> {
    const raw = this.db.getSync(PREFIX + key);
    return raw === undefined ? null : (JSON.parse(raw) as SharedValue);
  }

  writeIf(key: string, value: string, expected: number | null): Promise<SharedValue | null> {
    return this.lock.run(key, async () => {
      const current = (await this.read(key))?.version ?? null;
      if (current !== expected) return null;
      const written: SharedValue = { value, version: (expected ?? 0) + 1 };
      await this.db.put(PREFIX + key, JSON.stringify(written));
      return written;
    });
  }
}
