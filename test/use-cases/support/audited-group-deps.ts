/**
 * Memory deps for the use-case property test of group orders: every call on the gift store and the group store first
 * waits for fc.scheduler() (so concurrent use cases interleave at every store operation), then runs alone (a lock),
 * and every write is audited against what the store held just before it. The refund call of the payment provider can
 * fail before reaching the provider or lose the provider's answer after it acted.
 */
import type fc from 'fast-check';
import { isGroupOrder } from '../../../shared/domain/gift-document';
import type { GroupOrder } from '../../../shared/domain/group-order';
import { type GroupUnit, TERMINAL_UNIT_STATUSES } from '../../../shared/domain/group-units';
import { batchedUnitNos } from '../../../shared/domain/refund-batches';
import { DependencyError } from '../../../shared/ports/dependency-error';
import type { Deps } from '../../../shared/ports/deps';
import type { GiftStore } from '../../../shared/ports/gift-store';
import type { GroupStore } from '../../../shared/ports/group-store';
import type { RefundRequest } from '../../../shared/ports/payments';
import { type MemoryDeps, makeDeps } from '../../support/memory-deps';
import { override } from '../../support/override';

export type ProviderMode = 'ok' | 'failBefore' | 'loseAnswer';

export interface Audit {
  violations: string[];
  /** Every refund request the provider was sent (or was about to be sent), in order. */
  refundRequests: RefundRequest[];
  conflicts: number;
  providerFailures: Record<ProviderMode, number>;
}

/** Runs tasks one at a time: an audit's reads and the write it audits see no other store call in between. */
class Lock {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => {});
    return next;
  }
}

type Hooks<T> = Partial<Record<keyof T, (call: () => Promise<unknown>, args: unknown[]) => Promise<unknown>>>;

function scheduled<T extends object>(target: T, name: string, ctl: Control, hooks: Hooks<T>): T {
  return new Proxy(target, {
    get(t, key) {
      // No answers at once (getByClaimNow, failuresNow): every call goes through the scheduler.
      if (typeof key === 'string' && key.endsWith('Now')) return undefined;
      const value = Reflect.get(t, key, t);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (ctl.scheduler && ctl.live) await ctl.scheduler.schedule(Promise.resolve(), `${name}.${String(key)}`);
        const call = () => value.apply(t, args) as Promise<unknown>;
        const hook = hooks[key as keyof T];
        return ctl.lock.run(() => (hook ? hook(call, args) : call()));
      };
    },
  });
}

interface Control {
  scheduler: fc.Scheduler | null;
  /** While false (setup, the final drain) calls run at once. */
  live: boolean;
  lock: Lock;
}

export interface AuditedDeps {
  /** What the use cases get: scheduled, audited stores and the unreliable provider. */
  deps: Deps;
  /** The same adapters, unwrapped: for setup reads and the final checks. */
  raw: MemoryDeps;
  audit: Audit;
  control: Control;
  setProvider(modes: readonly ProviderMode[]): void;
}

const isConflict = (e: unknown) => e instanceof Error && e.name === 'VersionConflictError';

