import type { Gift } from '../domain/gift';
import { isGroupOrder } from '../domain/gift-document';
import type { GroupOrder } from '../domain/group-order';
import type { GroupUnit } from '../domain/group-units';
import type { Deps } from '../ports/deps';
import { updateDocument } from './update-document';

type StoreDeps = Pick<Deps, 'store' | 'clock'>;

/** A 1:1 gift by compare-and-set (update-document.ts); a group order under that id reads as no gift. */
export function updateGift(
  deps: StoreDeps,
  giftId: string,
  decide: (gift: Gift, now: string) => Gift | Promise<Gift>,
  opts: { current?: Gift } = {},
): Promise<Gift> {
  const access = {
    read: async () => {
      const doc = await deps.store.get(giftId);
      return doc && !isGroupOrder(doc) ? doc : null;
    },
    write: (next: Gift, expected: number) => deps.store.replace(next, expected),
  };
  return updateDocument(deps.clock, access, decide, opts.current);
}

/** A group order (the gift store's document) by compare-and-set. */
export function updateOrder(
  deps: StoreDeps,
  orderId: string,
  decide: (order: GroupOrder, now: string) => GroupOrder | Promise<GroupOrder>,
  opts: { current?: GroupOrder } = {},
): Promise<GroupOrder> {
  const access = {
    read: async () => {
      const doc = await deps.store.get(orderId);
      return doc && isGroupOrder(doc) ? doc : null;
    },
    write: (next: GroupOrder, expected: number) => deps.store.replace(next, expected),
  };
  return updateDocument(deps.clock, access, decide, opts.current);
}

/** One unit of a group order (a group-store document) by compare-and-set. */
export function updateUnit(
  deps: Pick<Deps, 'groupStore' | 'clock'>,
  orderId: string,
  unitNo: number,
  decide: (unit: GroupUnit, now: string) => GroupUnit | Promise<GroupUnit>,
  opts: { current?: GroupUnit } = {},
): Promise<GroupUnit> {
  const access = {
    read: () => deps.groupStore.getUnit(orderId, unitNo),
    write: (next: GroupUnit, expected: number) => deps.groupStore.replaceUnit(next, expected),
  };
  return updateDocument(deps.clock, access, decide, opts.current);
}
