import { AppError, GiftExistsError, VersionConflictError } from '../../domain/errors';
import { EFFECT_KINDS, type EffectKind, type Gift } from '../../domain/gift';
import { giftIndexKeys } from '../../domain/gift-index-keys';
import type { GiftStore, Page } from '../../ports/gift-store';
import { deepFreeze } from '../deep-freeze';
import { GroupCommit, type WriteOp } from './group-commit';
import { KeyedLock } from './keyed-lock';
import type { LevelDb } from './open-leveldb';

/*
 * Layout (one LevelDB key space, byte-ordered, NUL-separated so no user text can bleed into the next part):
 *   doc\0<id>                        → "<version>\n<index keys joined by \x01>\n<document JSON>"
 *   giver\0<owner>\0<createdAt>\0<id>, recipient\0<owner>\0<claimedAt>\0<id>
 *   sweep\0<deadline>\0<id>, due:<kind>\0<next attempt>\0<id>     → "" (the key is the entry)
 * A document and its index entries change in one atomic batch. The record leads with the version and the
 * index keys it owns, so a compare-and-set reads them without parsing the document.
 */
const SEP = '\u0000';
const docKey = (id: string) => `doc${SEP}${id}`;
const owner = (id: string) => encodeURIComponent(id); // no NUL can survive encoding
const DUE_PREFIX: Record<EffectKind, string> = { handoff: `due:handoff${SEP}`, refund: `due:refund${SEP}`, notify: `due:notify${SEP}` };
const SWEEP_PREFIX = `sweep${SEP}`;

function indexKeysOf(g: Gift): string[] {
  const keys = giftIndexKeys(g);
  const out = [`giver${SEP}${owner(g.giverId)}${SEP}${g.createdAt}${SEP}${g.id}`];
  if (g.recipientId && g.claimedAt) out.push(`recipient${SEP}${owner(g.recipientId)}${SEP}${g.claimedAt}${SEP}${g.id}`);
  if (keys.sweepAt) out.push(`${SWEEP_PREFIX}${keys.sweepAt}${SEP}${g.id}`);
  for (const kind of EFFECT_KINDS) {
    const at = keys.dueAt[kind];
    if (at) out.push(`${DUE_PREFIX[kind]}${at}${SEP}${g.id}`);
  }
  return out;
}

/** A stored document as the store knows it: the (frozen) gift and the index entries it owns. */
interface StoredRecord {
  version: number;
  indexKeys: string[];
  gift: Gift;
}

function parseRecord(raw: string): StoredRecord {
  const a = raw.indexOf('\n');
  const b = raw.indexOf('\n', a + 1);
  const keys = raw.slice(a + 1, b);
  return { version: Number(raw.slice(0, a)), indexKeys: keys ? keys.split('\u0001') : [], gift: deepFreeze(JSON.parse(raw.slice(b + 1)) as Gift) };
}

const lastPart = (key: string) => key.slice(key.lastIndexOf(SEP) + 1);
const invalidCursor = () => new AppError('VALIDATION_FAILED', 'cursor is not valid', [{ path: 'cursor', message: 'not a cursor returned by this list' }]);

/**
 * Gift store on an embedded LevelDB (classic-level): the fast on-disk engine for the local server and
 * the day-scale replay. Same contract as the DynamoDB adapter: one conditional write per change, sparse
 * indexes so the cleanup and dispatch queries cost what they return.
 *
 * Only this process can open the database (LevelDB's LOCK file), which is what makes two shortcuts sound:
 * compare-and-set is a per-gift in-process lock around "check version, write batch", and recently used
 * documents are kept in a bounded write-through cache (frozen, like the memory store's) that nothing else
 * can make stale. Hence: one LevelDbGiftStore per open database (the composition root makes exactly one).
 */
export class LevelDbGiftStore implements GiftStore {
  private readonly lock = new KeyedLock();
  private readonly commits: GroupCommit;
  private readonly cache = new Map<string, StoredRecord>();

  constructor(
    private readonly db: LevelDb,
    /** cacheSize: documents kept parsed (default 5,000, ~50 MB): enough for the reads that follow a write. */
    private readonly opts: { cacheSize?: number } = {},
  ) {
    this.commits = new GroupCommit(db);
  }

