import SortedBTree from 'sorted-btree';
import type { GiftDocument } from '../../domain/gift-document';
import { type GiftRecord, GiftStoreCore, type IndexHit, type IndexRange } from '../../store/gift-store-core';
import { InProcessEffectLeases } from '../../store/in-process-effect-leases';
import { GIFT_INDEXES, type GiftIndex, type IndexEntry, idOfSortKey } from '../../store/index-entries';
import { deepFreeze, type StoreFreezeOption } from '../deep-freeze';

// sorted-btree is CommonJS with __esModule: bundlers and vitest hand us the class, plain Node ESM the module object.
const BTree = ((SortedBTree as unknown as { default?: typeof SortedBTree }).default ?? SortedBTree) as typeof SortedBTree;
type BTree<K, V> = SortedBTree<K, V>;

const SEP = '\u0000';
const treeKey = (e: IndexEntry) => `${e.pk}${SEP}${e.sk}`;

/**
 * The in-process engine (unit tests, benchmarks, `LOCAL_STORE=memory`): documents shared with readers, deep-frozen
 * unless told otherwise (nobody can change stored state behind the store's back) and one ordered B+ tree per index, so range queries cost
 * what they return. One process, one event loop: a compare-and-set is a plain check-then-set.
 */
export class MemoryGiftStore extends GiftStoreCore {
  private readonly docs = new Map<string, { record: GiftRecord }>();
  private readonly trees = Object.fromEntries(GIFT_INDEXES.map((i) => [i, new BTree<string, IndexEntry>()])) as Record<
    GiftIndex,
    BTree<string, IndexEntry>
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

  protected async createRecord(record: GiftRecord): Promise<boolean> {
    if (this.docs.has(record.gift.id)) return false;
    this.write(undefined, record);
    return true;
  }

  protected async replaceRecord(record: GiftRecord, expectedVersion: number): Promise<boolean> {
    const current = this.docs.get(record.gift.id);
    if (!current || current.record.version !== expectedVersion) return false;
    this.write(current.record, record);
    return true;
  }

  protected async queryIndex(range: IndexRange): Promise<IndexHit[]> {
    const tree = this.trees[range.index];
    const prefix = range.pk + SEP;
    const hits: IndexHit[] = [];
    const take = (entry: IndexEntry) => {
      if (range.kind && !entry.kinds?.includes(range.kind)) return;
      const id = idOfSortKey(entry.sk);
      hits.push({ id, sk: entry.sk, gift: this.docs.get(id)?.record.gift });
    };
    if (range.order === 'asc') {
      const from = range.after === undefined ? prefix : prefix + range.after;
      for (const [key, entry] of tree.entries(from)) {
        if (!key.startsWith(prefix) || (range.through !== undefined && entry.sk > range.through) || hits.length >= range.limit) break;
        if (key !== from || range.after === undefined) take(entry);
      }
    } else {
      const start = range.before === undefined ? `${prefix}\uffff` : prefix + range.before;
      for (const [key, entry] of tree.entriesReversed(start, undefined, range.before !== undefined)) {
        if (!key.startsWith(prefix) || hits.length >= range.limit) break;
        take(entry);
      }
    }
    return hits;
  }

  /** Moves only the index entries whose key changed (most writes touch one or two). */
  private write(before: GiftRecord | undefined, after: GiftRecord): void {
    if (this.freeze) deepFreeze(after.gift);
    for (const index of GIFT_INDEXES) {
      const prev = before?.entries[index] ?? null;
      const next = after.entries[index];
      const moved = !prev || !next || prev.pk !== next.pk || prev.sk !== next.sk;
      if (prev && moved) this.trees[index].delete(treeKey(prev));
      // An entry that stays under its key is left alone unless it carries timer kinds (they may have changed).
      if (next && (moved || next.kinds)) this.trees[index].set(treeKey(next), next);
    }
    this.docs.set(after.gift.id, { record: after });
  }

  /** Number of stored gifts (benchmarks and tests). */
  get size(): number {
    return this.docs.size;
  }
}
