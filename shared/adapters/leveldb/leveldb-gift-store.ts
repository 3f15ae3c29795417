import type { GiftDocument } from '../../domain/gift-document';
import { type GiftRecord, GiftStoreCore, type IndexHit, type IndexRange } from '../../store/gift-store-core';
import { InProcessEffectLeases } from '../../store/in-process-effect-leases';
import { GIFT_INDEXES, type IndexEntries, idOfSortKey } from '../../store/index-entries';
import { deepFreeze, type StoreFreezeOption } from '../deep-freeze';
import { GroupCommit, type WriteOp } from './group-commit';
import { KeyedLock } from './keyed-lock';
import type { LevelDb } from './open-leveldb';
import { parseStoredJson, storedJson } from './stored-effects';

/*
 * Layout (one LevelDB key space, byte-ordered, NUL-separated so no user text can bleed into the next part):
 *   doc\0<id>                      → "<version>\n<claim hash>\n<index keys joined by \x01>\n<document JSON>"
 *                                    (the document's effects stored as rows: stored-effects.ts)
 *   ix\0<index>\0<pk>\0<sort key>  → the timer kinds joined by "," (empty for the list indexes)
 * A document and its index entries change in one atomic batch. The record leads with the version, the claim hash
 * and the index keys it owns, so a compare-and-set or a claim-link match reads them without parsing the document.
 */
const SEP = '\u0000';
const docKey = (id: string) => `doc${SEP}${id}`;
const LAYOUT_KEY = `meta${SEP}layout`;
const LAYOUT = '2';
const partitionPrefix = (index: string, pk: string) => `ix${SEP}${index}${SEP}${encodeURIComponent(pk)}${SEP}`;

function entryKeys(entries: IndexEntries): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const index of GIFT_INDEXES) {
    const e = entries[index];
    if (e) out.push([partitionPrefix(index, e.pk) + e.sk, e.kinds?.join(',') ?? '']);
  }
  return out;
}

interface StoredHeader {
  version: number;
  claimTokenHash: string;
  indexKeys: string[];
  /** Offset of the document JSON in the raw record. */
  body: number;
}

function parseHeader(raw: string): StoredHeader {
  const a = raw.indexOf('\n');
  const b = raw.indexOf('\n', a + 1);
  const c = raw.indexOf('\n', b + 1);
  const keys = raw.slice(b + 1, c);
  return {
    version: Number(raw.slice(0, a)),
    claimTokenHash: raw.slice(a + 1, b),
    indexKeys: keys ? keys.split('\u0001') : [],
    body: c + 1,
  };
}

/**
 * The lowest sort key a timer partition may hold live entries at. Timer entries are short-lived (a gift's moves
 * with every effect attempt), and LevelDB deletes are tombstones that a range scan steps over one by one until
 * compaction drops them: a scan from the partition's first byte crossed every entry deleted since (at day scale,
 * millions: the day replay's largest cost, mostly in LevelDB's threads). Only this process writes the database, so it
 * can keep the floor exact enough: a write lowers it before and after its batch, a first page raises it to the first
 * live entry.
 */
interface TimerFloor {
  sk: string;
  /** Bumped by every lowering, so a scan that raced a write does not raise the floor past it. */
  lowered: number;
}

interface Cached {
  version: number;
  claimTokenHash: string;
  indexKeys: string[];
  gift: GiftDocument;
}

/**
 * The embedded on-disk engine (classic-level): the fast store for the local server and the day-scale replay.
 *
 * Only this process can open the database (LevelDB's LOCK file), which makes two shortcuts sound: compare-and-set
 * is a per-gift in-process lock around "check version, write batch", and recently used documents stay parsed in a
 * bounded write-through cache that nothing else can make stale. Hence one LevelDbGiftStore per open database.
 */
export class LevelDbGiftStore extends GiftStoreCore {
  private readonly lock = new KeyedLock();
  private readonly commits: GroupCommit;
  private readonly cache = new Map<string, Cached>();
  private readonly timerFloors = new Map<string, TimerFloor>();
  private readonly cacheSize: number;
  private readonly freeze: boolean;
  /** Only this process opens the database (its LOCK file): a dispatcher's lease need not be written (ports/effect-leases.ts). */
  readonly effectLeases = new InProcessEffectLeases();

