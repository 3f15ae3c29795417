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
import { type GiftTimer, giftTimer, type TimerKind } from '../domain/timers';

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

/**
 * A group order is in the giver's list and the timer index like a gift; it has no recipient of its own (its units do,
 * in the group store). Its draw instant is stored in the order (LotteryState.drawDueAt), so the default policy here
 * only matters for orders written before that field.
 */
export function indexEntries(gift: GiftDocument, timerShards: number, opts: { streamFirstDelivery?: boolean } = {}): IndexEntries {
  const order = isGroupOrder(gift);
  const timer = indexTimer(gift, opts);
  return {
    giver: { pk: gift.giverId, sk: sortKey(gift.createdAt, gift.id) },
    recipient: !order && gift.recipientId && gift.claimedAt ? { pk: gift.recipientId, sk: sortKey(gift.claimedAt, gift.id) } : null,
    timer: timer ? { pk: timerPartition(timerShardOf(gift.id, timerShards)), sk: sortKey(timer.at, gift.id), kinds: timer.kinds } : null,
  };
}

/** What the timer index files a document under (null: not in it). */
export function indexTimer(gift: GiftDocument, opts: { streamFirstDelivery?: boolean } = {}): GiftTimer | null {
  return isGroupOrder(gift) ? groupOrderTimer(gift, DEFAULT_GROUP_POLICY) : giftTimer(gift, opts);
}
