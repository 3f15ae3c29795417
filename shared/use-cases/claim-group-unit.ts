/**
 * A 群发礼物 claim over the group store (docs/group-gifts.md, "Group claims"): read the caller's marker and the
 * order's units, let planGroupClaim say what to write, write it, and on a lost insert (that slot was just taken) read
 * the units again. Every lost insert is someone else's success, so the loop ends within N + 1 rounds. The order is
 * read by the caller (through the gift store) and passed in; this use case writes only units and markers.
 */
import { allClaimed, newClaimMarker, planGroupClaim } from '../domain/group-claim';
import type { GroupOrder } from '../domain/group-order';
import { takeUnit } from '../domain/group-units';
import type { GroupStore } from '../ports/group-store';

export interface GroupClaimResult {
  unitNo: number;
  /** True when this request took the unit (false: a repeat, or adopting a unit an earlier request took). */
  took: boolean;
}

export async function claimGroupUnit(
  store: GroupStore,
  order: GroupOrder,
  callerId: string,
  now: string,
  reminderBeforeSeconds: number,
): Promise<GroupClaimResult> {
  const marker = await store.getMarker(order.id, callerId);
  for (let round = 0; round <= order.quantity; round++) {
    const units = marker ? new Map() : await store.listUnits(order.id);
    const step = planGroupClaim(order, callerId, marker, units, now);
    switch (step.kind) {
      case 'have':
        return { unitNo: step.unitNo, took: false };
      case 'all_claimed':
        throw allClaimed();
      case 'adopt': {
        const stored = await store.insertMarker(newClaimMarker(order, callerId, step.unitNo, now));
        return { unitNo: stored.unitNo, took: false };
      }
      case 'take': {
        if (!(await store.insertUnit(takeUnit(order, step.unitNo, callerId, now, reminderBeforeSeconds)))) continue;
        // Should a marker naming another unit be there already, it wins: every unit command goes through the marker.
        const stored = await store.insertMarker(newClaimMarker(order, callerId, step.unitNo, now));
        return { unitNo: stored.unitNo, took: stored.unitNo === step.unitNo };
      }
    }
  }
  throw new Error(`${order.id}: a claim lost more inserts than the order has units`);
}
