import { type GiftDocument, isGroupOrder } from '../../domain/gift-document';
import type { TimerKind } from '../../domain/timers';
import { type IndexEntries, type IndexEntry, indexTimer, sortKey, timerPartition, timerShardOf } from '../../store/index-entries';

/** A gift's stored record as far as its entries go: the document and the entries derived from it. */
export interface IndexedGift {
  gift: GiftDocument;
  entries: IndexEntries;
}

/**
 * indexEntries (store/index-entries.ts: the one definition; test/store/reused-index-entries.test.ts checks this against
 * it at every write) for an engine that holds the gift's stored record: an entry whose inputs did not change is that
 * record's own object (same pk and sk, the stored strings). Most writes move one entry, often none, and building the
 * others' keys only to compare and drop them was a few string copies a write. Kept out of store/ so deploy bundles,
 * whose engines hold no records, do not carry it.
 */
export function indexEntriesReusing(
  gift: GiftDocument,
  timerShards: number,
  opts: { streamFirstDelivery?: boolean },
  previous: IndexedGift | undefined,
): IndexEntries {
  const timer = indexTimer(gift, opts);
  const was = previous !== undefined && previous.gift.id === gift.id ? previous : undefined;
  return {
    giver: giverEntry(gift, was),
    recipient:
      !isGroupOrder(gift) && gift.recipientId && gift.claimedAt ? recipientEntry(gift, gift.recipientId, gift.claimedAt, was) : null,
    timer: timer ? timerEntry(gift, timer.at, timer.kinds, timerShards, was) : null,
  };
}

function giverEntry(gift: GiftDocument, was: IndexedGift | undefined): IndexEntry {
  const prev = was?.entries.giver;
  if (prev && was.gift.giverId === gift.giverId && was.gift.createdAt === gift.createdAt) return prev;
  return { pk: gift.giverId, sk: sortKey(gift.createdAt, gift.id) };
}

function recipientEntry(gift: GiftDocument, recipientId: string, claimedAt: string, was: IndexedGift | undefined): IndexEntry {
  const prev = was?.entries.recipient;
  const before = was?.gift;
  if (prev && before && !isGroupOrder(before) && before.recipientId === recipientId && before.claimedAt === claimedAt) return prev;
  return { pk: recipientId, sk: sortKey(claimedAt, gift.id) };
}

/** Same gift, same shard count: the partition is the previous one; the sort key too when it is `<at>#<id>`. */
function timerEntry(gift: GiftDocument, at: string, kinds: TimerKind[], timerShards: number, was: IndexedGift | undefined): IndexEntry {
  const prev = was?.entries.timer;
  if (!prev) return { pk: timerPartition(timerShardOf(gift.id, timerShards)), sk: sortKey(at, gift.id), kinds };
  const sameAt = prev.sk.length === at.length + 1 + gift.id.length && prev.sk.startsWith(at);
  if (sameAt && sameKinds(prev.kinds, kinds)) return prev;
  return { pk: prev.pk, sk: sameAt ? prev.sk : sortKey(at, gift.id), kinds };
}

export const sameKinds = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean =>
  a === b || (a !== undefined && b !== undefined && a.length === b.length && a.every((k, i) => k === b[i]));
