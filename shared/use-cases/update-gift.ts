import { AppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { VersionConflictError } from '../ports/gift-store';

const MAX_CAS_ATTEMPTS = 12;

/**
 * Load → decide → compare-and-set, retried on a version conflict with a fresh copy. `decide` is pure; it returns the
 * same object when nothing changes (no write) or throws an AppError. `current` is a copy the caller already read
 * (from an index or a claim-link lookup): the first attempt starts from it instead of reading again, and a stale copy
 * only costs a conflict and a fresh read.
 */
export async function updateGift(
  deps: Pick<Deps, 'store' | 'clock'>,
  giftId: string,
  decide: (gift: Gift, now: string) => Gift | Promise<Gift>,
  opts: { current?: Gift } = {},
): Promise<Gift> {
  let known = opts.current;
  for (let attempt = 1; ; attempt++) {
    const current = known ?? (await deps.store.get(giftId));
    known = undefined;
    if (!current) throw new AppError('GIFT_NOT_FOUND', 'gift not found');
    const next = await decide(current, iso(deps.clock.now()));
    if (next === current) return current;
    try {
      await deps.store.replace(next, current.version);
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
