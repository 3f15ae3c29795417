import { AppError } from '../domain/errors';
import type { Effect } from '../domain/gift';
import { iso } from '../domain/time';
import type { Clock } from '../ports/clock';
import { VersionConflictError } from '../ports/gift-store';

const MAX_CAS_ATTEMPTS = 12;

/** How a use case reads and conditionally writes one kind of document (a gift, a group order, a unit). */
export interface DocumentAccess<D extends { version: number }> {
  read(): Promise<D | null>;
  /** Compare-and-set: throws VersionConflictError when the stored version is not `expectedVersion`. */
  write(next: D, expectedVersion: number): Promise<void>;
}

/**
 * Marks the effects this write records (ids the stored version does not hold) with the version it writes. Their
 * objects are the decision's own, new in it. An effect carried over keeps the version that recorded it.
 */
function stampRecordedEffects(doc: { effects?: Effect[] }, next: { version: number; effects?: Effect[] }): void {
  if (!next.effects || next.effects === doc.effects) return;
  for (const e of next.effects) {
    if (e.recordedIn !== next.version && !doc.effects?.some((old) => old.id === e.id)) e.recordedIn = next.version;
  }
}

/**
 * Load → decide → compare-and-set, retried on a version conflict with a fresh copy. `decide` is pure; it returns the
 * same object when nothing changes (no write) or throws an AppError. `current` is a copy the caller already read
 * (from an index or a claim-link lookup): the first attempt starts from it instead of reading again, and a stale copy
 * only costs a conflict and a fresh read.
 */
export async function updateDocument<D extends { version: number; effects?: Effect[] }>(
  clock: Clock,
  access: DocumentAccess<D>,
  decide: (doc: D, now: string) => D | Promise<D>,
  current?: D,
): Promise<D> {
  let known = current;
  for (let attempt = 1; ; attempt++) {
    const doc = known ?? (await access.read());
    known = undefined;
    if (!doc) throw new AppError('GIFT_NOT_FOUND', 'gift not found');
    const decided = decide(doc, iso(clock.now()));
    // Most decisions are plain functions: awaiting their answer would only cost a turn of the microtask queue.
    const next = decided instanceof Promise ? await decided : decided;
    if (next === doc) return doc;
    stampRecordedEffects(doc, next);
    try {
      await access.write(next, doc.version);
      return next;
    } catch (e) {
      if (!(e instanceof VersionConflictError)) throw e;
      if (attempt >= MAX_CAS_ATTEMPTS)
        throw new AppError('CONCURRENT_UPDATE', 'the gift is being changed by another request; try again', { cause: e });
      // Small random pause so a crowd of retries does not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
}
