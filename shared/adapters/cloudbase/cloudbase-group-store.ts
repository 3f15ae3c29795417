import { GroupStoreCore, type PartRange, type PartRecord } from '../../store/group-store-core';
import { type CloudbaseCollection, type CloudbaseDb, type DbFailure, DUPLICATE_WRITE_CODE } from './cloudbase-db';

/** With the SDK's setThrowOnCode(false), failures resolve instead of rejecting; make them reject again. */
function unwrap<T extends DbFailure>(res: T): T {
  if (res.code) throw Object.assign(new Error(res.message ?? res.code), { code: res.code });
  return res;
}

// Older service builds surfaced MongoDB's own duplicate-key text instead of the documented code.
const isDuplicateWrite = (e: unknown) =>
  (e as { code?: unknown } | null)?.code === DUPLICATE_WRITE_CODE || /E11000|duplicate key/i.test(e instanceof Error ? e.message : '');

const idOf = (pk: string, sk: string) => `${pk}#${sk}`;
const fromDoc = (d: Record<string, unknown>): PartRecord => ({
  pk: String(d.pk),
  sk: String(d.sk),
  version: Number(d.version),
  doc: d.doc as object,
});

/**
 * Group parts on CloudBase: a collection of their own (default `gift_parts`), one document per part with
 * `_id` = `<pk>#<sk>` (e.g. `<orderId>#u#007`), the key fields `pk` and `sk`, `version` and the document in `doc`.
 * A conditional insert is `add({_id, …})` (a taken `_id` is the lost race); a compare-and-set is
 * `where({_id, version}).update(…)`, done only when `updated` is 1. Range queries filter `pk` and a range of `sk`,
 * ordered by `sk`: the collection needs a composite index (pk asc, sk asc).
 */
export class CloudbaseGroupStore extends GroupStoreCore {
  private readonly parts: CloudbaseCollection;

  constructor(
    private readonly db: CloudbaseDb,
    collectionName = 'gift_parts',
  ) {
    super();
    this.parts = db.collection(collectionName);
  }

  protected async readPart(pk: string, sk: string): Promise<PartRecord | null> {
    const res = unwrap(await this.parts.doc(idOf(pk, sk)).get());
    const d = res.data[0];
    return d ? fromDoc(d) : null;
  }

  protected async insertPart(record: PartRecord): Promise<boolean> {
    try {
      unwrap(
        await this.parts.add({ _id: idOf(record.pk, record.sk), pk: record.pk, sk: record.sk, version: record.version, doc: record.doc }),
      );
      return true;
    } catch (e) {
      if (isDuplicateWrite(e)) return false;
      // Any other failure (timeout, reset, an undocumented code) leaves us unsure whether the insert landed before the
      // reply was lost. A read settles it; "exists" is the safe answer (as the gift store's createRecord): the caller
      // then reads what is stored instead of assuming its own write. A claimer whose unit insert is reported lost
      // this way finds the unit carrying them on its next read and adopts it.
      const stored = await this.readPart(record.pk, record.sk).catch(() => null);
      if (stored) return false;
      throw e;
    }
  }

  protected async replacePart(record: PartRecord, expectedVersion: number): Promise<boolean> {
    // update() merges nested objects: the document goes in as one `set`, so a dropped key does not survive.
    const data = { version: record.version, doc: this.db.command.set(record.doc) };
    const res = unwrap(await this.parts.where({ _id: idOf(record.pk, record.sk), version: expectedVersion }).update(data));
    // The version always changes, so a matched document is always a modified one: 0 means no match.
    return Boolean(res.updated);
  }

  protected async queryParts(range: PartRange): Promise<PartRecord[]> {
    const _ = this.db.command;
    const lower = _.gt(range.after ?? range.prefix);
    const sk = range.prefix ? _.and(lower, _.lt(`${range.prefix}\uffff`)) : lower;
    const res = unwrap(await this.parts.where({ pk: range.pk, sk }).orderBy('sk', 'asc').limit(range.limit).get());
    return res.data.map(fromDoc);
  }
}
