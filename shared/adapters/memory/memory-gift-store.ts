import SortedBTree from 'sorted-btree';

// sorted-btree is CommonJS with __esModule: bundlers and vitest hand us the class, plain Node ESM the module object.
const BTree = ((SortedBTree as unknown as { default?: typeof SortedBTree }).default ?? SortedBTree) as typeof SortedBTree;
type BTree<K, V> = SortedBTree<K, V>;
import { AppError, GiftExistsError, VersionConflictError } from '../../domain/errors';
import { EFFECT_KINDS, type EffectKind, type Gift } from '../../domain/gift';
import { giftIndexKeys } from '../../domain/gift-index-keys';
import type { GiftStore, Page } from '../../ports/gift-store';
import { deepFreeze } from '../deep-freeze';

const SEP = '\u0000';

/**
 * In-process store for unit tests and benchmarks. Keeps deep-frozen documents (nobody can mutate stored state) and
 * ordered indexes (B+ trees) mirroring the DynamoDB ones, so due-queries cost what they return.
 */
export class MemoryGiftStore implements GiftStore {
  private readonly docs = new Map<string, Gift>();
  private readonly byGiver = new BTree<string, string>();
  private readonly byRecipient = new BTree<string, string>();
  private readonly sweep = new BTree<string, string>();
  private readonly due: Record<EffectKind, BTree<string, string>> = { handoff: new BTree(), refund: new BTree(), notify: new BTree() };

  async get(id: string): Promise<Gift | null> {
    const doc = this.docs.get(id);
    return doc ?? null;
  }

  async insert(gift: Gift): Promise<void> {
    if (this.docs.has(gift.id)) throw new GiftExistsError(gift.id);
    this.write(undefined, deepFreeze(gift));
  }

  async replace(gift: Gift, expectedVersion: number): Promise<void> {
    if (gift.version !== expectedVersion + 1) throw new Error(`gift ${gift.id}: a write must bump the version by one`);
    const current = this.docs.get(gift.id);
    if (!current || current.version !== expectedVersion) throw new VersionConflictError(gift.id);
    this.write(current, deepFreeze(gift));
  }

  async listByGiver(giverId: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    return this.pageDescending(this.byGiver, giverId, limit, cursor);
  }

  async listByRecipient(recipientId: string, limit: number, cursor?: string): Promise<Page<Gift>> {
    return this.pageDescending(this.byRecipient, recipientId, limit, cursor);
  }

  async listSweepDue(now: string, limit: number): Promise<Gift[]> {
    return this.dueUpTo(this.sweep, now, limit);
  }

  async listEffectsDue(kind: EffectKind, now: string, limit: number): Promise<Gift[]> {
    return this.dueUpTo(this.due[kind], now, limit);
  }

  private dueUpTo(tree: BTree<string, string>, now: string, limit: number): Gift[] {
    const out: Gift[] = [];
    for (const [key, id] of tree.entries()) {
      if (key.slice(0, key.indexOf(SEP)) > now || out.length >= limit) break;
      out.push(this.docs.get(id)!);
    }
    return out;
  }

  private pageDescending(tree: BTree<string, string>, owner: string, limit: number, cursor?: string): Page<Gift> {
    const prefix = owner + SEP;
    const start = cursor === undefined ? prefix + '\uffff' : Buffer.from(cursor, 'base64url').toString();
    if (!start.startsWith(prefix)) throw new AppError('VALIDATION_FAILED', 'cursor is not valid', [{ path: 'cursor', message: 'not a cursor returned by this list' }]);
    const items: Gift[] = [];
    let last: string | null = null;
    for (const [key, id] of tree.entriesReversed(start, undefined, cursor !== undefined)) {
      if (!key.startsWith(prefix)) break;
      if (items.length === limit) return { items, cursor: Buffer.from(last!).toString('base64url') };
      items.push(this.docs.get(id)!);
      last = key;
    }
    return { items, cursor: null };
  }

  private indexEntries(g: Gift): Array<[BTree<string, string>, string]> {
    const keys = giftIndexKeys(g);
    const entries: Array<[BTree<string, string>, string]> = [[this.byGiver, [g.giverId, g.createdAt, g.id].join(SEP)]];
    if (g.recipientId && g.claimedAt) entries.push([this.byRecipient, [g.recipientId, g.claimedAt, g.id].join(SEP)]);
    if (keys.sweepAt) entries.push([this.sweep, [keys.sweepAt, g.id].join(SEP)]);
    for (const kind of EFFECT_KINDS) {
      const at = keys.dueAt[kind];
      if (at) entries.push([this.due[kind], [at, g.id].join(SEP)]);
    }
    return entries;
  }

  /** Moves only the index entries whose key changed (most writes touch one or two). */
  private write(before: Gift | undefined, after: Gift): void {
    const next = this.indexEntries(after);
    const prev = before ? this.indexEntries(before) : [];
    const same = (a: [BTree<string, string>, string], b: [BTree<string, string>, string]) => a[0] === b[0] && a[1] === b[1];
    for (const e of prev) if (!next.some((n) => same(n, e))) e[0].delete(e[1]);
    this.docs.set(after.id, after);
    for (const e of next) if (!prev.some((p) => same(p, e))) e[0].set(e[1], after.id);
  }

  /** Number of stored gifts (benchmarks and tests). */
  get size(): number {
    return this.docs.size;
  }
}
