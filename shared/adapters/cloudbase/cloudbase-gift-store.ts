import { AppError, GiftExistsError, VersionConflictError } from '../../domain/errors';
import { EFFECT_KINDS, type EffectKind, type Gift } from '../../domain/gift';
import { giftIndexKeys, SWEEPABLE_STATUSES } from '../../domain/gift-index-keys';
import type { GiftStore, Page } from '../../ports/gift-store';
import { DUPLICATE_WRITE_CODE, type CloudbaseCollection, type CloudbaseDb, type DbCommand, type DbFailure } from './cloudbase-db';

/** One `get()` returns at most this many documents (database/src/query.ts caps `limit` at 1000). */
const MAX_PAGE = 1000;

/** Top-level fields that exist only while the gift is in that index; absent otherwise (sparse). */
const SPARSE_FIELDS = ['recipientId', 'recipientSort', 'sweepStatus', 'sweepAt', ...EFFECT_KINDS.map((k) => `${k}DueAt`)] as const;

type Direction = 'asc' | 'desc';

/**
 * Composite indexes the gifts collection needs so every query reads only candidates (create them in the
 * CloudBase console or cloudbaserc; `_id` is indexed by the service). Field order matters: equality first,
 * then the sort field.
 * - byGiver / byRecipient: "my gifts" paging, newest first. The sort key is `<ISO time>#<id>`, unique per
 *   gift, so a cursor of "strictly less than the last key" neither skips nor repeats ties.
 * - bySweep: cleanup candidates. The query is `sweepStatus in [3 statuses]` sorted by sweepAt; a MongoDB
 *   engine serves that as a merge of three ordered index ranges (not verified on CloudBase's planner).
 * - handoffDue / refundDue / notifyDue: outbox queues; the field exists only while that effect is pending.
 */
export const CLOUDBASE_GIFT_INDEXES: ReadonlyArray<{ name: string; fields: ReadonlyArray<{ field: string; direction: Direction }> }> = [
  { name: 'byGiver', fields: [{ field: 'giverId', direction: 'asc' }, { field: 'giverSort', direction: 'desc' }] },
  { name: 'byRecipient', fields: [{ field: 'recipientId', direction: 'asc' }, { field: 'recipientSort', direction: 'desc' }] },
  { name: 'bySweep', fields: [{ field: 'sweepStatus', direction: 'asc' }, { field: 'sweepAt', direction: 'asc' }] },
  ...EFFECT_KINDS.map((kind) => ({ name: `${kind}Due`, fields: [{ field: `${kind}DueAt`, direction: 'asc' as const }] })),
];

/** The index fields of a gift, each null when the gift is not in that index. */
function indexFields(gift: Gift): Record<(typeof SPARSE_FIELDS)[number] | 'giverId' | 'giverSort', string | null> {
  const keys = giftIndexKeys(gift);
  const recipient = gift.recipientId && gift.claimedAt ? gift.recipientId : null;
  const swept = keys.sweepStatus && keys.sweepAt ? keys : null;
  const fields: Record<string, string | null> = {
    giverId: gift.giverId,
    giverSort: `${gift.createdAt}#${gift.id}`,
    recipientId: recipient,
    recipientSort: recipient ? `${gift.claimedAt}#${gift.id}` : null,
    sweepStatus: swept ? swept.sweepStatus : null,
    sweepAt: swept ? swept.sweepAt : null,
  };
  for (const kind of EFFECT_KINDS) fields[`${kind}DueAt`] = keys.dueAt[kind];
  return fields as ReturnType<typeof indexFields>;
}

/** With the SDK's setThrowOnCode(false), failures resolve instead of rejecting; make them reject again. */
function unwrap<T extends DbFailure>(res: T): T {
  if (res.code) throw Object.assign(new Error(res.message ?? res.code), { code: res.code });
  return res;
}

const codeOf = (e: unknown) => (typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '');
// Older service builds surfaced MongoDB's own duplicate-key text instead of the documented code.
const isDuplicateWrite = (e: unknown) => codeOf(e) === DUPLICATE_WRITE_CODE || /E11000|duplicate key/i.test(e instanceof Error ? e.message : '');

const SORT_KEY = /^\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z#.+$/s;
const encodeCursor = (sortKey: string) => Buffer.from(sortKey).toString('base64url');

/** A cursor must decode to a sort key this store produced; anything else is the caller's mistake (422). */
function decodeCursor(cursor: string): string {
  const key = Buffer.from(cursor, 'base64url').toString();
  if (!SORT_KEY.test(key) || encodeCursor(key) !== cursor) {
    throw new AppError('VALIDATION_FAILED', 'cursor is not valid', [{ path: 'cursor', message: 'not a cursor returned by this list' }]);
  }
  return key;
}

