/**
 * The persistence rules every group store shares (like GiftStoreCore for gifts): this core owns the keys of the parts
 * an order owns, the version checks and the store's errors; an engine (memory, LevelDB, DynamoDB, CloudBase)
 * implements four calls over (pk, sk) records that only talk to its engine. Engines never throw HTTP-flavoured errors:
 * lost conditions are return values, anything else they throw is wrapped in StoreUnavailableError.
 *
 * Keys (docs/group-gifts.md, "What each engine does"):
 *   unit            pk <orderId>        sk u#007
 *   claim marker    pk <orderId>        sk c#<userId>
 *   draw chunk      pk <orderId>        sk d#<digest>#0003
 *   lottery entry   pk <orderId>#e<s>   sk <userId>      (s = a hash of the user mod ENTRY_SHARDS)
 * so one prefix query of the order's partition lists its units, and a burst of entrants writes ENTRY_SHARDS
 * partitions instead of one.
 *
 * Unit records also carry an entry of a sparse timer index, as gifts do (index-entries.ts): partition
 * `utimer#<shard>` (a hash of the unit id mod timerShards), sort key `<earliest pending effect's attempt>#<unitId>`,
 * with the effect kinds the unit waits for; absent once every effect settled. The engine writes it with the record
 * in the same conditional write, so the dispatchers find due units across all orders without scanning any.
 */
import { createHash } from 'node:crypto';
import type { ClaimMarker } from '../domain/group-claim';
import type { GroupUnit } from '../domain/group-units';
import type { DrawListChunk, LotteryEntry } from '../domain/lottery-draw';
import { type TimerKind, unitTimer } from '../domain/timers';
import { InvalidCursorError, VersionConflictError } from '../ports/gift-store';
import type { DueUnitPage, EntryPage, GroupStore } from '../ports/group-store';
import { engineCall } from './engine-call';
import { sortKey, throughInstant, timerShardOf } from './index-entries';

/** A unit's entry in the timer index: partition, sort key `<at>#<unitId>`, and the kinds it waits for. */
export interface PartTimer {
  pk: string;
  sk: string;
  kinds: TimerKind[];
}

/** One stored part: its key, the version its writes are conditioned on, and the document. */
export interface PartRecord {
  pk: string;
  sk: string;
  version: number;
  doc: object;
  /** Unit records only: the timer entry the engine stores with the record (null or absent: none). */
  timer?: PartTimer | null;
}

/** The records of one partition whose sort key starts with `prefix`, ascending, after `after` when given. */
export interface PartRange {
  pk: string;
  prefix: string;
  after?: string;
  limit: number;
}

/** One timer partition's entries due through `through` (a sort key), after `after`, waiting for `kind`. */
export interface TimerRange {
  pk: string;
  through: string;
  after?: string;
  kind: TimerKind;
  limit: number;
}

/** A timer entry found by a range query: its sort key, the key of its part, and the part when the engine has it. */
export interface TimerHit {
  sk: string;
  part: { pk: string; sk: string };
  record?: PartRecord;
}

export interface GroupStoreCoreOptions {
  /** Partitions of the unit timer index (only ever increase it on a live table: readers query shards 0..N-1). */
  timerShards?: number;
}

export const ENTRY_SHARDS = 8;
/** When no count is given (the in-process engines); the platforms and the local DynamoDB pass TIMER_SHARDS. */
export const UNIT_TIMER_SHARDS = 16;
export const unitTimerPartition = (shard: number): string => `utimer#${shard}`;
/** A CloudBase get returns at most 1,000 documents; N ≤ 999 units fit one query on every engine. */
export const MAX_PART_QUERY = 1_000;

const UNIT_PREFIX = 'u#';
const unitSk = (unitNo: number) => `${UNIT_PREFIX}${String(unitNo).padStart(3, '0')}`;
const markerSk = (userId: string) => `c#${userId}`;
const chunkPrefix = (digest: string) => `d#${digest}#`;
const chunkSk = (digest: string, chunkNo: number) => `${chunkPrefix(digest)}${String(chunkNo).padStart(4, '0')}`;
export const entryShardOf = (userId: string): number => createHash('sha256').update(userId).digest().readUInt8(0) % ENTRY_SHARDS;
const entryPk = (orderId: string, shard: number) => `${orderId}#e${shard}`;

interface EntryCursor {
  s: number;
  a?: string;
}

