import type { GiftDocument } from '../domain/gift-document';
import type { TimerKind } from '../domain/timers';
import { DependencyError } from './dependency-error';
import type { EffectLeases } from './effect-leases';

export interface Page<T> {
  items: T[];
  /** Opaque, bound to the caller and the list; pass back to get the next page. Null on the last page. */
  cursor: string | null;
}

/**
 * Persistence of gift documents. Every write is conditional on one document:
 * - insert fails with GiftExistsError when the id is taken;
 * - replace fails with VersionConflictError unless the stored version equals expectedVersion.
 * Lists and due-queries read sparse indexes that hold only candidates, so their cost follows the result.
 * Implemented once by GiftStoreCore (shared/store/), which owns these rules; engines only talk to their engine.
 */
export interface GiftStore {
  get(id: string): Promise<GiftDocument | null>;
  /**
   * The gift only when its claim-token hash matches: an unknown id and a wrong secret read the same (null), with
   * the same work, so a caller cannot tell them apart.
   */
  getByClaim(id: string, claimTokenHash: string): Promise<GiftDocument | null>;
  /**
   * getByClaim's answer at once when the engine holds it in this process (the in-process and LevelDB stores);
   * undefined when it does not (ask getByClaim). Absent on stores across the network.
   */
  getByClaimNow?(id: string, claimTokenHash: string): GiftDocument | null | undefined;
  insert(gift: GiftDocument): Promise<void>;
  replace(gift: GiftDocument, expectedVersion: number): Promise<void>;
  /** The giver's gifts, newest first. A cursor from another caller or list throws InvalidCursorError. */
  listByGiver(giverId: string, limit: number, cursor?: string): Promise<Page<GiftDocument>>;
  /** Gifts the caller claimed, newest claim first. */
  listByRecipient(recipientId: string, limit: number, cursor?: string): Promise<Page<GiftDocument>>;
  /**
   * Candidates of one timer kind (the cleanup's `sweep`, or an effect kind) whose timer is at or before `now`,
   * earliest first. Callers re-check each document: a candidate may be due for another kind only, so a caller that
   * found nothing to do in a full page goes on with `next` instead of stopping behind it.
   */
  listDue(kind: TimerKind, now: string, limit: number, after?: string): Promise<DuePage>;
  /**
   * Present when only this process can open the store: dispatchers hold effect leases here instead of writing them
   * into the document (one write less per delivery). Absent: leases are written (stores several processes share).
   */
  readonly effectLeases?: EffectLeases;
}

export interface DuePage {
  items: GiftDocument[];
  /** Where the next page starts (internal, not a caller-facing cursor); null when this page was the last. */
  next: string | null;
}

/** The compare-and-set guard failed: someone else wrote the gift first. Use cases reload and retry. */
export class VersionConflictError extends Error {
  constructor(readonly giftId: string) {
    super(`gift ${giftId} was changed concurrently`);
    this.name = 'VersionConflictError';
  }
}

/** An insert found the id taken. */
export class GiftExistsError extends Error {
  constructor(readonly giftId: string) {
    super(`gift ${giftId} already exists`);
    this.name = 'GiftExistsError';
  }
}

/** A list cursor that this store did not issue for this caller and list (forged, edited, foreign or empty). */
export class InvalidCursorError extends Error {
  constructor(readonly reason: string) {
    super(`cursor is not valid: ${reason}`);
    this.name = 'InvalidCursorError';
  }
}

/** The store's engine failed (unreachable, throttled, refused the request). */
export class StoreUnavailableError extends DependencyError {
  constructor(operation: string, cause: unknown) {
    super('store', `store ${operation} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`, { cause });
    this.name = 'StoreUnavailableError';
  }
}
