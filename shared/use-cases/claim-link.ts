import { giftIdOfToken, tokenMatches } from '../domain/claim-token';
import { AppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { isOverdue, sweep } from '../domain/gift-transitions';
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

export async function loadGiftByToken(deps: Pick<Deps, 'store'>, token: string): Promise<Gift> {
  const gift = await deps.store.get(giftIdFromToken(token));
  if (!gift) throw notFound();
  assertToken(gift, token);
  return gift;
}

/**
 * Runs a command that arrives through the claim link. An overdue gift is expired (and its refund recorded)
 * by the very write this command would have made, then the caller gets 410: the cleanup need not have run.
 */
export async function runClaimCommand(
  deps: Deps,
  token: string,
  transition: (gift: Gift, now: string) => Gift | Promise<Gift>,
): Promise<Gift> {
  let expiredNow = false;
  const gift = await updateGift(deps, giftIdFromToken(token), async (g, now) => {
    assertToken(g, token);
    expiredNow = (g.status === 'sent' || g.status === 'claimed') && isOverdue(g, now);
    return expiredNow ? sweep(g, now) : transition(g, now);
  });
  if (expiredNow) {
    deps.logger.info({ giftId: gift.id }, 'gift expired on access');
    throw new AppError('GIFT_EXPIRED', 'the gift was not accepted in time and has been refunded');
  }
  return gift;
}
