import type { Gift } from '../domain/gift';
import { isGroupOrder } from '../domain/gift-document';
import type { GroupOrder } from '../domain/group-order';
import type { GroupUnit } from '../domain/group-units';
import type { Deps } from '../ports/deps';
import { type DocumentAccess, updateDocument } from './update-document';

type StoreDeps = Pick<Deps, 'store' | 'clock'>;

/*
 * The accesses are classes, not object literals of arrow functions: under tsx (the local server, the benchmarks)
 * esbuild's keepNames wraps every named closure in `__name`, an Object.defineProperty per closure per call; with two
 * per update that was ~10 % of a lifecycle's main-thread CPU (deploy bundles do not keep names).
 */
class GiftAccess implements DocumentAccess<Gift> {
  constructor(
    private readonly store: StoreDeps['store'],
    private readonly id: string,
  ) {}
  async read(): Promise<Gift | null> {
    const doc = await this.store.get(this.id);
    return doc && !isGroupOrder(doc) ? doc : null;
  }
  write(next: Gift, expected: number): Promise<void> {
    return this.store.replace(next, expected);
  }
}

class OrderAccess implements DocumentAccess<GroupOrder> {
  constructor(
    private readonly store: StoreDeps['store'],
    private readonly id: string,
  ) {}
  async read(): Promise<GroupOrder | null> {
    const doc = await this.store.get(this.id);
    return doc && isGroupOrder(doc) ? doc : null;
  }
  write(next: GroupOrder, expected: number): Promise<void> {
    return this.store.replace(next, expected);
  }
}

/** A 1:1 gift by compare-and-set (update-document.ts); a group order under that id reads as no gift. */
export function updateGift(
  deps: StoreDeps,
  giftId: string,
  decide: (gift: Gift, now: string) => Gift | Promise<Gift>,
  opts: { current?: Gift } = {},
): Promise<Gift> {
  return updateDocument(deps.clock, new GiftAccess(deps.store, giftId), decide, opts.current);
}

/** A group order (the gift store's document) by compare-and-set. */
export function updateOrder(
  deps: StoreDeps,
  orderId: string,
  decide: (order: GroupOrder, now: string) => GroupOrder | Promise<GroupOrder>,
  opts: { current?: GroupOrder } = {},
): Promise<GroupOrder> {
  return updateDocument(deps.clock, new OrderAccess(deps.store, orderId), decide, opts.current);
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
