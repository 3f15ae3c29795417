/**
 * 群发礼物 claims: many people, N unit documents, one unit per person, and no hot document.
 *
 * A claimer reads their marker, then the order's unit documents (≤ N small items, one query), and this module says
 * what to write next. Each claimer starts probing at a slot derived from a hash of (order, person), so 1,000 people
 * arriving together spread over the N slots instead of all writing slot 0, and each write is a conditional insert of
 * one slot's document. A write that loses means that slot was just taken: the claimer reads again and plans again, so
 * every lost write is someone else's success and a claimer writes at most N + 1 times. Once the read shows no free
 * slot the answer is ALL_CLAIMED with no write at all, which is what the crowd arriving after the last unit gets.
 *
 * One unit per person. The marker `(orderId, userId) → unitNo` is inserted (conditionally, once, never changed) right
 * after the unit; a request that died in between left a unit carrying the person and no marker, and the person's next
 * request adopts it rather than taking another. Two requests of one person never take two units: slots never become
 * free again, and both requests choose by the same rule (the first free slot from the person's start), so the later
 * one either aims at the same slot (one insert fails) or finds the earlier one's unit carrying the person (adopt).
 * Should a marker insert ever find the person's marker naming another unit, the request answers with the marker's
 * unit; its own is unreachable (every unit command goes through the marker) and is refunded at the deadline.
 */
import { createHash } from 'node:crypto';
import { AppError } from './errors';
import { type GroupOrder, isOrderExpired } from './group-order';
import type { GroupUnit } from './group-units';

/** A person's claim on a group order: which unit is theirs. Inserted once, never changed. */
export interface ClaimMarker {
  orderId: string;
  userId: string;
  unitNo: number;
  at: string;
}

export const newClaimMarker = (order: GroupOrder, userId: string, unitNo: number, now: string): ClaimMarker => ({
  orderId: order.id,
  userId,
  unitNo,
  at: now,
});

/**
 * Where a person starts probing: uniform over the slots, stable for the person (a retry probes the same way), and
 * different per order (salted with the order id), so the same people do not collide on the same slots everywhere.
 */
export function probeStart(orderId: string, userId: string, slots: number): number {
  const h = createHash('sha256').update(`${orderId}\n${userId}`).digest();
  return h.readUInt32BE(0) % slots;
}

/** Slots nobody holds: those without a document. */
export function freeSlots(order: GroupOrder, units: ReadonlyMap<number, GroupUnit>): number[] {
  const free: number[] = [];
  for (let k = 0; k < order.quantity; k++) if (!units.has(k)) free.push(k);
  return free;
}

/** Units taken so far (claimed or settled): what the card shows as units taken. */
export const unitsTaken = (order: GroupOrder, units: ReadonlyMap<number, GroupUnit>): number =>
  order.quantity - freeSlots(order, units).length;

export type GroupClaimStep =
  /** The marker names the caller's unit: answer with it (a repeat is idempotent). */
  | { kind: 'have'; unitNo: number }
  /** A unit carries the caller but no marker names it (a request died in between): insert the marker for it. */
  | { kind: 'adopt'; unitNo: number }
  /** Try to take this free slot: a conditional insert of its first document (takeUnit). */
  | { kind: 'take'; unitNo: number }
  | { kind: 'all_claimed' };

/**
 * The next write of a claim, from what the caller just read. `units` are the order's unit documents by slot (missing
 * slots have none); they are only consulted when the caller has no marker.
 */
export function planGroupClaim(
  order: GroupOrder,
  callerId: string,
  marker: ClaimMarker | null,
  units: ReadonlyMap<number, GroupUnit>,
  now: string,
): GroupClaimStep {
  if (order.status === 'awaiting_payment' || order.status === 'canceled') throw new AppError('GIFT_NOT_FOUND', 'gift not found');
  if (order.mode !== 'group') throw new AppError('NOT_RECIPIENT', 'this is a lottery: enter the draw, the winners receive the units');
  if (callerId === order.giverId) throw new AppError('CANNOT_CLAIM_OWN_GIFT', 'you cannot claim a gift you sent');
  if (marker) return { kind: 'have', unitNo: marker.unitNo };
  if (order.status === 'settled' || isOrderExpired(order, now))
    throw new AppError('GIFT_EXPIRED', 'the gift was not accepted in time and has been refunded');
  const mine = [...units.values()].filter((u) => u.recipientId === callerId).sort((a, b) => a.unitNo - b.unitNo);
  if (mine[0]) return { kind: 'adopt', unitNo: mine[0].unitNo };
  const free = freeSlots(order, units);
  if (free.length === 0) return { kind: 'all_claimed' };
  // The first free slot at or after the caller's start, going round.
  const start = probeStart(order.id, callerId, order.quantity);
  const unitNo = free.find((k) => k >= start) ?? free[0]!;
  return { kind: 'take', unitNo };
}

export const allClaimed = (): AppError => new AppError('ALL_CLAIMED', 'every unit of this gift has been claimed');
