/**
 * 群礼物抽奖: entries, and a draw anyone can check (docs/group-gifts.md, "The draw"; scripts/verify-draw.ts).
 *
 * Commit, then reveal. At creation the order draws a secret seed (≥ 128 bits from an injected random source) and
 * publishes `commitment` = lowercase hex SHA-256 of the seed's bytes; so the seed is fixed before anyone enters, and
 * the server cannot pick one after seeing the entrants. After the draw it publishes the seed, the entrants (as salted
 * hashes, below) and the winners, and the rule is:
 *
 *   rank(e) = SHA-256(seed bytes ‖ bytes of e's entrant hash), as lowercase hex
 *   winners = the min(N, entrants) entrants of smallest rank (ties, never seen in practice, by entrant hash),
 *             in rank order: unit k goes to winners[k].
 *
 * Entrant hashes: `SHA-256("<orderId>:<userId>:<salt>")`, where salt is 16 random bytes (hex) drawn when the person
 * entered, stored only in their entry and shown only to them. The salt is what stops anyone who knows an openid (the
 * giver, a leak) from testing whether that person entered, here or in any other order, and the order id keeps the
 * hashes of one person different from order to order; the person recognises the hash their own entry shows, and can
 * recompute it from their openid and salt.
 */
import { AppError } from './errors';
import type { GiftPolicy } from './gift-policy';
import { drawDueAt, type GroupOrder, type LotteryWinner, nextOrder, sha256Hex } from './group-order';
import type { GroupPolicy } from './group-policy';
import { withRefundBatch } from './refund-batches';
import { addSeconds, isAtOrAfter } from './time';

export const ENTRY_SALT_BYTES = 16;
const HASH = /^[0-9a-f]{64}$/;

/** One person's entry: a document of its own, keyed by (orderId, userId), inserted once (a repeat reads it back). */
export interface LotteryEntry {
  orderId: string;
  userId: string;
  /** Lowercase hex of ENTRY_SALT_BYTES random bytes. */
  salt: string;
  entrantHash: string;
  enteredAt: string;
}

export const entrantHashOf = (orderId: string, userId: string, salt: string): string => sha256Hex(`${orderId}:${userId}:${salt}`);

/**
 * Enters the caller: the entry to insert (created) or their existing one (a repeat, answered the same at any time).
 * Refused for the giver, and from drawAt on (DRAW_CLOSED): the draw only counts entries made before drawAt.
 */
export function enterLottery(
  order: GroupOrder,
  existing: LotteryEntry | null,
  callerId: string,
  salt: Uint8Array,
  now: string,
): { entry: LotteryEntry; created: boolean } {
  if (order.status === 'awaiting_payment' || order.status === 'canceled' || !order.lottery)
    throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  if (callerId === order.giverId) throw new AppError('CANNOT_CLAIM_OWN_GIFT', 'you cannot enter the draw of a gift you sent');
  if (existing) return { entry: existing, created: false };
  if (order.lottery.drawnAt || isAtOrAfter(now, order.lottery.drawAt)) throw new AppError('DRAW_CLOSED', 'the draw has closed');
  if (salt.length < ENTRY_SALT_BYTES) throw new Error(`an entry needs ${ENTRY_SALT_BYTES} random bytes of salt`);
  const hex = Buffer.from(salt).toString('hex');
  return {
    entry: { orderId: order.id, userId: callerId, salt: hex, entrantHash: entrantHashOf(order.id, callerId, hex), enteredAt: now },
    created: true,
  };
}

/** rank(e) = SHA-256(seed bytes ‖ entrant hash bytes), lowercase hex. */
export const rankOf = (seedHex: string, entrantHash: string): string =>
  sha256Hex(Buffer.concat([Buffer.from(seedHex, 'hex'), Buffer.from(entrantHash, 'hex')]));

/** The rule: the `n` entrants of smallest rank, in rank order (all of them, ranked, when fewer than n). */
export function drawWinners(seedHex: string, entrantHashes: readonly string[], n: number): string[] {
  if (!/^([0-9a-f]{2})+$/.test(seedHex)) throw new Error('the seed must be lowercase hex');
  for (const h of entrantHashes) if (!HASH.test(h)) throw new Error(`not an entrant hash: ${h}`);
  if (new Set(entrantHashes).size !== entrantHashes.length) throw new Error('entrant hashes must be distinct');
  return entrantHashes
    .map((h) => ({ h, rank: rankOf(seedHex, h) }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.h < b.h ? -1 : a.h > b.h ? 1 : 0))
    .slice(0, n)
    .map((x) => x.h);
}

/** SHA-256 of the sorted entrant hashes joined by "\n": fixes, in the order document, the list the draw read. */
export const entrantsDigestOf = (sortedHashes: readonly string[]): string => sha256Hex(sortedHashes.join('\n'));

/**
 * The entries a draw counts: this order's, made before drawAt, not the giver's, one per person (the earliest), each
 * hash as derived from its salt. The store's keys already make entries one per person; this keeps the rule in one
 * place should a scan return more.
 */
export function countedEntries(order: GroupOrder, entries: readonly LotteryEntry[]): LotteryEntry[] {
  const drawAt = order.lottery?.drawAt;
  if (!drawAt) return [];
  const byUser = new Map<string, LotteryEntry>();
  for (const e of entries) {
    if (e.orderId !== order.id || e.userId === order.giverId || isAtOrAfter(e.enteredAt, drawAt)) continue;
    if (e.entrantHash !== entrantHashOf(e.orderId, e.userId, e.salt)) throw new Error(`entry of ${e.userId} in ${e.orderId} is corrupt`);
    const seen = byUser.get(e.userId);
    if (!seen || e.enteredAt < seen.enteredAt) byUser.set(e.userId, e);
  }
  return [...byUser.values()].sort((a, b) => (a.entrantHash < b.entrantHash ? -1 : 1));
}