  /**
   * cacheSize: documents kept parsed (default 5,000, ~50 MB): enough for the reads that follow a write.
   * One timer shard by default: one process, no partitions to spread writes over.
   * freezeDocuments (default true): see StoreFreezeOption.
   */
  constructor(
    private readonly db: LevelDb,
    opts: { cacheSize?: number; timerShards?: number } & StoreFreezeOption = {},
  ) {
    super({ timerShards: opts.timerShards ?? 1 });
    this.commits = new GroupCommit(db);
    this.cacheSize = opts.cacheSize ?? 5_000;
    this.freeze = opts.freezeDocuments ?? true;
  }

  /**
   * Brings a database written before the store core (index keys `giver\0…`, `recipient\0…`, `sweep\0…`, `due:…`, and
   * records without the claim hash) to this layout, each document in one atomic batch, then marks the database so the
   * check is one read from then on. Returns how many documents it rewrote.
   */
  async upgradeLayout(): Promise<number> {
    if (this.db.getSync(LAYOUT_KEY) === LAYOUT) return 0;
    let rewritten = 0;
    for await (const raw of this.db.values({ gt: docKey(''), lt: `doc${SEP}\uffff` })) {
      const lines = raw.split('\n', 3);
      const legacyKeys = lines[1] ?? '';
      if (!legacyKeys.includes(SEP)) continue; // already this layout
      const gift = JSON.parse(raw.slice(lines[0]!.length + legacyKeys.length + 2)) as GiftDocument;
      await this.lock.run(gift.id, () => this.write(this.recordOf(gift), legacyKeys.split('\u0001')));
      rewritten++;
    }
    for (const prefix of ['giver', 'recipient', 'sweep']) await this.db.clear({ gt: `${prefix}${SEP}`, lt: `${prefix}${SEP}\uffff` });
    await this.db.clear({ gt: 'due:', lt: 'due:\uffff' });
    await this.db.put(LAYOUT_KEY, LAYOUT);
    return rewritten;
  }

  protected async readGift(id: string): Promise<GiftDocument | null> {
    return this.read(id)?.gift ?? null;
  }

  protected async readGifts(ids: readonly string[]): Promise<Map<string, GiftDocument>> {
    const out = new Map<string, GiftDocument>();
    for (const id of ids) {
      const found = this.read(id);
      if (found) out.set(id, found.gift);
    }
    return out;
  }

  /** Compares the hash from the record's header: the document is parsed only for a match. */
  protected override async readGiftByClaim(id: string, claimTokenHash: string): Promise<GiftDocument | null> {
    return this.readGiftByClaimNow(id, claimTokenHash);
  }

  /** LevelDB's own reads are synchronous here (getSync): every answer is at hand. */
  protected override readGiftByClaimNow(id: string, claimTokenHash: string): GiftDocument | null {
    const cached = this.cache.get(id);
    if (cached) return cached.claimTokenHash === claimTokenHash ? cached.gift : null;
    const raw = this.db.getSync(docKey(id));
    if (raw === undefined) return null;
    const header = parseHeader(raw);
    return header.claimTokenHash === claimTokenHash ? this.remember(id, this.parse(raw, header)).gift : null;
  }

  protected createRecord(record: GiftRecord): Promise<boolean> {
    return this.lock.run(record.gift.id, async () => {
      if (this.read(record.gift.id)) return false;
      await this.write(record, []);
      return true;
    });
  }

  protected replaceRecord(record: GiftRecord, expectedVersion: number): Promise<boolean> {
    return this.lock.run(record.gift.id, async () => {
      const current = this.read(record.gift.id);
      if (!current || current.version !== expectedVersion) return false;
      await this.write(record, current.indexKeys);
      return true;
    });
  }

