/**
 * The secondary index entries of a gift, derived from the document in one place so every engine indexes the same
 * candidates. Each entry is a partition key and a sort key; null means "not in that index" (sparse).
 *
 * - giver: `giverId` / `<createdAt>#<id>` — 我送出的礼物, newest first.
 * - recipient: `recipientId` / `<claimedAt>#<id>` — 我收到的礼物, once claimed.
 * - timer: `timer#<shard>` / `<earliest due instant>#<id>`, with the kinds it waits for — present only while the
 *   gift waits for the cleanup or a pending effect. The partition is spread over `timerShards` values by a hash
 *   of the gift id, so no partition key value is constant or low-cardinality at festival scale.
 *
 * Sort keys end with the gift id, so they are unique: paging never has to break a tie.
 */
import { type GiftDocument, isGroupOrder } from '../domain/gift-document';
import { groupOrderTimer } from '../domain/group-order';
import { DEFAULT_GROUP_POLICY } from '../domain/group-policy';
import { giftTimer, type TimerKind } from '../domain/timers';

export const GIFT_INDEXES = ['giver', 'recipient', 'timer'] as const;
export type GiftIndex = (typeof GIFT_INDEXES)[number];

export interface IndexEntry {
  pk: string;
  sk: string;
  /** Timer entries only: what the gift waits for. */
  kinds?: TimerKind[];
}
export type IndexEntries = Record<GiftIndex, IndexEntry | null>;

export const sortKey = (at: string, id: string): string => `${at}#${id}`;
/** The greatest sort key at instant `at`: `sk <= throughInstant(at)` means "due at or before `at`". */
export const throughInstant = (at: string): string => `${at}#\uffff`;
export const idOfSortKey = (sk: string): string => sk.slice(sk.indexOf('#') + 1);

/** 32-bit FNV-1a: cheap, stable across engines and processes, and spreads sequential ids evenly. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const timerPartition = (shard: number): string => `timer#${shard}`;
export const timerShardOf = (giftId: string, shards: number): number => fnv1a(giftId) % shards;

/** A gift's stored record as indexEntries may reuse it: the document and the entries derived from it. */
export interface IndexedGift {
  gift: GiftDocument;
  entries: IndexEntries;
}

/**
 * A group order is in the giver's list and the timer index like a gift; it has no recipient of its own (its units do,
 * in the group store). Its draw instant is stored in the order (LotteryState.drawDueAt), so the default policy here
 * only matters for orders written before that field.
 *
 * `previous`: the stored record of the same gift (an engine that holds it at hand). An entry whose inputs did not change
 * is that record's own object (same pk and sk, the stored strings): most writes move one entry, often none, and
 * building the others' keys only to compare and drop them was a few string copies a write.
 */
export function indexEntries(
  gift: GiftDocument,
  timerShards: number,
  opts: { streamFirstDelivery?: boolean } = {},
  previous?: IndexedGift,
): IndexEntries {
  const order = isGroupOrder(gift);
  const timer = order ? groupOrderTimer(gift, DEFAULT_GROUP_POLICY) : giftTimer(gift, opts);
  const was = previous !== undefined && previous.gift.id === gift.id ? previous : undefined;
  return {
    giver: giverEntry(gift, was),
    recipient: !order && gift.recipientId && gift.claimedAt ? recipientEntry(gift, gift.recipientId, gift.claimedAt, was) : null,
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

const sameKinds = (a: readonly string[] | undefined, b: readonly string[]): boolean =>
  a === b || (a !== undefined && a.length === b.length && a.every((k, i) => k === b[i]));
