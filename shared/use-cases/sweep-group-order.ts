/**
 * The cleanup of one group order (docs/group-gifts.md): cancel it when its payment window closed unpaid, draw a
 * lottery at drawAt + grace, batch the refunds of declined units, and at the 24 h deadline close every slot not settled
 * and write the final refund batch. Each step is one conditional write of one document (the order, or one unit); a
 * step that loses a race is simply taken again by the next run, from what the store then says.
 */
import { AppError } from '../domain/errors';
import { drawDueAt, type GroupOrder, isOrderExpired, isPaymentOverdue } from '../domain/group-order';
import { expireUnit, winnerUnit } from '../domain/group-units';
import { drawList, drawLottery } from '../domain/lottery-draw';
import { refundStep, slotsToClose } from '../domain/refund-batches';
import { isAtOrAfter } from '../domain/time';
import { mapLimit } from '../lib/map-limit';
import type { Deps } from '../ports/deps';
import { VersionConflictError } from '../ports/gift-store';
import { allEntries } from './group-claims';
import { cancelOverdueOrder } from './group-payments';
import { updateOrder } from './update-gift';

export type GroupSweepOutcome = 'canceled' | 'paid_late' | 'drawn' | 'settled' | 'refund_batch' | 'nothing';

/**
 * The draw: every entry read once, the frozen list written (conditional inserts keyed by its digest), then one
 * compare-and-set of the order with the winners and the refund batch of the units nobody won. Winners' units are
 * inserted right after (derived from the order alone: a winner's request may insert the same document first), so
 * their reminders are in the timer index from the start.
 */
async function draw(deps: Deps, order: GroupOrder): Promise<GroupOrder> {
  const entries = await allEntries(deps, order.id);
  await deps.groupStore.insertDrawChunks(drawList(order, entries));
  const drawn = await updateOrder(deps, order.id, (o, now) => drawLottery(o, entries, now, deps.giftPolicy, deps.groupPolicy), {
    current: order,
  });
  const winners = drawn.lottery?.winners ?? [];
  await mapLimit(
    winners.map((_, k) => k),
    8,
    (k) => deps.groupStore.insertUnit(winnerUnit(drawn, k, deps.giftPolicy.reminderBeforeExpirySeconds)),
  );
  deps.logger.info({ giftId: order.id, entrants: drawn.lottery?.entrantCount, winners: winners.length }, 'lottery drawn');
  return drawn;
}

/** Past the deadline: closes each slot not settled (insert for an untaken one, compare-and-set for a claimed one). */
async function closeSlots(deps: Deps, order: GroupOrder, now: string): Promise<boolean> {
  const units = await deps.groupStore.listUnits(order.id);
  const close = slotsToClose(order, units, now);
  await mapLimit(close, 8, async (k) => {
    const current = units.get(k) ?? null;
    const closed = expireUnit(order, k, current, now);
    if (closed === current) return;
    try {
      if (current) await deps.groupStore.replaceUnit(closed, current.version);
      else await deps.groupStore.insertUnit(closed);
    } catch (e) {
      // A last-moment accept (or a claim) won that slot: the re-read below sees what it became.
      if (!(e instanceof VersionConflictError)) throw e;
    }
  });
  return close.length > 0;
}

/** One cleanup pass over an order the timer index says is due. */
export async function sweepGroupOrder(deps: Deps, order: GroupOrder, now: string): Promise<GroupSweepOutcome> {
  if (isPaymentOverdue(order, now)) {
    const after = await cancelOverdueOrder(deps, order);
    return after.status === 'canceled' ? 'canceled' : 'paid_late';
  }
  if (order.status !== 'sent') return 'nothing';
  const drawAt = drawDueAt(order, deps.groupPolicy);
  if (drawAt) {
    if (!isAtOrAfter(now, drawAt)) return 'nothing';
    await draw(deps, order);
    return 'drawn';
  }
  const expired = isOrderExpired(order, now);
  if (!expired && (order.refundCheckAt === null || !isAtOrAfter(now, order.refundCheckAt))) return 'nothing';
  if (expired) await closeSlots(deps, order, now);
  const units = await deps.groupStore.listUnits(order.id);
  const before = order.refundBatches.length;
  try {
    const after = await updateOrder(deps, order.id, (o, t) => refundStep(o, units, t, deps.groupPolicy), { current: order });
    if (after.status === 'settled') {
      deps.logger.info({ giftId: order.id, refundBatches: after.refundBatches.length }, 'group order settled');
      return 'settled';
    }
    return after.refundBatches.length > before ? 'refund_batch' : 'nothing';
  } catch (e) {
    if (e instanceof AppError && e.code === 'CONCURRENT_UPDATE') return 'nothing';
    throw e;
  }
}