/**
 * Gift store on Tencent CloudBase's document database: one document per gift (`_id` = gift id) holding
 * `version`, the whole gift in `doc`, and top-level index fields derived from giftIndexKeys() (the same
 * candidates as the DynamoDB adapter's sparse indexes; see CLOUDBASE_GIFT_INDEXES).
 *
 * Every write touches one document: insert relies on `_id` uniqueness, replace is a compare-and-set
 * (`where({_id, version}).update(...)`, zero documents updated = someone else won). Queries always carry
 * an indexed filter and a limit; nothing scans the collection.
 *
 * Takes the database handle rather than loading @cloudbase/node-sdk, so this module is cheap to import
 * and testable against an in-process stand-in.
 */
export class CloudbaseGiftStore implements GiftStore {
  private readonly gifts: CloudbaseCollection;

  constructor(
    private readonly db: CloudbaseDb,
    collectionName = 'gifts',
  ) {
    this.gifts = db.collection(collectionName);
  }

  async get(id: string): Promise<Gift | null> {
    const res = unwrap(await this.gifts.doc(id).get());
    return (res.data[0]?.doc as Gift | undefined) ?? null;
  }

  async insert(gift: Gift): Promise<void> {
    const fields = Object.fromEntries(Object.entries(indexFields(gift)).filter(([, v]) => v !== null));
    try {
      unwrap(await this.gifts.add({ _id: gift.id, version: gift.version, doc: gift, ...fields }));
    } catch (e) {
      if (isDuplicateWrite(e)) throw new GiftExistsError(gift.id);
      // Any other failure (timeout, reset, an undocumented code) leaves us unsure whether the id is taken:
      // the write may have landed before the reply was lost. A read by _id settles it; reporting "exists"
      // is the safe answer because callers then read the stored gift instead of assuming theirs.
      const stored = await this.get(gift.id).catch(() => null);
      if (stored) throw new GiftExistsError(gift.id);
      throw e;
    }
  }

  async replace(gift: Gift, expectedVersion: number): Promise<void> {
    if (gift.version !== expectedVersion + 1) throw new Error(`gift ${gift.id}: a write must bump the version by one`);
    const _ = this.db.command;
    // update() merges nested objects, so the gift goes in as one `set` (a dropped key or a swapped skuAttrs
    // must not survive), and index fields the new version lacks are removed, not left stale.
    const data: Record<string, unknown> = { version: gift.version, doc: _.set(gift) };
    for (const [field, value] of Object.entries(indexFields(gift))) data[field] = value === null ? _.remove() : value;
    const res = unwrap(await this.gifts.where({ _id: gift.id, version: expectedVersion }).update(data));
    // The version always changes, so a matched document is always a modified one: 0 means no match.
    if (!res.updated) throw new VersionConflictError(gift.id);
  }

  listByGiver(giverId: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    return this.page('giverId', 'giverSort', giverId, limit, cursor);
  }

  listByRecipient(recipientId: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    return this.page('recipientId', 'recipientSort', recipientId, limit, cursor);
  }

  async listSweepDue(now: string, limit: number): Promise<Gift[]> {
    const _ = this.db.command;
    return this.dueUpTo({ sweepStatus: _.in([...SWEEPABLE_STATUSES]), sweepAt: _.lte(now) }, 'sweepAt', limit);
  }

  async listEffectsDue(kind: EffectKind, now: string, limit: number): Promise<Gift[]> {
    const field = `${kind}DueAt`;
    return this.dueUpTo({ [field]: this.db.command.lte(now) }, field, limit);
  }

  /** Callers loop until a batch comes back short, so capping a batch at the service maximum is safe. */
  private async dueUpTo(query: Record<string, DbCommand>, sortField: string, limit: number): Promise<Gift[]> {
    if (limit < 1) return []; // limit(0) would mean "the default 100" to the SDK
    const res = unwrap(await this.gifts.where(query).orderBy(sortField, 'asc').limit(Math.min(limit, MAX_PAGE)).get());
    return res.data.map((d) => d.doc as Gift);
  }

  private async page(ownerField: string, sortField: string, owner: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    const query: Record<string, unknown> = { [ownerField]: owner };
    if (cursor !== undefined) query[sortField] = this.db.command.lt(decodeCursor(cursor));
    if (limit < 1) return { items: [], cursor: cursor ?? null };
    const size = Math.min(limit, MAX_PAGE - 1);
    // One extra document tells whether a next page exists without a second round trip.
    const res = unwrap(await this.gifts.where(query).orderBy(sortField, 'desc').limit(size + 1).get());
    const docs = res.data.slice(0, size);
    const more = res.data.length > size;
    return { items: docs.map((d) => d.doc as Gift), cursor: more ? encodeCursor(String(docs[docs.length - 1]![sortField])) : null };
  }
}
