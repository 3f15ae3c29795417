import type { OutboxDocument } from '../domain/outbox-document';
import type { GiftStore } from '../ports/gift-store';
import type { GroupStore } from '../ports/group-store';

/** A document just committed by a write (a gift or group order from the gift store, a unit from the group store). */
export type CommittedDocument = OutboxDocument;

/** `target` with some methods replaced; every other method is the target's own, bound to it. */
function intercept<T extends object>(target: T, replaced: Partial<T>): T {
  // Each method bound once, not on every read of it (every store call of every request reads one).
  const bound = new Map<PropertyKey, { of: unknown; fn: unknown }>();
  return new Proxy(target, {
    get(t, key) {
      if (key in replaced) return replaced[key as keyof T];
      const value = Reflect.get(t, key);
      if (typeof value !== 'function') return value;
      const known = bound.get(key);
      if (known?.of === value) return known.fn;
      const fn = value.bind(t);
      bound.set(key, { of: value, fn });
      return fn;
    },
  });
}

/**
 * The stores with an in-process change feed: after a write commits (its promise resolved), `onCommit` hears of the
 * document as written, like a table's change stream hears of its new image. The write's own caller is not delayed
 * and never sees the listener fail; what the listener does with the document (queue it for dispatch) is its own.
 */
export function withChangeFeed(
  stores: { store: GiftStore; groupStore: GroupStore },
  onCommit: (doc: CommittedDocument) => void,
): { store: GiftStore; groupStore: GroupStore } {
  const { store, groupStore } = stores;
  const tell = (doc: CommittedDocument) => {
    try {
      onCommit(doc);
    } catch {
      // A listener's failure is not the write's: the scheduled pass delivers what the feed missed.
    }
  };
  return {
    store: intercept(store, {
      async insert(gift) {
        await store.insert(gift);
        tell(gift);
      },
      async replace(gift, expectedVersion) {
        await store.replace(gift, expectedVersion);
        tell(gift);
      },
    }),
    groupStore: intercept(groupStore, {
      async insertUnit(unit) {
        const inserted = await groupStore.insertUnit(unit);
        if (inserted) tell(unit);
        return inserted;
      },
      async replaceUnit(unit, expectedVersion) {
        await groupStore.replaceUnit(unit, expectedVersion);
        tell(unit);
      },
    }),
  };
}