function decodeEntryCursor(cursor: string): EntryCursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as EntryCursor;
    if (Number.isInteger(c.s) && c.s >= 0 && c.s < ENTRY_SHARDS && (c.a === undefined || typeof c.a === 'string')) return c;
  } catch {}
  throw new InvalidCursorError('not an entry cursor');
}
const encodeEntryCursor = (c: EntryCursor): string => Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

export abstract class GroupStoreCore implements GroupStore {
  protected readonly timerShards: number;

  protected constructor(opts: GroupStoreCoreOptions = {}) {
    this.timerShards = opts.timerShards ?? UNIT_TIMER_SHARDS;
    if (!Number.isInteger(this.timerShards) || this.timerShards < 1) throw new Error('timerShards must be a positive integer');
  }

  /** Strongly consistent read of one record. */
  protected abstract readPart(pk: string, sk: string): Promise<PartRecord | null>;
  /** Inserts unless (pk, sk) exists; false when it does. */
  protected abstract insertPart(record: PartRecord): Promise<boolean>;
  /** Replaces only when the stored version is `expectedVersion`; false when it is not (or the record is absent). */
  protected abstract replacePart(record: PartRecord, expectedVersion: number): Promise<boolean>;
  /** Strongly consistent range query (see PartRange), at most `limit` records. */
  protected abstract queryParts(range: PartRange): Promise<PartRecord[]>;
  /** One timer partition's due entries, ascending by sort key, at most `limit` of them waiting for `range.kind`. */
  protected abstract queryTimer(range: TimerRange): Promise<TimerHit[]>;

  /** Parts by key (the documents of timer hits that came without one); missing ones are left out. */
  protected async readParts(keys: ReadonlyArray<{ pk: string; sk: string }>): Promise<PartRecord[]> {
    const read = await Promise.all(keys.map((k) => this.readPart(k.pk, k.sk)));
    return read.filter((r): r is PartRecord => r !== null);
  }

  async listUnits(orderId: string): Promise<Map<number, GroupUnit>> {
    const records = await this.engine('listUnits', () => this.queryParts({ pk: orderId, prefix: UNIT_PREFIX, limit: MAX_PART_QUERY }));
    return new Map(records.map((r) => [(r.doc as GroupUnit).unitNo, r.doc as GroupUnit]));
  }

  async getUnit(orderId: string, unitNo: number): Promise<GroupUnit | null> {
    const r = await this.engine('getUnit', () => this.readPart(orderId, unitSk(unitNo)));
    return r ? (r.doc as GroupUnit) : null;
  }

  async insertUnit(unit: GroupUnit): Promise<boolean> {
    // Programming errors, not conflicts: a slot's first document is version 1, and its key is its slot.
    if (unit.version !== 1) throw new Error(`unit ${unit.id}: a slot's first document is version 1`);
    return this.engine('insertUnit', () => this.insertPart(this.unitRecord(unit)));
  }

  async replaceUnit(unit: GroupUnit, expectedVersion: number): Promise<void> {
    if (unit.version !== expectedVersion + 1) throw new Error(`unit ${unit.id}: a write must bump the version by one`);
    if (!(await this.engine('replaceUnit', () => this.replacePart(this.unitRecord(unit), expectedVersion))))
      throw new VersionConflictError(unit.id);
  }

  /**
   * Queries every timer shard in parallel and merges them, earliest first (as GiftStoreCore.listDue): sort keys are
   * unique and ordered alike in every shard, so "after the last key returned" continues all shards at once.
   */
  async listDueUnits(kind: TimerKind, now: string, limit: number, after?: string): Promise<DueUnitPage> {
    if (limit < 1) return { items: [], next: null };
    const through = throughInstant(now);
    const shards = Array.from({ length: this.timerShards }, (_, s) => s);
    const perShard = await this.engine('listDueUnits', () =>
      Promise.all(shards.map((s) => this.queryTimer({ pk: unitTimerPartition(s), through, after, kind, limit }))),
    );
    const all = perShard.flat().sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    const hits = all.slice(0, limit);
    const last = hits[hits.length - 1];
    return { items: await this.unitsOf(hits), next: all.length >= limit && last ? last.sk : null };
  }

  async getMarker(orderId: string, userId: string): Promise<ClaimMarker | null> {
    const r = await this.engine('getMarker', () => this.readPart(orderId, markerSk(userId)));
    return r ? (r.doc as ClaimMarker) : null;
  }

  insertMarker(marker: ClaimMarker): Promise<ClaimMarker> {
    const record = { pk: marker.orderId, sk: markerSk(marker.userId), version: 1, doc: marker };
    return this.engine('insertMarker', async () => (await this.insertOrReadBack(record)).doc as ClaimMarker);
  }

