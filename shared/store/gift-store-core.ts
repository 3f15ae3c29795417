/**
 * The persistence rules every gift store shares, shaped like Powertools' BasePersistenceLayer: this core owns the
 * version check, the index entries (shared/store/index-entries.ts), list cursors, sharded timer queries and the
 * store's errors; an engine adapter (memory, LevelDB, DynamoDB, CloudBase) implements a few calls that only talk to
 * its engine. Engines never throw HTTP-flavoured errors: conflicts are return values, anything else they throw is
 * wrapped here in StoreUnavailableError (a dependency failure, 503 at the edge).
 */
import type { GiftDocument } from '../domain/gift-document';
import type { TimerKind } from '../domain/timers';
import { type DuePage, GiftExistsError, type GiftStore, InvalidCursorError, type Page, VersionConflictError } from '../ports/gift-store';
import { engineCall, engineFailure } from './engine-call';
import { type GiftIndex, type IndexEntries, indexEntries, throughInstant, timerPartition } from './index-entries';
import { decodeListCursor, encodeListCursor, type GiftList } from './list-cursor';

/** What an engine writes: the document, its version (the compare-and-set guard) and its index entries. */
export interface GiftRecord {
  gift: GiftDocument;
  version: number;
  /** Kept beside the document so an engine can match a claim link without returning the document. */
  claimTokenHash: string | null;
  entries: IndexEntries;
}

/** One ordered range of one index partition. */
export interface IndexRange {
  index: GiftIndex;
  pk: string;
  order: 'asc' | 'desc';
  /** asc: entries with sort key ≤ this. */
  through?: string;
  /** asc: entries with sort key > this (continuing a page). */
  after?: string;
  /** desc: entries with sort key < this (absent: from the newest). */
  before?: string;
  /** timer index: only entries waiting for this kind. */
  kind?: TimerKind;
  /** At most this many matching entries. */
  limit: number;
}

/** An index entry found by a range query; engines that hold the document at hand return it too. */
export interface IndexHit {
  id: string;
  sk: string;
  gift?: GiftDocument;
}

export interface GiftStoreCoreOptions {
  /** Partitions of the timer index (only ever increase it on a live table: readers query shards 0..N-1). */
  timerShards: number;
  /** A change stream delivers first attempts (AWS): they keep out of the timer's sort key (domain/timers.ts giftTimer). */
  streamFirstDelivery?: boolean;
}

export abstract class GiftStoreCore implements GiftStore {
  protected constructor(protected readonly coreOptions: GiftStoreCoreOptions) {
    if (!Number.isInteger(coreOptions.timerShards) || coreOptions.timerShards < 1)
      throw new Error('timerShards must be a positive integer');
  }

  /** Strongly consistent read of one document. */
  protected abstract readGift(id: string): Promise<GiftDocument | null>;
  /** Documents by id (eventual consistency is fine: callers re-check what they act on); missing ids are left out. */
  protected abstract readGifts(ids: readonly string[]): Promise<Map<string, GiftDocument>>;
  /** Inserts unless the id exists; false when it does. */
  protected abstract createRecord(record: GiftRecord): Promise<boolean>;
  /** Replaces only when the stored version is `expectedVersion`; false when it is not (or the gift is gone). */
  protected abstract replaceRecord(record: GiftRecord, expectedVersion: number): Promise<boolean>;
  protected abstract queryIndex(range: IndexRange): Promise<IndexHit[]>;

  /** Engines that can compare the hash without returning the document override this (same work for a miss). */
  protected async readGiftByClaim(id: string, claimTokenHash: string): Promise<GiftDocument | null> {
    const gift = await this.readGift(id);
    return gift && gift.claimTokenHash === claimTokenHash ? gift : null;
  }

  /*
   * Engines that hold their documents in this process (the memory store) also answer these at once: the store's calls
   * then await no promise of the engine's own (a lifecycle makes ~17 of them).
   */
  protected readGiftNow?(id: string): GiftDocument | null;
  protected createRecordNow?(record: GiftRecord): boolean;
  protected replaceRecordNow?(record: GiftRecord, expectedVersion: number): boolean;

  /** Engines that hold documents in this process answer a claim-link match at once (undefined: not held). */
  protected readGiftByClaimNow?(id: string, claimTokenHash: string): GiftDocument | null | undefined;

  /** GiftStore.getByClaimNow: undefined also when the engine fails (getByClaim then reports the failure). */
  getByClaimNow(id: string, claimTokenHash: string): GiftDocument | null | undefined {
    try {
      return this.readGiftByClaimNow?.(id, claimTokenHash);
    } catch {
      return undefined;
    }
  }