/**
 * The draw: one compare-and-set of the order, after reading every entry once (at drawAt + the grace) and writing their
 * list (drawList) from the same read. Records the winners (unit k → winners[k]), starts their 24 hours, and in the
 * same write refunds the units no entrant won (one batch; the whole order when nobody entered). Returns the same
 * object when the draw is not due or already made.
 */
export function drawLottery(
  order: GroupOrder,
  entries: readonly LotteryEntry[],
  now: string,
  giftPolicy: GiftPolicy,
  policy: GroupPolicy,
): GroupOrder {
  const due = drawDueAt(order, policy);
  if (order.status !== 'sent' || !order.lottery || !due || !isAtOrAfter(now, due)) return order;
  const counted = countedEntries(order, entries);
  const hashes = counted.map((e) => e.entrantHash);
  const userOf = new Map(counted.map((e) => [e.entrantHash, e.userId]));
  const winners: LotteryWinner[] = drawWinners(order.lottery.seed, hashes, order.quantity).map((h) => ({
    entrantHash: h,
    userId: userOf.get(h)!,
  }));
  const change = {
    lottery: { ...order.lottery, drawnAt: now, entrantCount: hashes.length, entrantsDigest: entrantsDigestOf(hashes), winners },
    expiresAt: addSeconds(now, giftPolicy.giftTtlSeconds),
  };
  if (winners.length === order.quantity) return nextOrder(order, now, change);
  // Units nobody won can never be accepted: refunded in the draw's own write, one batch.
  const unwon = Array.from({ length: order.quantity - winners.length }, (_, i) => winners.length + i);
  const batch = withRefundBatch(order, { unitNos: unwon, trigger: 'draw' }, now);
  const settled = winners.length === 0 ? { status: 'settled' as const, settledAt: now } : {};
  return nextOrder(order, now, { ...change, ...batch, ...settled });
}

/**
 * The entrant list a draw read, frozen in documents of its own (`<orderId>#<digest>#<chunkNo>`, conditional inserts)
 * written before the draw's order write, which records the digest. The list published later is these chunks, not a
 * new scan of the entries: an entry whose write landed after the draw read them (a request that outlived its
 * timeout) can never change what was drawn from. A draw that loses its order write leaves chunks under another
 * digest, never read.
 */
export interface DrawListChunk {
  orderId: string;
  entrantsDigest: string;
  chunkNo: number;
  chunks: number;
  /** Sorted; the chunks in order concatenate to the whole list. */
  entrants: string[];
}

/** 2,000 hashes ≈ 130 KB of JSON (≈ 70 KB deflated): under DynamoDB's 400 KB item and CloudBase's document limit. */
export const DRAW_LIST_CHUNK = 2_000;

/** The chunks of the list a draw over these entries reads (at least one, empty when nobody entered). */
export function drawList(order: GroupOrder, entries: readonly LotteryEntry[], chunkSize = DRAW_LIST_CHUNK): DrawListChunk[] {
  const hashes = countedEntries(order, entries).map((e) => e.entrantHash);
  const entrantsDigest = entrantsDigestOf(hashes);
  const chunks = Math.max(1, Math.ceil(hashes.length / chunkSize));
  return Array.from({ length: chunks }, (_, chunkNo) => ({
    orderId: order.id,
    entrantsDigest,
    chunkNo,
    chunks,
    entrants: hashes.slice(chunkNo * chunkSize, (chunkNo + 1) * chunkSize),
  }));
}

/** What is published after the draw, and what scripts/verify-draw.ts checks. */
export interface DrawRecord {
  orderId: string;
  quantity: number;
  drawAt: string;
  commitment: string;
  seed: string;
  /** Sorted ascending. */
  entrants: string[];
  entrantsDigest: string;
  /** Rank order: unit k goes to winners[k]. */
  winners: string[];
}

/** The published draw of a drawn lottery, from the list chunks its draw wrote (checked against the recorded digest). */
export function publishedDraw(order: GroupOrder, chunks: readonly DrawListChunk[]): DrawRecord {
  const l = order.lottery;
  if (!l?.drawnAt || !l.winners || !l.entrantsDigest) throw new Error(`${order.id} has not been drawn`);
  const mine = chunks.filter((c) => c.orderId === order.id && c.entrantsDigest === l.entrantsDigest).sort((a, b) => a.chunkNo - b.chunkNo);
  if (mine.length === 0 || mine.length !== mine[0]!.chunks || mine.some((c, i) => c.chunkNo !== i))
    throw new Error(`${order.id}: the list of the draw is incomplete`);
  const entrants = mine.flatMap((c) => c.entrants);
  if (entrantsDigestOf(entrants) !== l.entrantsDigest || entrants.length !== l.entrantCount)
    throw new Error(`${order.id}: the stored list is not the one drawn`);
  return {
    orderId: order.id,
    quantity: order.quantity,
    drawAt: l.drawAt,
    commitment: l.commitment,
    seed: l.seed,
    entrants,
    entrantsDigest: l.entrantsDigest,
    winners: l.winners.map((w) => w.entrantHash),
  };
}