  async getEntry(orderId: string, userId: string): Promise<LotteryEntry | null> {
    const r = await this.engine('getEntry', () => this.readPart(entryPk(orderId, entryShardOf(userId)), userId));
    return r ? (r.doc as LotteryEntry) : null;
  }

  insertEntry(entry: LotteryEntry): Promise<{ entry: LotteryEntry; created: boolean }> {
    const record = { pk: entryPk(entry.orderId, entryShardOf(entry.userId)), sk: entry.userId, version: 1, doc: entry };
    return this.engine('insertEntry', async () => {
      const stored = await this.insertOrReadBack(record);
      return { entry: stored.doc as LotteryEntry, created: stored === record };
    });
  }

  async listEntries(orderId: string, limit: number, cursor?: string): Promise<EntryPage> {
    if (cursor !== undefined && cursor.length === 0) throw new InvalidCursorError('empty cursor');
    let at: EntryCursor = cursor === undefined ? { s: 0 } : decodeEntryCursor(cursor);
    if (limit < 1) return { items: [], cursor: cursor ?? null };
    const items: LotteryEntry[] = [];
    for (;;) {
      const want = Math.min(limit - items.length, MAX_PART_QUERY - 1);
      // One more than asked tells whether this shard goes on, without a second round trip.
      const got = await this.engine('listEntries', () =>
        this.queryParts({ pk: entryPk(orderId, at.s), prefix: '', after: at.a, limit: want + 1 }),
      );
      const page = got.slice(0, want);
      items.push(...page.map((r) => r.doc as LotteryEntry));
      const last = page[page.length - 1];
      if (got.length > want && last) at = { s: at.s, a: last.sk };
      else if (at.s + 1 < ENTRY_SHARDS) at = { s: at.s + 1 };
      else return { items, cursor: null };
      if (items.length >= limit) return { items, cursor: encodeEntryCursor(at) };
    }
  }

  async insertDrawChunks(chunks: readonly DrawListChunk[]): Promise<void> {
    // The same digest means the same entrants, so a chunk already there (a retried draw) holds what this one would.
    await this.engine('insertDrawChunks', () =>
      Promise.all(chunks.map((c) => this.insertPart({ pk: c.orderId, sk: chunkSk(c.entrantsDigest, c.chunkNo), version: 1, doc: c }))),
    );
  }

  async listDrawChunks(orderId: string, entrantsDigest: string): Promise<DrawListChunk[]> {
    const chunks: DrawListChunk[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.engine('listDrawChunks', () =>
        this.queryParts({ pk: orderId, prefix: chunkPrefix(entrantsDigest), after, limit: MAX_PART_QUERY }),
      );
      chunks.push(...page.map((r) => r.doc as DrawListChunk));
      if (page.length < MAX_PART_QUERY) return chunks;
      after = page[page.length - 1]!.sk;
    }
  }

  private unitRecord(unit: GroupUnit): PartRecord {
    const t = unitTimer(unit);
    const timer = t && { pk: unitTimerPartition(timerShardOf(unit.id, this.timerShards)), sk: sortKey(t.at, unit.id), kinds: t.kinds };
    return { pk: unit.orderId, sk: unitSk(unit.unitNo), version: unit.version, doc: unit, timer };
  }

  private async unitsOf(hits: readonly TimerHit[]): Promise<GroupUnit[]> {
    const missing = hits.filter((h) => !h.record).map((h) => h.part);
    const read = missing.length > 0 ? await this.engine('listDueUnits', () => this.readParts(missing)) : [];
    const byKey = new Map(read.map((r) => [`${r.pk}\u0000${r.sk}`, r]));
    // The entry and its record are written together; an entry whose record is gone is skipped, not an error.
    return hits.flatMap((h) => {
      const r = h.record ?? byKey.get(`${h.part.pk}\u0000${h.part.sk}`);
      return r ? [r.doc as GroupUnit] : [];
    });
  }

  /** A write-once record: inserted, or the one an earlier insert stored (returned as read back). */
  private async insertOrReadBack(record: PartRecord): Promise<PartRecord> {
    if (await this.insertPart(record)) return record;
    const stored = await this.readPart(record.pk, record.sk);
    if (!stored) throw new Error(`${record.pk}/${record.sk}: the insert lost but nothing is stored`);
    return stored;
  }

  private engine<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return engineCall(operation, call);
  }
}