  // The four calls of every command (get, getByClaim, insert, replace) wrap their engine call inline, not through
  // engineCall: no closure and one async frame less per call (engineCall's own promise).
  async get(id: string): Promise<GiftDocument | null> {
    try {
      return this.readGiftNow ? this.readGiftNow(id) : await this.readGift(id);
    } catch (e) {
      throw engineFailure('get', e);
    }
  }

  async getByClaim(id: string, claimTokenHash: string): Promise<GiftDocument | null> {
    try {
      return await this.readGiftByClaim(id, claimTokenHash);
    } catch (e) {
      throw engineFailure('getByClaim', e);
    }
  }

  async insert(gift: GiftDocument): Promise<void> {
    let created: boolean;
    try {
      const record = this.recordOf(gift);
      created = this.createRecordNow ? this.createRecordNow(record) : await this.createRecord(record);
    } catch (e) {
      throw engineFailure('insert', e);
    }
    if (!created) throw new GiftExistsError(gift.id);
  }

  async replace(gift: GiftDocument, expectedVersion: number): Promise<void> {
    // A programming error, not a conflict: every write moves the version by exactly one.
    if (gift.version !== expectedVersion + 1) throw new Error(`gift ${gift.id}: a write must bump the version by one`);
    let replaced: boolean;
    try {
      const record = this.recordOf(gift);
      replaced = this.replaceRecordNow ? this.replaceRecordNow(record, expectedVersion) : await this.replaceRecord(record, expectedVersion);
    } catch (e) {
      throw engineFailure('replace', e);
    }
    if (!replaced) throw new VersionConflictError(gift.id);
  }

  listByGiver(giverId: string, limit: number, cursor?: string): Promise<Page<GiftDocument>> {
    return this.listOwned('sent', 'giver', giverId, limit, cursor);
  }

  listByRecipient(recipientId: string, limit: number, cursor?: string): Promise<Page<GiftDocument>> {
    return this.listOwned('received', 'recipient', recipientId, limit, cursor);
  }

  /**
   * Queries every timer shard in parallel and merges them, earliest first. Sort keys are unique and ordered the same
   * in every shard, so "after the last key returned" continues all shards at once.
   */
  async listDue(kind: TimerKind, now: string, limit: number, after?: string): Promise<DuePage> {
    if (limit < 1) return { items: [], next: null };
    const through = throughInstant(now);
    const shards = Array.from({ length: this.coreOptions.timerShards }, (_, s) => s);
    const perShard = await this.engine('listDue', () =>
      Promise.all(shards.map((s) => this.queryIndex({ index: 'timer', pk: timerPartition(s), order: 'asc', through, after, kind, limit }))),
    );
    const all = perShard.flat().sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0));
    const hits = all.slice(0, limit);
    const last = hits[hits.length - 1];
    return { items: await this.documentsOf(hits), next: all.length >= limit && last ? last.sk : null };
  }

  private async listOwned(list: GiftList, index: GiftIndex, owner: string, limit: number, cursor?: string): Promise<Page<GiftDocument>> {
    if (cursor !== undefined && cursor.length === 0) throw new InvalidCursorError('empty cursor');
    const before = cursor === undefined ? undefined : decodeListCursor(list, owner, cursor);
    if (limit < 1) return { items: [], cursor: cursor ?? null };
    // One more than asked tells whether another page exists, without a second round trip.
    const hits = await this.engine('list', () => this.queryIndex({ index, pk: owner, order: 'desc', before, limit: limit + 1 }));
    const page = hits.slice(0, limit);
    const items = await this.documentsOf(page);
    const last = page[page.length - 1];
    return { items, cursor: hits.length > limit && last ? encodeListCursor(list, owner, last.sk) : null };
  }

  private async documentsOf(hits: readonly IndexHit[]): Promise<GiftDocument[]> {
    const missing = hits.filter((h) => !h.gift).map((h) => h.id);
    const read = missing.length > 0 ? await this.engine('read', () => this.readGifts(missing)) : new Map<string, GiftDocument>();
    // Index entries and documents are written together; an entry whose document is gone is skipped, not an error.
    return hits.flatMap((h) => {
      const gift = h.gift ?? read.get(h.id);
      return gift ? [gift] : [];
    });
  }

  /** The record of a gift as this store writes it (an engine rewriting documents in bulk uses it too). */
  protected recordOf(gift: GiftDocument): GiftRecord {
    return {
      gift,
      version: gift.version,
      claimTokenHash: gift.claimTokenHash,
      entries: indexEntries(gift, this.coreOptions.timerShards, this.coreOptions),
    };
  }

  private engine<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return engineCall(operation, call);
  }
}
