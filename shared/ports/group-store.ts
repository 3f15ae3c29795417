import type { ClaimMarker } from '../domain/group-claim';
import type { GroupUnit } from '../domain/group-units';
import type { DrawListChunk, LotteryEntry } from '../domain/lottery-draw';
import type { TimerKind } from '../domain/timers';

/**
 * Persistence of the documents a group order owns besides the order itself (docs/group-gifts.md): its unit slots,
 * claim markers, lottery entries and frozen draw lists. The order is a gift-store document. Every write is one
 * conditional write of one document:
 * - a unit's first document is a conditional insert (taking a free slot, or closing an untaken one at the deadline);
 *   later changes are compare-and-sets on its version (VersionConflictError when someone wrote first);
 * - markers, entries and draw-list chunks are inserted once and never change; a lost insert reads back the winner's.
 * Reads are strongly consistent. Implemented once by GroupStoreCore (shared/store/), which owns keys, versions and
 * errors; engines only talk to their engine.
 */
export interface GroupStore {
  /** The order's unit documents by slot, in one query (slots without a document are free). */
  listUnits(orderId: string): Promise<Map<number, GroupUnit>>;
  getUnit(orderId: string, unitNo: number): Promise<GroupUnit | null>;
  /** Inserts a slot's first document (version 1); false when the slot already has one (taken or closed). */
  insertUnit(unit: GroupUnit): Promise<boolean>;
  /** Replaces a unit if its stored version is `expectedVersion` (the unit carries expectedVersion + 1). */
  replaceUnit(unit: GroupUnit, expectedVersion: number): Promise<void>;
  /**
   * Units with a pending effect of this kind due at or before `now`, earliest first, across every order (the
   * dispatchers' query; as GiftStore.listDue: candidates only, callers re-check the unit before acting). `next`
   * continues after the last unit returned when the page was full, else it is null.
   */
  listDueUnits(kind: TimerKind, now: string, limit: number, after?: string): Promise<DueUnitPage>;

  getMarker(orderId: string, userId: string): Promise<ClaimMarker | null>;
  /** Inserts the person's marker unless they have one; returns the stored marker (theirs or the earlier one). */
  insertMarker(marker: ClaimMarker): Promise<ClaimMarker>;

  getEntry(orderId: string, userId: string): Promise<LotteryEntry | null>;
  /** Inserts the entry unless the person entered already; returns the stored entry and whether this call wrote it. */
  insertEntry(entry: LotteryEntry): Promise<{ entry: LotteryEntry; created: boolean }>;
  /** Every entry of an order, a page at a time (cursor null on the last page). Order: by shard, then user id. */
  listEntries(orderId: string, limit: number, cursor?: string): Promise<EntryPage>;

  /** Inserts the chunks of a frozen draw list; chunks already written (the same list, a retried draw) are kept. */
  insertDrawChunks(chunks: readonly DrawListChunk[]): Promise<void>;
  /** The chunks of the list with this digest, in order (empty when none was written). */
  listDrawChunks(orderId: string, entrantsDigest: string): Promise<DrawListChunk[]>;
}

export interface DueUnitPage {
  items: GroupUnit[];
  /** Where the next page starts (internal, not a caller-facing cursor); null when this page was the last. */
  next: string | null;
}

export interface EntryPage {
  items: LotteryEntry[];
  cursor: string | null;
}
