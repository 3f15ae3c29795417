import type { GiftDocument } from '../../domain/gift-document';
import { type GiftRecord, GiftStoreCore, type IndexHit, type IndexRange } from '../../store/gift-store-core';
import { GIFT_INDEXES, type GiftIndex } from '../../store/index-entries';
import { type CloudbaseCollection, type CloudbaseDb, type DbFailure, DUPLICATE_WRITE_CODE } from './cloudbase-db';

/** One `get()` returns at most this many documents (database/src/query.ts caps `limit` at 1000). */
const MAX_PAGE = 1000;
/** Ids per `_id in [...]` read. */
const READ_CHUNK = 100;

type Direction = 'asc' | 'desc';

/** Top-level fields of each index; absent while the gift is not in it (sparse). */
const FIELDS: Record<GiftIndex, { pk: string; sk: string }> = {
  giver: { pk: 'giverId', sk: 'giverSk' },
  recipient: { pk: 'recipientId', sk: 'recipientSk' },
  timer: { pk: 'timerPk', sk: 'timerSk' },
};

/**
 * Composite indexes the collection needs so every query reads only candidates (create them in the console or
 * cloudbaserc; `_id` is indexed by the service). Equality field first, then the sort field. The timer partition
 * is `timer#<shard>` by a hash of the gift id, so no index key holds a constant or low-cardinality value; jobs
 * filter `timerKinds` (an array: `{timerKinds: kind}` matches documents whose array contains it) inside one
 * partition's due range.
 */
export const CLOUDBASE_GIFT_INDEXES: ReadonlyArray<{ name: string; fields: ReadonlyArray<{ field: string; direction: Direction }> }> = [
  {
    name: 'giver',
    fields: [
      { field: 'giverId', direction: 'asc' },
      { field: 'giverSk', direction: 'desc' },
    ],
  },
  {
    name: 'recipient',
    fields: [
      { field: 'recipientId', direction: 'asc' },
      { field: 'recipientSk', direction: 'desc' },
    ],
  },
  {
    name: 'timer',
    fields: [
      { field: 'timerPk', direction: 'asc' },
      { field: 'timerSk', direction: 'asc' },
    ],
  },
];

/** The index fields of a record, each null when the gift is not in that index. */
function indexFields(record: GiftRecord): Record<string, unknown> {
  const fields: Record<string, unknown> = { claimHash: record.claimTokenHash, timerKinds: record.entries.timer?.kinds ?? null };
  for (const index of GIFT_INDEXES) {
    const e = record.entries[index];
    fields[FIELDS[index].pk] = e?.pk ?? null;
    fields[FIELDS[index].sk] = e?.sk ?? null;
  }
  return fields;
}

/** With the SDK's setThrowOnCode(false), failures resolve instead of rejecting; make them reject again. */
function unwrap<T extends DbFailure>(res: T): T {
  if (res.code) throw Object.assign(new Error(res.message ?? res.code), { code: res.code });
  return res;
}

const codeOf = (e: unknown) => (typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '');
// Older service builds surfaced MongoDB's own duplicate-key text instead of the documented code.
const isDuplicateWrite = (e: unknown) =>
  codeOf(e) === DUPLICATE_WRITE_CODE || /E11000|duplicate key/i.test(e instanceof Error ? e.message : '');

/**
 * The engine on Tencent CloudBase's document database: one document per gift (`_id` = gift id) holding `version`,
 * the whole gift in `doc`, and top-level index fields. Insert relies on `_id` uniqueness; replace is a compare-and-set
 * (`where({_id, version}).update(...)`, zero documents updated = someone else won). Queries always carry an indexed
 * filter and a limit, and return the documents themselves (a document database needs no second read).
 *
 * Takes the database handle rather than loading @cloudbase/node-sdk, so this module is cheap to import and testable
 * against an in-process stand-in.
 */
export class CloudbaseGiftStore extends GiftStoreCore {
  private readonly gifts: CloudbaseCollection;

  constructor(
    private readonly db: CloudbaseDb,
    collectionName = 'gifts',
    opts: { timerShards?: number } = {},
  ) {
    super({ timerShards: opts.timerShards ?? 16 });
    this.gifts = db.collection(collectionName);
  }

