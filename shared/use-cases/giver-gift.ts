import type { Gift } from '../domain/gift';
import { type GiftDocument, isGroupOrder } from '../domain/gift-document';
import { effectiveStatus } from '../domain/gift-transitions';
import { type GiverView, giverView } from '../domain/gift-views';
import { type GroupOrder, isOrderExpired } from '../domain/group-order';
import type { GroupUnit } from '../domain/group-units';
import { orderGiverView } from '../domain/group-views';
import { iso } from '../domain/time';
import type { Deps } from '../ports/deps';
import { entrantsSoFar } from './group-claims';

/**
 * The live claim link of a sent, unclaimed gift (derived again from the gift id and its link version; nothing secret
 * is stored), or null: before payment, once claimed or closed, and for links of earlier versions, which were random.
 * A group order's link stays live until its deadline (or a lottery's draw): it is shared with a whole group.
 */
export function liveClaimToken(deps: Pick<Deps, 'claimLinks'>, doc: GiftDocument, now: string): string | null {
  if (!doc.linkVersion) return null;
  if (isGroupOrder(doc)) {
    const open = doc.status === 'sent' && !isOrderExpired(doc, now) && !doc.lottery?.drawnAt;
    return open ? deps.claimLinks.tokenFor(doc.id, doc.linkVersion) : null;
  }
  if (effectiveStatus(doc, now) !== 'sent') return null;
  return deps.claimLinks.tokenFor(doc.id, doc.linkVersion);
}

/** The units of orders, read in parallel (a paid order's; an unpaid or canceled one has none). */
async function unitsOf(deps: Pick<Deps, 'groupStore'>, order: GroupOrder): Promise<Map<number, GroupUnit>> {
  return order.status === 'sent' || order.status === 'settled' ? deps.groupStore.listUnits(order.id) : new Map();
}

/** The giver's view of a gift or an order (with its units' states, read here). */
export async function giverViewOf(deps: Pick<Deps, 'groupStore' | 'clock'>, doc: GiftDocument, now: string): Promise<GiverView> {
  if (!isGroupOrder(doc)) return giverView(doc, now);
  const open = doc.status === 'sent' && doc.lottery !== null && doc.lottery.drawnAt === null;
  const [units, entrants] = await Promise.all([unitsOf(deps, doc), open ? entrantsSoFar(deps, doc.id) : 0]);
  return orderGiverView(doc, units, now, entrants);
}

/** The giver's view with the live link. */
export async function giverGiftWithLink(deps: Pick<Deps, 'claimLinks' | 'clock' | 'groupStore'>, doc: GiftDocument | Gift) {
  const now = iso(deps.clock.now());
  return { ...(await giverViewOf(deps, doc, now)), claimToken: liveClaimToken(deps, doc, now) };
}