  protected async queryIndex(range: IndexRange): Promise<IndexHit[]> {
    const prefix = partitionPrefix(range.index, range.pk);
    // A first timer page starts at the partition's floor, not at its first byte (see TimerFloor).
    const floor = range.index === 'timer' && range.order === 'asc' && range.after === undefined ? this.floorOf(prefix) : null;
    const lowered = floor?.lowered;
    const iterator =
      range.order === 'asc'
        ? this.db.iterator({
            ...(floor && floor.sk !== '' ? { gte: prefix + floor.sk } : { gt: prefix + (range.after ?? '') }),
            lte: prefix + (range.through ?? '\uffff'),
          })
        : this.db.iterator({ gt: prefix, lt: prefix + (range.before ?? '\uffff'), reverse: true });
    const hits: IndexHit[] = [];
    let first: string | null = null;
    let complete = true;
    // Read in chunks, not entry by entry: each of classic-level's next() calls is a promise, and its first is a
    // round trip to the thread pool for one entry; a page usually arrives in one nextv (an empty chunk is the end).
    const chunkSize = Math.min(1000, range.limit + 1);
    try {
      scan: for (;;) {
        const chunk = await iterator.nextv(chunkSize);
        if (chunk.length === 0) break;
        for (const [key, kinds] of chunk) {
          if (hits.length >= range.limit) {
            complete = false;
            break scan;
          }
          const sk = key.slice(prefix.length);
          first ??= sk;
          if (range.kind && !kinds.split(',').includes(range.kind)) continue;
          const id = idOfSortKey(sk);
          hits.push({ id, sk, gift: this.read(id)?.gift });
        }
      }
    } finally {
      await iterator.close();
    }
    // Raise the floor to the first live entry (or past `through` when there was none), unless a write lowered it
    // meanwhile: the scan may not have seen that write's entry.
    const raised = first ?? (complete && range.through !== undefined ? range.through : null);
    if (floor && raised !== null && floor.lowered === lowered && raised > floor.sk) floor.sk = raised;
    return hits;
  }

  private floorOf(prefix: string): TimerFloor {
    let floor = this.timerFloors.get(prefix);
    if (!floor) {
      floor = { sk: '', lowered: 0 };
      this.timerFloors.set(prefix, floor);
    }
    return floor;
  }

  /** A timer entry about to be written (and once more when it is durable) lowers its partition's floor if below it. */
  private lowerFloor(entries: IndexEntries): void {
    const timer = entries.timer;
    if (!timer) return;
    const floor = this.timerFloors.get(partitionPrefix('timer', timer.pk));
    // At or below: the floor may already sit at this entry, lowered for it before its batch, and a scan running now
    // (which cannot see the entry until the batch lands) must not raise it past the entry.
    if (floor && timer.sk <= floor.sk) {
      floor.sk = timer.sk;
      floor.lowered++;
    }
  }

  private read(id: string): Cached | null {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const raw = this.db.getSync(docKey(id));
    if (raw === undefined) return null;
    return this.remember(id, this.parse(raw, parseHeader(raw)));
  }

  private parse(raw: string, header: StoredHeader): Cached {
    const parsed = parseStoredJson(raw.slice(header.body));
    const gift = this.freeze ? deepFreeze(parsed) : parsed;
    return { version: header.version, claimTokenHash: header.claimTokenHash, indexKeys: header.indexKeys, gift };
  }

  /**
   * Keeps the most recently written or read documents; Map order is insertion order, so the first is the oldest.
   * Evicts in steps of 1/16 of the cache: a Map keeps deleted slots at its front until it rehashes, and reaching the
   * oldest entry walks them all, so evicting one entry per write walked thousands of holes each time.
   */
  private remember(id: string, record: Cached): Cached {
    this.cache.delete(id);
    this.cache.set(id, record);
    if (this.cache.size > this.cacheSize) {
      let excess = this.cache.size - this.cacheSize + Math.floor(this.cacheSize / 16);
      for (const key of this.cache.keys()) {
        if (excess-- <= 0) break;
        this.cache.delete(key);
      }
    }
    return record;
  }

  /** Writes the document and moves only the index entries whose key changed, in one atomic batch. */
  private async write(record: GiftRecord, before: string[]): Promise<void> {
    const entries = entryKeys(record.entries);
    const after = entries.map(([k]) => k);
    const header = `${record.version}\n${record.claimTokenHash ?? ''}\n${after.join('\u0001')}\n`;
    const ops: WriteOp[] = [{ type: 'put', key: docKey(record.gift.id), value: header + storedJson(record.gift) }];
    for (const k of before) if (!after.includes(k)) ops.push({ type: 'del', key: k });
    // Timer entries are rewritten even when the key stays: the kinds they carry may have changed.
    for (const [k, v] of entries) if (!before.includes(k) || v !== '') ops.push({ type: 'put', key: k, value: v });
    this.lowerFloor(record.entries);
    // Cached only once durable: a reader never sees a version that a failed write did not keep.
    await this.commits.write(ops);
    // Again once visible: a scan that ran between the two may have raised the floor past an entry it could not see yet.
    this.lowerFloor(record.entries);
    this.remember(record.gift.id, {
      version: record.version,
      claimTokenHash: record.claimTokenHash ?? '',
      indexKeys: after,
      gift: this.freeze ? deepFreeze(record.gift) : record.gift,
    });
  }
}