  /**
   * Gives documents written before the store core (no `giverSk`) their index fields, 100 at a time, each with a
   * compare-and-set on its version (a document the app rewrites meanwhile gets its fields from that write). Returns
   * how many it upgraded; run until it returns 0 (scripts/migrate-cloudbase-collection.ts).
   */
  async upgradeDocuments(batch = 100): Promise<number> {
    const _ = this.db.command;
    const res = unwrap(
      await this.gifts
        .where({ giverSk: _.exists(false) })
        .limit(batch)
        .get(),
    );
    let upgraded = 0;
    for (const d of res.data) {
      const gift = d.doc as GiftDocument;
      const data: Record<string, unknown> = {};
      for (const [field, value] of Object.entries(indexFields(this.recordOf(gift)))) {
        if (value !== null) data[field] = Array.isArray(value) ? _.set(value) : value;
      }
      // The earlier fields (sweepStatus, handoffDueAt, …) are left: no query reads them any more.
      const done = unwrap(await this.gifts.where({ _id: gift.id, version: d.version }).update(data));
      if (done.updated) upgraded++;
    }
    return upgraded;
  }

  protected async readGift(id: string): Promise<GiftDocument | null> {
    const res = unwrap(await this.gifts.doc(id).get());
    return (res.data[0]?.doc as GiftDocument | undefined) ?? null;
  }

  /** The hash is part of the query: a wrong secret and an unknown id are the same empty answer. */
  protected override async readGiftByClaim(id: string, claimTokenHash: string): Promise<GiftDocument | null> {
    const res = unwrap(await this.gifts.where({ _id: id, claimHash: claimTokenHash }).limit(1).get());
    return (res.data[0]?.doc as GiftDocument | undefined) ?? null;
  }

  protected async readGifts(ids: readonly string[]): Promise<Map<string, GiftDocument>> {
    const out = new Map<string, GiftDocument>();
    for (let i = 0; i < ids.length; i += READ_CHUNK) {
      const chunk = ids.slice(i, i + READ_CHUNK);
      const res = unwrap(
        await this.gifts
          .where({ _id: this.db.command.in(chunk) })
          .limit(chunk.length)
          .get(),
      );
      for (const d of res.data) out.set(String(d._id), d.doc as GiftDocument);
    }
    return out;
  }

  protected async createRecord(record: GiftRecord): Promise<boolean> {
    const fields = Object.fromEntries(Object.entries(indexFields(record)).filter(([, v]) => v !== null));
    try {
      unwrap(await this.gifts.add({ _id: record.gift.id, version: record.version, doc: record.gift, ...fields }));
      return true;
    } catch (e) {
      if (isDuplicateWrite(e)) return false;
      // Any other failure (timeout, reset, an undocumented code) leaves us unsure whether the id is taken: the
      // write may have landed before the reply was lost. A read by _id settles it; "exists" is the safe answer
      // because callers then read the stored gift instead of assuming theirs.
      const stored = await this.readGift(record.gift.id).catch(() => null);
      if (stored) return false;
      throw e;
    }
  }

  protected async replaceRecord(record: GiftRecord, expectedVersion: number): Promise<boolean> {
    const _ = this.db.command;
    // update() merges nested objects, so the gift goes in as one `set` (a dropped key or a swapped skuAttrs must not
    // survive), and index fields the new version lacks are removed, not left stale.
    const data: Record<string, unknown> = { version: record.version, doc: _.set(record.gift) };
    for (const [field, value] of Object.entries(indexFields(record)))
      data[field] = value === null ? _.remove() : Array.isArray(value) ? _.set(value) : value;
    const res = unwrap(await this.gifts.where({ _id: record.gift.id, version: expectedVersion }).update(data));
    // The version always changes, so a matched document is always a modified one: 0 means no match.
    return Boolean(res.updated);
  }

  protected async queryIndex(range: IndexRange): Promise<IndexHit[]> {
    const _ = this.db.command;
    const { pk, sk } = FIELDS[range.index];
    const query: Record<string, unknown> = { [pk]: range.pk };
    if (range.order === 'asc' && range.through !== undefined) {
      query[sk] = range.after === undefined ? _.lte(range.through) : _.and(_.gt(range.after), _.lte(range.through));
    }
    if (range.order === 'desc' && range.before !== undefined) query[sk] = _.lt(range.before);
    if (range.kind) query.timerKinds = range.kind;
    // Callers ask for small pages (list pages, dispatch batches); capping one request at the service maximum is safe
    // because the due-queries are re-run until nothing is left.
    const res = unwrap(await this.gifts.where(query).orderBy(sk, range.order).limit(Math.min(range.limit, MAX_PAGE)).get());
    return res.data.map((d) => ({ id: String(d._id), sk: String(d[sk]), gift: d.doc as GiftDocument }));
  }
}
