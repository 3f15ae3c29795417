import { giftIdOfToken, hashClaimToken } from '../domain/claim-token';
import { AppError } from '../domain/errors';
import type { Gift } from '../domain/gift';
import { type GiftDocument, isGroupOrder } from '../domain/gift-document';
import { isOverdue, sweep } from '../domain/gift-transitions';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { updateGift } from './update-gift';

type LookupDeps = Pick<Deps, 'store' | 'limiter' | 'clock' | 'giftPolicy'>;

const notFound = () => new AppError('GIFT_NOT_FOUND', 'gift not found');
const limited = () => new AppError('RATE_LIMITED', 'too many claim links that lead nowhere; try again later');

/**
 * Finds the gift behind a claim link. A malformed token, an unknown gift and a wrong secret all read as the same
 * 404, and the last two do the same work (the store matches the secret's hash itself; a combined read compares it
 * before decoding anything).
 *
 * Guessing is limited per caller: the caller's miss counter is read with the lookup (one request where the counters
 * sit beside the gifts, else in parallel: no extra round trip for honest callers), and every miss is counted with one
 * atomic increment *before* its 404 is sent, so at most `claimLookupMaxFailures` misses are answered per window
 * however many arrive at once (the 21st of a burst of 60 gets 429, not 404). Once over the limit, every claim-link
 * request of that caller answers 429 until the window ends.
 */
export async function loadGiftByToken(
  deps: LookupDeps,
  callerId: string,
  token: string,
  now = iso(deps.clock.now()),
): Promise<GiftDocument> {
  const { claimLookupMaxFailures: max, claimLookupWindowSeconds: window } = deps.giftPolicy;
  const known = knownLinks.get(token);
  const id = known ? known.giftId : giftIdOfToken(token);
  const hash = known ? known.hash : hashClaimToken(token);
  const { failures, gift } = lookUpNow(deps, callerId, now, window, id, hash) ?? (await lookUp(deps, callerId, now, window, id, hash));
  if (failures >= max) throw limited();
  if (gift) {
    if (!known) rememberLink(token, gift.id, hash);
    return gift;
  }
  const counted = await deps.limiter.recordFailure(callerId, now, window);
  throw counted > max ? limited() : notFound();
}

/**
 * loadGiftByToken's gift at once, when the link is known, the limiter and the store answer in this process, the
 * caller is under the limit and the gift matches; undefined otherwise: then loadGiftByToken decides (and counts a miss).
 */
export function loadGiftByTokenNow(deps: LookupDeps, callerId: string, token: string, now: string): GiftDocument | undefined {
  const known = knownLinks.get(token);
  const { limiter, store } = deps;
  if (!known || !limiter.failuresNow || !store.getByClaimNow) return undefined;
  if (limiter.failuresNow(callerId, now, deps.giftPolicy.claimLookupWindowSeconds) >= deps.giftPolicy.claimLookupMaxFailures)
    return undefined;
  return store.getByClaimNow(known.giftId, known.hash) ?? undefined;
}

/**
 * Links that led to a gift, with their gift id and hash: a link is opened again and again (every view, every command
 * of its recipient), and parsing and hashing it each time was ~1 µs of a view's ~13 µs in the app. Only links that
 * matched are kept, so guesses cannot crowd them out; a link replaced since still has its own (pure) id and hash, and
 * the store still judges the hash. Bounded: past the capacity it starts over.
 */
const knownLinks = new Map<string, { giftId: string; hash: string }>();
const KNOWN_LINKS_CAPACITY = 10_000;

function rememberLink(token: string, giftId: string, hash: string): void {
  if (knownLinks.size >= KNOWN_LINKS_CAPACITY) knownLinks.clear();
  knownLinks.set(token, { giftId, hash });
}

/**
 * lookUp's answer at once where the limiter and the store hold their data in this process (the memory store; LevelDB
 * while the gift is cached); undefined when either would have to ask its engine.
 */
function lookUpNow(deps: LookupDeps, callerId: string, now: string, window: number, id: string | null, hash: string) {
  const { limiter, store } = deps;
  if (!id || !limiter.failuresNow || !store.getByClaimNow) return undefined;
  const gift = store.getByClaimNow(id, hash);
  return gift === undefined ? undefined : { failures: limiter.failuresNow(callerId, now, window), gift };
}

/** The caller's misses and the gift, in one store request where the counters sit beside the gifts, else in parallel. */
async function lookUp(deps: LookupDeps, callerId: string, now: string, window: number, id: string | null, hash: string) {
  const { limiter } = deps;
  if (id && limiter.failuresWithClaim) return limiter.failuresWithClaim(callerId, now, window, { giftId: id, claimTokenHash: hash });
  const [failures, gift] = await Promise.all([limiter.failures(callerId, now, window), id ? deps.store.getByClaim(id, hash) : null]);
  return { failures, gift };
}

/**
 * Runs a command that arrives through the claim link. An overdue gift is expired (and its refund recorded) by the
 * very write this command would have made, then the caller gets 410: the cleanup need not have run.
 */
export async function runClaimCommand(
  deps: Deps,
  callerId: string,
  token: string,
  transition: (gift: Gift, now: string) => Gift | Promise<Gift>,
  known?: Gift,
): Promise<Gift> {
  const doc = known ?? (await loadGiftByToken(deps, callerId, token));
  // A group order's link runs the group's commands (group-claims.ts); routes choose them through claimLinkCard.
  if (isGroupOrder(doc)) throw notFound();
  const found = doc;
  let expiredNow = false;
  const gift = await updateGift(
    deps,
    found.id,
    (g, now) => {
      // A retry reads the gift again: the link may have been replaced meanwhile.
      if (g.claimTokenHash !== found.claimTokenHash) throw notFound();
      expiredNow = (g.status === 'sent' || g.status === 'claimed') && isOverdue(g, now);
      return expiredNow ? sweep(g, now) : transition(g, now);
    },
    { current: found },
  );
  if (expiredNow) {
    deps.logger.info({ giftId: gift.id }, 'gift expired on access');
    throw new AppError('GIFT_EXPIRED', 'the gift was not accepted in time and has been refunded');
  }
  return gift;
}
