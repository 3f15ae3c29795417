import SortedBTree from 'sorted-btree';
import type { GiftDocument } from '../../domain/gift-document';
import { type GiftRecord, GiftStoreCore, type IndexHit, type IndexRange } from '../../store/gift-store-core';
import { InProcessEffectLeases } from '../../store/in-process-effect-leases';
import { GIFT_INDEXES, type GiftIndex, type IndexEntry, idOfSortKey } from '../../store/index-entries';
import { deepFreeze, type StoreFreezeOption } from '../deep-freeze';
import { indexEntriesReusing, sameKinds } from './reused-index-entries';

// sorted-btree is CommonJS with __esModule: bundlers and vitest hand us the class, plain Node ESM the module object.
const BTree = ((SortedBTree as unknown as { default?: typeof SortedBTree }).default ?? SortedBTree) as typeof SortedBTree;
type BTree<K, V> = SortedBTree<K, V>;

const SEP = '\u0000';
const treeKey = (e: IndexEntry) => `${e.pk}${SEP}${e.sk}`;

/** A stored gift's slot: one per id for the store's lifetime, so index trees can point at it across rewrites. */
interface Slot {
  record: GiftRecord;
  /** The key each index tree files this slot under (GIFT_INDEXES order): a moved entry is deleted without rebuilding it. */
  keys: Array<string | undefined>;
}

/** Plain string order (sorted-btree's default comparator also handles numbers, dates and arrays, at a cost). */
const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The in-process engine (unit tests, benchmarks, `LOCAL_STORE=memory`): documents shared with readers, deep-frozen
 * unless told otherwise (nobody can change stored state behind the store's back) and one ordered B+ tree per index, so range queries cost
 * what they return. One process, one event loop: a compare-and-set is a plain check-then-set.
 *
 * A tree maps an entry's key to the gift's slot, and a query reads the entry itself (its sort key, its timer kinds)
 * from the slot's current record: a write whose entries keep their keys (most of them: a transition moves one
 * entry, often none) touches no tree at all.
 */
export class MemoryGiftStore extends GiftStoreCore {
  private readonly docs = new Map<string, Slot>();
  private readonly trees = Object.fromEntries(GIFT_INDEXES.map((i) => [i, new BTree<string, Slot>(undefined, compareKeys)])) as Record<
    GiftIndex,
    BTree<string, Slot>
  >;

  private readonly freeze: boolean;
  /** One process, one store: a dispatcher's lease need not be written (ports/effect-leases.ts). */
  readonly effectLeases = new InProcessEffectLeases();

  /**
   * One timer shard by default: there are no partitions to spread writes over in one process.
   * freezeDocuments (default true): see StoreFreezeOption.
   */
  constructor(opts: { timerShards?: number } & StoreFreezeOption = {}) {
    super({ timerShards: opts.timerShards ?? 1 });
    this.freeze = opts.freezeDocuments ?? true;
  }

  protected async readGift(id: string): Promise<GiftDocument | null> {
    return this.readGiftNow(id);
  }

  protected override readGiftNow(id: string): GiftDocument | null {
    return this.docs.get(id)?.record.gift ?? null;
  }

  protected override readGiftByClaimNow(id: string, claimTokenHash: string): GiftDocument | null {
    const gift = this.docs.get(id)?.record.gift;
    return gift && gift.claimTokenHash === claimTokenHash ? gift : null;
  }

  protected async readGifts(ids: readonly string[]): Promise<Map<string, GiftDocument>> {
    const out = new Map<string, GiftDocument>();
    for (const id of ids) {
      const doc = this.docs.get(id);
      if (doc) out.set(id, doc.record.gift);
    }
    return out;
  }

  /** The stored record is at hand: entries whose inputs did not change are reused (reused-index-entries.ts). */
  protected override recordOf(gift: GiftDocument): GiftRecord {
    return {
      gift,
      version: gift.version,
      claimTokenHash: gift.claimTokenHash,
      entries: indexEntriesReusing(gift, this.coreOptions.timerShards, this.coreOptions, this.docs.get(gift.id)?.record),
    };
  }

  protected async createRecord(record: GiftRecord): Promise<boolean> {
    return this.createRecordNow(record);
  }

  protected override createRecordNow(record: GiftRecord): boolean {
    if (this.docs.has(record.gift.id)) return false;
    this.write(undefined, record);
    return true;
  }

  protected async replaceRecord(record: GiftRecord, expectedVersion: number): Promise<boolean> {
    return this.replaceRecordNow(record, expectedVersion);
  }

  protected override replaceRecordNow(record: GiftRecord, expectedVersion: number): boolean {
    const slot = this.docs.get(record.gift.id);
    if (!slot || slot.record.version !== expectedVersion) return false;
    this.write(slot, record);
    return true;
  }

  protected async queryIndex(range: IndexRange): Promise<IndexHit[]> {
    const tree = this.trees[range.index];
    const prefix = range.pk + SEP;
    const hits: IndexHit[] = [];
    // The slot's record always holds the entry filed under this key (write() moves the key whenever it changes).
    const entryOf = (slot: Slot) => slot.record.entries[range.index]!;
    const take = (entry: IndexEntry, slot: Slot) => {
      if (range.kind && !entry.kinds?.includes(range.kind)) return;
      hits.push({ id: idOfSortKey(entry.sk), sk: entry.sk, gift: slot.record.gift });
    };
    if (range.order === 'asc') {
      const from = range.after === undefined ? prefix : prefix + range.after;
      for (const [key, slot] of tree.entries(from)) {
        const entry = entryOf(slot);
        if (!key.startsWith(prefix) || (range.through !== undefined && entry.sk > range.through) || hits.length >= range.limit) break;
        if (key !== from || range.after === undefined) take(entry, slot);
      }
    } else {
      const start = range.before === undefined ? `${prefix}\uffff` : prefix + range.before;
      for (const [key, slot] of tree.entriesReversed(start, undefined, range.before !== undefined)) {
        if (!key.startsWith(prefix) || hits.length >= range.limit) break;
        take(entryOf(slot), slot);
      }
    }
    return hits;
  }

  /**
   * Moves only the index entries whose key changed; an entry that keeps its key (with other timer kinds, say) is read
   * from the slot's new record by the next query. Such an entry keeps the stored key's strings: the record's own copies
   * (built for this write) then die young instead of being kept, and the next comparison is against a flat string.
   */
  private write(slot: Slot | undefined, after: GiftRecord): void {
    if (this.freeze) deepFreeze(after.gift);
    const before = slot?.record;
    const target: Slot = slot ?? { record: after, keys: [undefined, undefined, undefined] };
    for (let i = 0; i < GIFT_INDEXES.length; i++) {
      const index = GIFT_INDEXES[i]!;
      const prev = before ? before.entries[index] : null;
      const next = after.entries[index];
      if (prev && next && prev.pk === next.pk && prev.sk === next.sk) {
        after.entries[index] = sameKinds(prev.kinds, next.kinds) ? prev : { pk: prev.pk, sk: prev.sk, kinds: next.kinds };
        continue;
      }
      if (prev) this.trees[index].delete(target.keys[i]!);
      const key = next ? treeKey(next) : undefined;
      if (key !== undefined) this.trees[index].set(key, target);
      target.keys[i] = key;
    }
    if (slot) slot.record = after;
    else this.docs.set(after.gift.id, target);
  }

  /** Number of stored gifts (benchmarks and tests). */
  get size(): number {
    return this.docs.size;
  }
}
