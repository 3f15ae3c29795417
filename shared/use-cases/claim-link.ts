import { giftIdOfToken, tokenMatches } from '../domain/claim-token';
import { AppError, isAppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { isOverdue, sweep } from '../domain/gift-transitions';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { updateGift } from './update-gift';

const notFound = () => new AppError('GIFT_NOT_FOUND', 'gift not found');

/** A malformed token, an unknown gift and a wrong secret all read as the same 404. */
export function giftIdFromToken(token: string): string {
  const id = giftIdOfToken(token);
  if (!id) throw notFound();
  return id;
}

export function assertToken(gift: Gift, token: string): void {
  if (!tokenMatches(token, gift.claimTokenHash)) throw notFound();
}

/**
 * Claim links carry 192 random bits, so guessing is hopeless; still, a caller whose lookups keep missing is
 * stopped (429) for the rest of the window, before the lookup, so a guesser cannot tell hits from misses.
 */
async function limitingGuesses<T>(deps: Pick<Deps, 'limiter' | 'clock' | 'giftPolicy'>, callerId: string, lookup: () => Promise<T>): Promise<T> {
  const now = iso(deps.clock.now());
  const { claimLookupMaxFailures: max, claimLookupWindowSeconds: window } = deps.giftPolicy;
  if ((await deps.limiter.failures(callerId, now, window)) >= max) {
    throw new AppError('RATE_LIMITED', 'too many claim links that lead nowhere; try again later');
  }
  try {
    return await lookup();
  } catch (e) {
    if (isAppError(e) && e.code === 'GIFT_NOT_FOUND') await deps.limiter.recordFailure(callerId, now, window);
    throw e;
  }
}

export async function loadGiftByToken(deps: Pick<Deps, 'store' | 'limiter' | 'clock' | 'giftPolicy'>, callerId: string, token: string): Promise<Gift> {
  return limitingGuesses(deps, callerId, async () => {
    const gift = await deps.store.get(giftIdFromToken(token));
    if (!gift) throw notFound();
    assertToken(gift, token);
    return gift;
  });
}

/**
 * Runs a command that arrives through the claim link. An overdue gift is expired (and its refund recorded)
 * by the very write this command would have made, then the caller gets 410: the cleanup need not have run.
 */
export async function runClaimCommand(
  deps: Deps,
  callerId: string,
  token: string,
  transition: (gift: Gift, now: string) => Gift | Promise<Gift>,
): Promise<Gift> {
  let expiredNow = false;
  const gift = await limitingGuesses(deps, callerId, () =>
    updateGift(deps, giftIdFromToken(token), async (g, now) => {
      assertToken(g, token);
      expiredNow = (g.status === 'sent' || g.status === 'claimed') && isOverdue(g, now);
      return expiredNow ? sweep(g, now) : transition(g, now);
    }),
  );
  if (expiredNow) {
    deps.logger.info({ giftId: gift.id }, 'gift expired on access');
    throw new AppError('GIFT_EXPIRED', 'the gift was not accepted in time and has been refunded');
  }
  return gift;
}
