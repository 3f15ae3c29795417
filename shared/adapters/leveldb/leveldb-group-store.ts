import { GroupStoreCore, type PartRange, type PartRecord } from '../../store/group-store-core';
import { KeyedLock } from './keyed-lock';
import type { LevelDb } from './open-leveldb';

/*
 * Layout: in the gifts' key space, beside `doc\0…` and `ix\0…`:
 *   part\0<pk, URI-encoded>\0<sk>  → "<version>\n<document JSON>"
 * so the parts of one partition are one byte-ordered range (the units of an order: one prefix read).
 */
const SEP = '\u0000';
const partitionOf = (pk: string) => `part${SEP}${encodeURIComponent(pk)}${SEP}`;
const HIGHEST = '\uffff';

function parse(pk: string, sk: string, raw: string): PartRecord {
  const nl = raw.indexOf('\n');
  return { pk, sk, version: Number(raw.slice(0, nl)), doc: JSON.parse(raw.slice(nl + 1)) as object };
}
const serialise = (r: PartRecord) => `${r.version}\n${JSON.stringify(r.doc)}`;

/** One lock per database: every store opened on it compares and sets under the same lock. */
const locks = new WeakMap<LevelDb, KeyedLock>();

/**
 * Group parts in the embedded LevelDB. Only this process can open the database, so "read the version, then write"
 * under a per-key in-process lock is a conditional write; 1,000 claimers are 1,000 short critical sections on at
 * most N unit keys (and one marker key each), never one shared lock.
 */
export class LevelDbGroupStore extends GroupStoreCore {
  private readonly lock: KeyedLock;

  constructor(private readonly db: LevelDb) {
    super();
    const lock = locks.get(db) ?? new KeyedLock();
    locks.set(db, lock);
    this.lock = lock;
  }

  protected async readPart(pk: string, sk: string): Promise<PartRecord | null> {
    const raw = this.db.getSync(partitionOf(pk) + sk);
    return raw === undefined ? null : parse(pk, sk, raw);
  }

  protected insertPart(record: PartRecord): Promise<boolean> {
    const key = partitionOf(record.pk) + record.sk;
    return this.lock.run(key, async () => {
      if (this.db.getSync(key) !== undefined) return false;
      await this.db.put(key, serialise(record));
      return true;
    });
  }

  protected replacePart(record: PartRecord, expectedVersion: number): Promise<boolean> {
    const key = partitionOf(record.pk) + record.sk;
    return this.lock.run(key, async () => {
      const raw = this.db.getSync(key);
      if (raw === undefined || Number(raw.slice(0, raw.indexOf('\n'))) !== expectedVersion) return false;
      await this.db.put(key, serialise(record));
      return true;
    });
  }

  protected async queryParts(range: PartRange): Promise<PartRecord[]> {
    const base = partitionOf(range.pk);
    const iterator = this.db.iterator({ gt: base + (range.after ?? range.prefix), lt: base + range.prefix + HIGHEST, limit: range.limit });
    const out: PartRecord[] = [];
    try {
      for await (const [key, raw] of iterator) out.push(parse(range.pk, key.slice(base.length), raw));
    } finally {
      await iterator.close();
    }
    return out;
  }
}