  async get(id: string): Promise<Gift | null> {
    return this.read(id)?.gift ?? null;
  }

  insert(gift: Gift): Promise<void> {
    return this.lock.run(gift.id, async () => {
      if (this.read(gift.id)) throw new GiftExistsError(gift.id);
      await this.write(gift, []);
    });
  }

  replace(gift: Gift, expectedVersion: number): Promise<void> {
    if (gift.version !== expectedVersion + 1) return Promise.reject(new Error(`gift ${gift.id}: a write must bump the version by one`));
    return this.lock.run(gift.id, async () => {
      const current = this.read(gift.id);
      if (!current || current.version !== expectedVersion) throw new VersionConflictError(gift.id);
      await this.write(gift, current.indexKeys);
    });
  }

  listByGiver(giverId: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    return this.pageDescending(`giver${SEP}${owner(giverId)}${SEP}`, limit, cursor);
  }

  listByRecipient(recipientId: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    return this.pageDescending(`recipient${SEP}${owner(recipientId)}${SEP}`, limit, cursor);
  }

  listSweepDue(now: string, limit: number): Promise<Gift[]> {
    return this.dueUpTo(SWEEP_PREFIX, now, limit);
  }

  listEffectsDue(kind: EffectKind, now: string, limit: number): Promise<Gift[]> {
    return this.dueUpTo(DUE_PREFIX[kind], now, limit);
  }

  private read(id: string): StoredRecord | null {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const raw = this.db.getSync(docKey(id));
    if (raw === undefined) return null;
    return this.remember(id, parseRecord(raw));
  }

  /** Keeps the most recently written or read documents; Map order is insertion order, so the first is the oldest. */
  private remember(id: string, record: StoredRecord): StoredRecord {
    this.cache.delete(id);
    this.cache.set(id, record);
    if (this.cache.size > (this.opts.cacheSize ?? 5_000)) this.cache.delete(this.cache.keys().next().value!);
    return record;
  }

  /** Writes the document and moves only the index entries whose key changed, in one atomic batch. */
  private async write(gift: Gift, before: string[]): Promise<void> {
    const after = indexKeysOf(gift);
    const ops: WriteOp[] = [{ type: 'put', key: docKey(gift.id), value: `${gift.version}\n${after.join('\u0001')}\n${JSON.stringify(gift)}` }];
    for (const k of before) if (!after.includes(k)) ops.push({ type: 'del', key: k });
    for (const k of after) if (!before.includes(k)) ops.push({ type: 'put', key: k, value: '' });
    // Cached only once durable: a reader never sees a version that a failed write did not keep.
    await this.commits.write(ops);
    this.remember(gift.id, { version: gift.version, indexKeys: after, gift: deepFreeze(gift) });
  }

  private async dueUpTo(prefix: string, now: string, limit: number): Promise<Gift[]> {
    // `<now>\x01` sorts after every `<now>\0<id>` and before any later instant: "at or before now".
    const keys = await this.db.keys({ gt: prefix, lt: `${prefix}${now}\u0001`, limit }).all();
    return this.docsOf(keys);
  }

  private async pageDescending(prefix: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    let before = `${prefix}\uffff`;
    if (cursor !== undefined) {
      before = Buffer.from(cursor, 'base64url').toString();
      if (!before.startsWith(prefix) || before.length === prefix.length) throw invalidCursor();
    }
    // One more than asked tells whether another page exists.
    const keys = await this.db.keys({ gt: prefix, lt: before, reverse: true, limit: limit + 1 }).all();
    const page = keys.slice(0, limit);
    return { items: this.docsOf(page), cursor: keys.length > limit ? Buffer.from(page[page.length - 1]!).toString('base64url') : null };
  }

  /**
   * Index entries and documents change in one batch, so every entry's document exists. An entry read just
   * before a concurrent write moved it still finds the (newer) document: callers re-check what they act on.
   */
  private docsOf(indexKeys: string[]): Gift[] {
    return indexKeys.map((k) => this.read(lastPart(k))!.gift);
  }
}
