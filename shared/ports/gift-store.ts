import type { EffectKind, Gift } from '../domain/gift';

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Null on the last page. */
  cursor: string | null;
}

/**
 * Persistence of gift documents. Every write is conditional on one document:
 * - insert fails with GiftExistsError when the id is taken;
 * - replace fails with VersionConflictError unless the stored version equals expectedVersion.
 * Query methods read indexes that hold only candidates, so their cost follows the result, not the table.
 */
export interface GiftStore {
  get(id: string): Promise<Gift | null>;
  insert(gift: Gift): Promise<void>;
  replace(gift: Gift, expectedVersion: number): Promise<void>;
  listByGiver(giverId: string, limit: number, cursor?: string): Promise<Page<Gift>>;
  listByRecipient(recipientId: string, limit: number, cursor?: string): Promise<Page<Gift>>;
  /** Non-terminal gifts whose sweep deadline (payment window or expiry) is at or before `now`, oldest first. */
  listSweepDue(now: string, limit: number): Promise<Gift[]>;
  /** Gifts with a pending effect of this kind whose next attempt is at or before `now`, oldest first. */
  listEffectsDue(kind: EffectKind, now: string, limit: number): Promise<Gift[]>;
}
