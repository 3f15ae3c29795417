import type { Product } from '../domain/catalog';
import type { Gift, GiftStatus } from '../domain/gift';
import { isGroupOrder } from '../domain/gift-document';
import { effectiveStatus } from '../domain/gift-transitions';
import { type ClaimView, type ClaimViewer, claimView, claimViewer } from '../domain/gift-views';
import type { GroupOrder } from '../domain/group-order';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { loadGiftByToken, loadGiftByTokenNow } from './claim-link';
import { orderClaimCard } from './group-claims';
import { settledView } from './serialized-views';

/** The gift card as `callerId` may see it (never a price), with the product's current styles to swap to. */
export async function claimCardFor(deps: Deps, gift: Gift, callerId: string, now?: string): Promise<ClaimView> {
  const product = await deps.catalog.getProduct(gift.productId);
  return claimView(gift, product, callerId, now ?? iso(deps.clock.now()));
}

/**
 * A command through a claim link, answered with the card: the 1:1 gift's use case, or for a group order (群发礼物 /
 * 群礼物抽奖) the group's (group-claims.ts). The link is resolved once; the use case starts from that copy.
 */
export async function claimLinkCard(
  deps: Deps,
  callerId: string,
  token: string,
  run: { gift: (found: Gift) => Promise<Gift>; order: (order: GroupOrder) => Promise<ClaimView> },
): Promise<ClaimView> {
  const doc = await loadGiftByToken(deps, callerId, token);
  if (isGroupOrder(doc)) return run.order(doc);
  return claimCardFor(deps, await run.gift(doc), callerId);
}

/**
 * Opens the gift card behind a claim link: at once (no promise) when the store, the limiter and the catalog answer
 * in this process and the link is known, as a recipient's page polling its card finds them.
 */
export function viewClaim(deps: Deps, callerId: string, token: string): ClaimView | Promise<ClaimView> {
  // One reading of the clock: the lookup and the card judge the gift at the same instant.
  const now = iso(deps.clock.now());
  const doc = loadGiftByTokenNow(deps, callerId, token, now);
  if (doc && !isGroupOrder(doc) && deps.catalog.getProductNow)
    return cardAtOnce(doc, deps.catalog.getProductNow(doc.productId), callerId, now);
  return viewClaimLater(deps, callerId, token, now);
}

/**
 * The last card answered per stored gift, with what it was built from. A card reads only the gift, the product, the
 * caller's role and the gift's status at `now`, so while the same frozen document, the same product object (never
 * changed in place: Catalog.getProductNow) and the same role and status come back, the card is that one again:
 * nothing need be built or compared (~1.5 µs of a read).
 */
const lastCards = new WeakMap<Gift, { product: Product | null; viewer: ClaimViewer; status: GiftStatus; card: ClaimView }>();

function cardAtOnce(doc: Gift, product: Product | null, callerId: string, now: string): ClaimView {
  const viewer = claimViewer(doc, callerId);
  const status = effectiveStatus(doc, now);
  const last = lastCards.get(doc);
  if (last && last.product === product && last.viewer === viewer && last.status === status) return last.card;
  const card = settledView(doc, claimView(doc, product, callerId, now));
  // Only a frozen document cannot change behind the key (settledView answers a fresh card for the others).
  if (Object.isFrozen(doc)) lastCards.set(doc, { product, viewer, status, card });
  return card;
}

async function viewClaimLater(deps: Deps, callerId: string, token: string, now: string): Promise<ClaimView> {
  // claimLinkCard without a command to run (no callbacks made per request: this is the hottest read).
  const doc = await loadGiftByToken(deps, callerId, token, now);
  if (isGroupOrder(doc)) return orderClaimCard(deps, doc, callerId);
  // The same card as last time from the same stored gift is answered as that (frozen) card, whose JSON is written.
  return settledView(doc, await claimCardFor(deps, doc, callerId, now));
}
