import {
  GroupStoreCore,
  type GroupStoreCoreOptions,
  type PartRange,
  type PartRecord,
  type PartTimer,
  type TimerHit,
  type TimerRange,
} from '../../store/group-store-core';
import { KeyedLock } from './keyed-lock';
import type { LevelDb } from './open-leveldb';

/*
 * Layout: in the gifts' key space, beside `doc\0…` and `ix\0…`:
 *   part\0<pk, URI-encoded>\0<sk>      → "<version>\n<its timer index key, or nothing>\n<document JSON>"
 *   uix\0<timer pk, URI-encoded>\0<timer sk> → "<kinds joined by ,>\n<pk>\n<sk>" (the unit it belongs to)
 * so the parts of one partition are one byte-ordered range (the units of an order: one prefix read), and a unit's
 * timer entry changes in the same atomic batch as its record. Records written before the timer index
 * ("<version>\n<document JSON>") still read; they carry no entry until their next write.
 */
const SEP = '\u0000';
const partitionOf = (pk: string) => `part${SEP}${encodeURIComponent(pk)}${SEP}`;
const timerPartitionOf = (pk: string) => `uix${SEP}${encodeURIComponent(pk)}${SEP}`;
const timerKeyOf = (t: PartTimer) => timerPartitionOf(t.pk) + t.sk;
const HIGHEST = '\uffff';

interface Stored {
  version: number;
  timerKey: string;
  body: number;
}

function header(raw: string): Stored {
  const a = raw.indexOf('\n');
  const version = Number(raw.slice(0, a));
  if (raw[a + 1] === '{') return { version, timerKey: '', body: a + 1 }; // the layout before the timer index
  const b = raw.indexOf('\n', a + 1);
  return { version, timerKey: raw.slice(a + 1, b), body: b + 1 };
}

function parse(pk: string, sk: string, raw: string): PartRecord {
  const h = header(raw);
  return { pk, sk, version: h.version, doc: JSON.parse(raw.slice(h.body)) as object };
}
const serialise = (r: PartRecord) => `${r.version}\n${r.timer ? timerKeyOf(r.timer) : ''}\n${JSON.stringify(r.doc)}`;

/** One lock per database: every store opened on it compares and sets under the same lock. */
const locks = new WeakMap<LevelDb, KeyedLock>();

/**
 * Group parts in the embedded LevelDB. Only this process can open the database, so "read the version, then write"
 * under a per-key in-process lock is a conditional write; 1,000 claimers are 1,000 short critical sections on at
 * most N unit keys (and one marker key each), never one shared lock.
 */
export class LevelDbGroupStore extends GroupStoreCore {
  private readonly lock: KeyedLock;

  constructor(
    private readonly db: LevelDb,
    opts: GroupStoreCoreOptions = {},
  ) {
    super(opts);
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
      await this.write(key, '', record);
      return true;
    });
  }

  protected replacePart(record: PartRecord, expectedVersion: number): Promise<boolean> {
    const key = partitionOf(record.pk) + record.sk;
    return this.lock.run(key, async () => {
      const raw = this.db.getSync(key);
      if (raw === undefined) return false;
      const stored = header(raw);
      if (stored.version !== expectedVersion) return false;
      await this.write(key, stored.timerKey, record);
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

  protected async queryTimer(range: TimerRange): Promise<TimerHit[]> {
    const prefix = timerPartitionOf(range.pk);
    const iterator = this.db.iterator({ gt: prefix + (range.after ?? ''), lte: prefix + range.through });
    const hits: TimerHit[] = [];
    try {
      for await (const [key, value] of iterator) {
        if (hits.length >= range.limit) break;
        const [kinds = '', pk = '', sk = ''] = value.split('\n');
        if (!kinds.split(',').includes(range.kind)) continue;
        const record = await this.readPart(pk, sk);
        hits.push({ sk: key.slice(prefix.length), part: { pk, sk }, ...(record ? { record } : {}) });
      }
    } finally {
      await iterator.close();
    }
    return hits;
  }

  /** The record and its timer entry in one atomic batch; the previous entry goes when its key changed. */
  private async write(key: string, previousTimerKey: string, record: PartRecord): Promise<void> {
    const ops: Array<{ type: 'put'; key: string; value: string } | { type: 'del'; key: string }> = [
      { type: 'put', key, value: serialise(record) },
    ];
    const timerKey = record.timer ? timerKeyOf(record.timer) : '';
    if (previousTimerKey && previousTimerKey !== timerKey) ops.push({ type: 'del', key: previousTimerKey });
    // Rewritten even when the key stays: the kinds it carries may have changed.
    if (record.timer) ops.push({ type: 'put', key: timerKey, value: `${record.timer.kinds.join(',')}\n${record.pk}\n${record.sk}` });
    await this.db.batch(ops);
  }
}
