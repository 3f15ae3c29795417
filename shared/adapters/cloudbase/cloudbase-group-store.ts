import {
  GroupStoreCore,
  type GroupStoreCoreOptions,
  MAX_PART_QUERY,
  type PartRange,
  type PartRecord,
  type TimerHit,
  type TimerRange,
} from '../../store/group-store-core';
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
 *
 * A unit waiting for an effect also carries `timerPk` (`utimer#<shard>`), `timerSk` (`<earliest due>#<unitId>`) and
 * `timerKinds` (an array), removed once every effect settled; the dispatchers' query filters `timerPk`, a range of
 * `timerSk` and `timerKinds`, ordered by `timerSk`: a second composite index (timerPk asc, timerSk asc).
 */
export class CloudbaseGroupStore extends GroupStoreCore {
  private readonly parts: CloudbaseCollection;

  constructor(
    private readonly db: CloudbaseDb,
    collectionName = 'gift_parts',
    opts: GroupStoreCoreOptions = {},
  ) {
    super(opts);
    this.parts = db.collection(collectionName);
  }

  protected async readPart(pk: string, sk: string): Promise<PartRecord | null> {
    const res = unwrap(await this.parts.doc(idOf(pk, sk)).get());
    const d = res.data[0];
    return d ? fromDoc(d) : null;
  }

  protected async insertPart(record: PartRecord): Promise<boolean> {
    try {
      const timer = record.timer ? { timerPk: record.timer.pk, timerSk: record.timer.sk, timerKinds: record.timer.kinds } : {};
      unwrap(
        await this.parts.add({
          _id: idOf(record.pk, record.sk),
          pk: record.pk,
          sk: record.sk,
          version: record.version,
          doc: record.doc,
          ...timer,
        }),
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
    const _ = this.db.command;
    // update() merges nested objects: the document goes in as one `set`, so a dropped key does not survive; a unit
    // that waits for nothing any more loses its timer fields (the index stays sparse, no stale entry).
    const t = record.timer;
    const data = {
      version: record.version,
      doc: _.set(record.doc),
      ...(t
        ? { timerPk: t.pk, timerSk: t.sk, timerKinds: _.set(t.kinds) }
        : { timerPk: _.remove(), timerSk: _.remove(), timerKinds: _.remove() }),
    };
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

  protected async queryTimer(range: TimerRange): Promise<TimerHit[]> {
    const _ = this.db.command;
    const timerSk = range.after === undefined ? _.lte(range.through) : _.and(_.gt(range.after), _.lte(range.through));
    // `{timerKinds: kind}` matches documents whose array contains the kind.
    const res = unwrap(
      await this.parts
        .where({ timerPk: range.pk, timerSk, timerKinds: range.kind })
        .orderBy('timerSk', 'asc')
        .limit(Math.min(range.limit, MAX_PART_QUERY))
        .get(),
    );
    return res.data.map((d) => {
      const record = fromDoc(d);
      return { sk: String(d.timerSk), part: { pk: record.pk, sk: record.sk }, record };
    });
  }
}