export function auditedGroupDeps(opts: Parameters<typeof makeDeps>[0], maxRefunds: number): AuditedDeps {
  const raw = makeDeps(opts);
  const audit: Audit = { violations: [], refundRequests: [], conflicts: 0, providerFailures: { ok: 0, failBefore: 0, loseAnswer: 0 } };
  const control: Control = { scheduler: null, live: false, lock: new Lock() };
  const bad = (msg: string) => audit.violations.push(msg);
  let modes: readonly ProviderMode[] = ['ok'];
  let calls = 0;

  const counted = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      if (isConflict(e)) audit.conflicts++;
      throw e;
    }
  };

  const unitChecks = (order: GroupOrder | null, before: GroupUnit | null, after: GroupUnit, others: Iterable<GroupUnit>) => {
    const where = `${after.id} v${after.version}`;
    if (!order) return bad(`${where}: a unit without its order`);
    if (after.unitNo < 0 || after.unitNo >= order.quantity) bad(`${where}: slot outside the order's ${order.quantity}`);
    if (before && TERMINAL_UNIT_STATUSES.has(before.status) && after.status !== before.status)
      bad(`${where}: settled ${before.status} unit became ${after.status}`);
    if (before?.recipientId && after.recipientId !== before.recipientId) bad(`${where}: recipient changed`);
    if (after.status === 'accepted' && batchedUnitNos(order).has(after.unitNo)) bad(`${where}: a refunded unit was accepted`);
    if (after.recipientId)
      for (const u of others)
        if (u.unitNo !== after.unitNo && u.recipientId === after.recipientId) bad(`${where}: ${after.recipientId} holds two units`);
  };

  const orderOf = async (id: string) => {
    const o = await raw.store.get(id);
    return o && isGroupOrder(o) ? o : null;
  };

  const groupHooks: Hooks<GroupStore> = {
    async insertUnit(call, [unit]) {
      const u = unit as GroupUnit;
      const units = await raw.groupStore.listUnits(u.orderId);
      const inserted = (await call()) as boolean;
      if (inserted) unitChecks(await orderOf(u.orderId), null, u, units.values());
      else {
        audit.conflicts++; // a lost insert: someone took (or closed) the slot first
        if (!units.has(u.unitNo)) bad(`${u.id}: insert refused on a free slot`);
      }
      return inserted;
    },
    async replaceUnit(call, [unit]) {
      const u = unit as GroupUnit;
      const before = await raw.groupStore.getUnit(u.orderId, u.unitNo);
      const units = await raw.groupStore.listUnits(u.orderId);
      await counted(call);
      unitChecks(await orderOf(u.orderId), before, u, units.values());
    },
    async insertMarker(call, [marker]) {
      const stored = (await call()) as { orderId: string; userId: string; unitNo: number };
      const unit = await raw.groupStore.getUnit(stored.orderId, stored.unitNo);
      if (unit?.recipientId !== stored.userId) bad(`marker ${stored.orderId}/${stored.userId} names unit ${stored.unitNo} not theirs`);
      if (stored.userId !== (marker as { userId: string }).userId) bad('a marker insert answered another person');
      return stored;
    },
  };

  const storeHooks: Hooks<GiftStore> = {
    async replace(call, [doc]) {
      const next = doc as GroupOrder;
      if (!isGroupOrder(next)) return counted(call);
      const before = await orderOf(next.id);
      await counted(call);
      const where = `${next.id} v${next.version}`;
      if (!before) return bad(`${where}: replaced an order that is not there`);
      if (before.status === 'settled' && next.status !== 'settled') bad(`${where}: a settled order became ${next.status}`);
      const prefix = JSON.stringify(before.refundBatches);
      if (JSON.stringify(next.refundBatches.slice(0, before.refundBatches.length)) !== prefix) bad(`${where}: a refund batch changed`);
      const refunded = next.refundBatches.reduce((s, b) => s + b.amountFen, 0);
      if (refunded > (next.payment?.amountFen ?? 0)) bad(`${where}: ${refunded} refunded of ${next.payment?.amountFen} paid`);
      if (next.refundBatches.length > maxRefunds) bad(`${where}: ${next.refundBatches.length} refund batches`);
      const units = await raw.groupStore.listUnits(next.id);
      for (const b of next.refundBatches.slice(before.refundBatches.length))
        for (const k of b.unitNos) {
          const u = units.get(k);
          const wonNobody = b.trigger === 'draw' && !u;
          if (!wonNobody && u?.status !== 'declined' && u?.status !== 'expired')
            bad(`${where}: batch ${b.batchNo} refunds ${u?.status ?? 'no'} unit ${k}`);
        }
    },
  };

  const deps: Deps = {
    ...raw,
    store: scheduled(raw.store as GiftStore, 'store', control, storeHooks),
    groupStore: scheduled(raw.groupStore as GroupStore, 'groupStore', control, groupHooks),
    payments: override(raw.payments, {
      async refund(req) {
        audit.refundRequests.push(req);
        const mode = modes[calls++ % modes.length]!;
        audit.providerFailures[mode]++;
        if (mode === 'failBefore') throw new DependencyError('payments', 'WeChat Pay unreachable');
        const state = await raw.payments.refund(req);
        if (mode === 'loseAnswer') throw new DependencyError('payments', 'the answer was lost');
        return state;
      },
    }),
  };
  return {
    deps,
    raw,
    audit,
    control,
    setProvider(m) {
      modes = m.length ? m : ['ok'];
      calls = 0;
    },
  };
}
