import type { SharedValue, SharedValues } from '../../ports/shared-values';
import { type CloudbaseDb, type DbFailure, DUPLICATE_WRITE_CODE } from './cloudbase-db';

/** With the SDK's setThrowOnCode(false), failures resolve instead of rejecting; make them reject again. */
function unwrap<T extends DbFailure>(res: T): T {
  if (res.code) throw Object.assign(new Error(res.message ?? res.code), { code: res.code });
  return res;
}

// Older service builds surfaced MongoDB's own duplicate-key text instead of the documented code.
const isDuplicateWrite = (e: unknown) =>
  (e as { code?: unknown } | null)?.code === DUPLICATE_WRITE_CODE || /E11000|duplicate key/i.test(e instanceof Error ? e.message : '');

/**
 * Shared values in their own collection, one document per key (`_id` = key, `val`, `ver`): the first write is an
 * `add` (a taken `_id` means another instance wrote first), later ones `where({ _id, ver }).update(...)`, done only
 * when `updated` is 1, as the gift store's writes.
 */
export class CloudbaseSharedValues implements SharedValues {
  constructor(
    private readonly db: CloudbaseDb,
    private readonly collectionName = 'songli_values',
  ) {}

  async read(key: string): Promise<SharedValue | null> {
    const out = unwrap(await this.db.collection(this.collectionName).doc(key).get());
    const doc = out.data[0] as { val?: unknown; ver?: unknown } | undefined;
    return doc ? { value: String(doc.val), version: Number(doc.ver) } : null;
  }

  async writeIf(key: string, value: string, expected: number | null): Promise<SharedValue | null> {
    const coll = this.db.collection(this.collectionName);
    const version = (expected ?? 0) + 1;
    if (expected !== null) {
      const out = unwrap(await coll.where({ _id: key, ver: expected }).update({ val: value, ver: version }));
      return out.updated === 1 ? { value, version } : null;
    }
    try {
      unwrap(await coll.add({ _id: key, val: value, ver: version }));
      return { value, version };
    } catch (e) {
      if (isDuplicateWrite(e)) return null;
      throw e;
    }
  }
}
