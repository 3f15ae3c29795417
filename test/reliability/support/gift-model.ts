/**
 * Harness for the gift state-machine property test (test/reliability/state-machine.property.test.ts).
 *
 * A World is one run: the real use cases over the in-memory store of makeDeps(), with every await they make
 * on a port (store, catalog, payment provider, fulfillment receiver, notifier) and every retry pause in
 * updateGift routed through a fast-check scheduler, so concurrently started commands interleave in an order
 * the scheduler picks (and can replay). An audit layer between the use cases and the store sees every
 * successful write, so invariants are checked on every single transition, not only between commands.
 */
import type fc from 'fast-check';
import type { MemoryGiftStore } from '../../../shared/adapters/memory/memory-gift-store';
import type { DevPaymentGateway } from '../../../shared/adapters/simulated/dev-payment-gateway';
import type { SinkFulfillment } from '../../../shared/adapters/simulated/sink-fulfillment';
import { DEMO_CATALOG } from '../../../shared/catalog/demo-catalog';
import { hashClaimToken } from '../../../shared/domain/claim-token';
import { effectIdempotencyKey } from '../../../shared/domain/effects';
import { type Gift, type GiftStatus, TERMINAL_STATUSES } from '../../../shared/domain/gift';
import type { Catalog } from '../../../shared/ports/catalog';
import type { Deps } from '../../../shared/ports/deps';
import type { Fulfillment } from '../../../shared/ports/fulfillment';
import type { GiftStore } from '../../../shared/ports/gift-store';
import { VersionConflictError } from '../../../shared/ports/gift-store';
import type { Notifier } from '../../../shared/ports/notifier';
import type { PaymentGateway } from '../../../shared/ports/payments';
import { type MemoryDeps, makeDeps } from '../../support/memory-deps';

/** How an injected receiver behaves: healthy, down (fails before doing anything), or acts and then loses its answer. */
export type ReceiverMode = 'ok' | 'fail' | 'ackLost';
export type RemoteKind = 'charge' | 'refund' | 'handoff';

/** Thrown by the parts of a dispatcher "process" that died after it delivered an effect and before it recorded that. */
export class ProcessCrash extends Error {
  override name = 'ProcessCrash';
  constructor() {
    super('dispatcher process crashed (injected)');
  }
}

const ALLOWED: Record<GiftStatus, readonly GiftStatus[]> = {
  awaiting_payment: ['sent', 'canceled'],
  sent: ['claimed', 'expired'],
  claimed: ['accepted', 'declined', 'expired'],
  accepted: [],
  declined: [],
  expired: [],
  canceled: [],
};

/** Fields that may still change once a gift is terminal: only the outbox (effects) and the version. */
const MAY_CHANGE_WHEN_TERMINAL = new Set(['effects', 'version', 'updatedAt']);

export const SKU_INDEX = new Map(
  DEMO_CATALOG.flatMap((p) => p.skus.map((s) => [s.id, { productId: p.id, priceFen: s.priceFen }] as const)),
);

export interface GiftRef {
  id: string;
  giverId: string;
  /** Every claim token ever issued for it; the one whose hash is stored is the live one. */
  tokens: string[];
}

/** Counters summed over every run of the property. */
export interface Totals {
  runs: number;
  steps: number;
  concurrentSteps: number;
  commands: number;
  ok: number;
  appErrors: Record<string, number>;
  versionConflicts: number;
  retryPauses: number;
  scheduledTasks: number;
  writes: number;
  terminal: Record<string, number>;
  canceledAfterCharge: number;
  expiredAtExactDeadline: number;
  handoffsDelivered: number;
  refundsAtProvider: number;
  duplicateDeliveriesAbsorbed: number;
  injectedReceiverFailures: number;
  injectedLostAcks: number;
  processCrashes: number;
  violations: number;
}

export const newTotals = (): Totals => ({
  runs: 0,
  steps: 0,
  concurrentSteps: 0,
  commands: 0,
  ok: 0,
  appErrors: {},
  versionConflicts: 0,
  retryPauses: 0,
  scheduledTasks: 0,
  writes: 0,
  terminal: {},
  canceledAfterCharge: 0,
  expiredAtExactDeadline: 0,
  handoffsDelivered: 0,
  refundsAtProvider: 0,
  duplicateDeliveriesAbsorbed: 0,
  injectedReceiverFailures: 0,
  injectedLostAcks: 0,
  processCrashes: 0,
  violations: 0,
});

const changedFields = (a: Gift, b: Gift): string[] =>
  (Object.keys({ ...a, ...b }) as (keyof Gift)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));

export class World {
  readonly base: MemoryDeps;
  readonly raw: MemoryGiftStore;
  readonly sink: SinkFulfillment;
  readonly gateway: DevPaymentGateway;
  /** Deps the commands run with: every port call is a scheduling point. */
  readonly deps: Deps;
  /** Mirror of the store, kept by the audit layer from the writes it let through (synchronously, so exact). */
  // The model drives 1:1 gifts only.
  readonly shadow = new Map<string, Gift>();
  /** Every status each gift was written with, in order. */
  readonly statusHistory = new Map<string, GiftStatus[]>();
  readonly gifts: GiftRef[] = [];
  readonly violations: string[] = [];
  fulfillmentMode: ReceiverMode = 'ok';
  refundMode: ReceiverMode = 'ok';
  /** Extra scheduling points a request spends in flight: a slow provider lets everything else overtake it. */
  readonly latency: Record<RemoteKind, number> = { charge: 0, refund: 0, handoff: 0 };
  private idCounter = 0;

  constructor(
    readonly s: fc.Scheduler,
    readonly totals: Totals,
    runNo: number,
  ) {
    // No max-attempts give-up inside a run: the drain must be able to finish every effect (a 'failed' effect is
    // a documented, visible outcome, but not what these invariants are about).
    this.base = makeDeps({ dispatchPolicy: { maxAttempts: 100_000 } });
    this.raw = this.base.store;
    this.sink = this.base.sink;
    this.gateway = this.base.payments;
    const prefix = `g_r${runNo.toString(36)}_`;
    this.deps = {
      ...this.base,
      store: this.scheduledStore(this.auditedStore(this.raw)),
      catalog: this.scheduledCatalog(this.base.catalog),
      payments: this.scheduledPayments(this.gateway),
      fulfillment: this.scheduledFulfillment(this.sink),
      notifier: this.scheduledNotifier(this.base.notifier),
      // Deterministic ids keep a replayed counterexample identical (index order depends on ids).
      ids: { giftId: () => `${prefix}${(++this.idCounter).toString().padStart(4, '0')}` },
    };
  }

  violation(msg: string): void {
    this.violations.push(msg);
  }

  /* ---------------- ports: audit layer ---------------- */

  private auditedStore(inner: MemoryGiftStore): GiftStore {
    const w = this;
    return {
      get: (id) => inner.get(id),
      listByGiver: (...a) => inner.listByGiver(...a),
      listByRecipient: (...a) => inner.listByRecipient(...a),
      getByClaim: (...a) => inner.getByClaim(...a),
      listDue: (...a) => inner.listDue(...a),
      insert(doc) {
        const gift = doc as Gift;
        const existed = w.shadow.has(gift.id);
        const p = inner.insert(gift); // the memory store writes synchronously, inside the call
        if (!existed) {
          w.shadow.set(gift.id, structuredClone(gift));
          w.statusHistory.set(gift.id, [gift.status]);
          w.totals.writes++;
        }
        return p;
      },
      replace(doc, expectedVersion) {
        const gift = doc as Gift;
        const before = w.shadow.get(gift.id);
        const p = inner.replace(gift, expectedVersion);
        if (before && before.version === expectedVersion && gift.version === expectedVersion + 1) {
          w.audit(before, gift);
          w.shadow.set(gift.id, structuredClone(gift));
          w.totals.writes++;
        }
        return p.catch((e: unknown) => {
          if (e instanceof VersionConflictError) w.totals.versionConflicts++;
          throw e;
        });
      },
    };
  }

  /** Checks one successful write against the invariants that hold per transition. */
  private audit(before: Gift, after: Gift): void {
    const id = before.id;
    const v = (m: string) => this.violation(`${id} v${before.version}→v${after.version}: ${m}`);
    // 5. no transition out of a terminal state; only the drawn edges
    if (after.status !== before.status) {
      if (!ALLOWED[before.status].includes(after.status)) v(`illegal transition ${before.status} → ${after.status}`);
      this.statusHistory.get(id)!.push(after.status);
    }
    if (TERMINAL_STATUSES.has(before.status)) {
      const changed = changedFields(before, after).filter(
        (k) => !MAY_CHANGE_WHEN_TERMINAL.has(k) && !(k === 'payment' && learntLateCharge(before, after)),
      );
      if (changed.length) v(`terminal (${before.status}) gift changed ${changed.join(', ')}`);
    }
    // 1. at most one recipient ever
    if (before.recipientId !== null && after.recipientId !== before.recipientId)
      v(`recipient changed ${before.recipientId} → ${after.recipientId}`);
    for (const k of ['giverId', 'priceFen', 'originalSkuId', 'productId', 'createdAt'] as const) {
      if (before[k] !== after[k]) v(`${k} changed ${String(before[k])} → ${String(after[k])}`);
    }
    // 6. a style change is a recorded swap to the same product at the original price
    if (after.skuId !== before.skuId) {
      const last = after.swaps[after.swaps.length - 1];
      if (after.swaps.length !== before.swaps.length + 1 || !last || last.fromSkuId !== before.skuId || last.toSkuId !== after.skuId) {
        v(`sku changed ${before.skuId} → ${after.skuId} without a matching swap record`);
      }
      if (before.status !== 'claimed' && before.status !== 'sent') v(`sku swapped while ${before.status}`);
    }
    // 4. never a handoff and a refund on one gift; effects are never dropped, never duplicated, never reopened
    const kinds = new Set(after.effects.map((e) => e.kind));
    if (kinds.has('handoff') && kinds.has('refund')) v('has both a handoff and a refund effect');
    const ids = after.effects.map((e) => e.id);
    if (new Set(ids).size !== ids.length) v(`duplicate effect ids ${ids.join(',')}`);
    for (const old of before.effects) {
      const now = after.effects.find((e) => e.id === old.id);
      if (!now) v(`effect ${old.id} disappeared`);
      else if (old.status !== 'pending' && JSON.stringify(now) !== JSON.stringify(old))
        v(`settled effect ${old.id} (${old.status}) changed`);
      else if (now.attempts < old.attempts) v(`effect ${old.id} attempts went down`);
    }
  }

  /* ---------------- ports: scheduling layer ---------------- */

  /**
   * Like `s.scheduleFunction(f)`: the call happens at once and the caller resumes only when the scheduler releases
   * the answer. The scheduled task carries no value and a short label, so a counterexample's scheduler report
   * reads as a trace (`store.get(g_1) v3 claimed`, `store.replace(g_1 v3→v4) CONFLICT`) rather than JSON dumps.
   */
  private later<T>(label: string, p: Promise<T>): Promise<T> {
    const settled = p.then(
      () => undefined,
      () => undefined,
    );
    return this.s.schedule(settled, label).then(() => p);
  }

  /**
   * Every store call is a scheduling point: the memory store's compare-and-set happens atomically inside the
   * call, and between a use case's read and its conditional write any other started command may run.
   */
  private scheduledStore(inner: GiftStore): GiftStore {
    const doc = (id: string) => {
      const g = this.shadow.get(id);
      return g ? `v${g.version} ${g.status}` : 'none';
    };
    const ids = (gs: { id: string }[]) => gs.map((g) => g.id).join(',');
    return {
      get: (id) => this.later(`store.get(${id}) ${doc(id)}`, inner.get(id)),
      insert: (gift) => this.later(`store.insert(${gift.id})`, inner.insert(gift)),
      replace: (gift, expected) => {
        const ok = this.shadow.get(gift.id)?.version === expected;
        return this.later(
          `store.replace(${gift.id} v${expected}→v${gift.version} ${gift.status})${ok ? '' : ' CONFLICT'}`,
          inner.replace(gift, expected),
        );
      },
      listByGiver: (...a) => this.later('store.listByGiver', inner.listByGiver(...a)),
      listByRecipient: (...a) => this.later('store.listByRecipient', inner.listByRecipient(...a)),
      getByClaim: (id, hash) => this.later(`store.getByClaim(${id}) ${doc(id)}`, inner.getByClaim(id, hash)),
      listDue: (kind, now, limit, after) => {
        const p = inner.listDue(kind, now, limit, after);
        return p.then((page) => this.later(`store.listDue(${kind}, ${now}) [${ids(page.items)}]`, p));
      },
    };
  }

  private scheduledCatalog(inner: Catalog): Catalog {
    return {
      listProducts: () => this.later('catalog.listProducts', inner.listProducts()),
      getProduct: (id) => this.later(`catalog.getProduct(${id})`, inner.getProduct(id)),
      findSku: (id) => this.later(`catalog.findSku(${id})`, inner.findSku(id)),
    };
  }

  /** A request to a remote party: in flight until the scheduler lets it arrive, then its answer travels back. */
  private async remote<T>(label: string, act: () => Promise<T>, kind?: RemoteKind): Promise<T> {
    await this.s.schedule(Promise.resolve(), `${label} →`);
    for (let hop = kind ? this.latency[kind] : 0; hop > 0; hop--) await this.s.schedule(Promise.resolve(), `${label} (slow)`);
    const p = act();
    const answer = await p.then(
      (r) => (r === undefined ? 'ok' : JSON.stringify(r).slice(0, 80)),
      (e: unknown) => `failed: ${e instanceof Error ? e.message : String(e)}`,
    );
    return this.later(`${label} ← ${answer}`, p);
  }

  private scheduledPayments(inner: PaymentGateway): PaymentGateway {
    return {
      provider: inner.provider,
      chargesOnPrepare: inner.chargesOnPrepare,
      prepare: (req) => this.remote(`payments.prepare(${req.giftId})`, () => inner.prepare(req), 'charge'),
      query: (no) => this.remote(`payments.query(${no})`, () => inner.query(no)),
      close: (no) => this.remote(`payments.close(${no})`, () => inner.close(no)),
      queryRefund: (no) => this.remote(`payments.queryRefund(${no})`, () => inner.queryRefund(no)),
      refund: (req) =>
        this.remote(
          `payments.refund(${req.refundNo})`,
          async () => {
            const mode = this.refundMode;
            if (mode === 'fail') {
              this.totals.injectedReceiverFailures++;
              throw new Error('payment provider unavailable (injected)');
            }
            const r = await inner.refund(req);
            if (mode === 'ackLost') {
              this.totals.injectedLostAcks++;
              throw new Error('payment provider answer lost (injected)');
            }
            return r;
          },
          'refund',
        ),
    };
  }

  private scheduledFulfillment(inner: Fulfillment): Fulfillment {
    return {
      handOff: (req) =>
        this.remote(
          `fulfillment.handOff(${req.handoff.giftId})`,
          async () => {
            const mode = this.fulfillmentMode;
            if (mode === 'fail') {
              this.totals.injectedReceiverFailures++;
              throw new Error('fulfillment endpoint unavailable (injected)');
            }
            const r = await inner.handOff(req);
            if (mode === 'ackLost') {
              this.totals.injectedLostAcks++;
              throw new Error('fulfillment answer lost (injected)');
            }
            return r;
          },
          'handoff',
        ),
    };
  }

  private scheduledNotifier(inner: Notifier): Notifier {
    return { notify: (req) => this.remote(`notifier.notify(${req.giftId})`, () => inner.notify(req)) };
  }

  /**
   * Deps of a dispatcher process that dies right after its first delivery reached a receiver (before it could
   * record it): from then on every port call it makes throws ProcessCrash, so the effect stays pending under its
   * lease, and the next dispatcher must deliver it again with the same idempotency key.
   */
  crashingProcessDeps(): Deps {
    let dead = false;
    const guard = () => {
      if (dead) throw new ProcessCrash();
    };
    const d = this.deps;
    const guarded =
      <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        guard();
        const r = await f(...a);
        guard();
        return r;
      };
    const delivering =
      <A extends unknown[], R>(f: (...a: A) => Promise<R>) =>
      async (...a: A): Promise<R> => {
        guard();
        await f(...a); // the receiver acts (or fails: then the process lives on and records the failure)
        dead = true;
        this.totals.processCrashes++;
        throw new ProcessCrash();
      };
    return {
      ...d,
      store: {
        get: guarded((id: string) => d.store.get(id)),
        insert: guarded((g: Gift) => d.store.insert(g)),
        replace: guarded((g: Gift, v: number) => d.store.replace(g, v)),
        listByGiver: guarded((...a: Parameters<GiftStore['listByGiver']>) => d.store.listByGiver(...a)),
        listByRecipient: guarded((...a: Parameters<GiftStore['listByRecipient']>) => d.store.listByRecipient(...a)),
        getByClaim: guarded((...a: Parameters<GiftStore['getByClaim']>) => d.store.getByClaim(...a)),
        listDue: guarded((...a: Parameters<GiftStore['listDue']>) => d.store.listDue(...a)),
      },
      fulfillment: { handOff: delivering((req: Parameters<Fulfillment['handOff']>[0]) => d.fulfillment.handOff(req)) },
      payments: {
        provider: d.payments.provider,
        chargesOnPrepare: d.payments.chargesOnPrepare,
        prepare: guarded((req: Parameters<PaymentGateway['prepare']>[0]) => d.payments.prepare(req)),
        query: guarded((no: string) => d.payments.query(no)),
        close: guarded((no: string) => d.payments.close(no)),
        queryRefund: guarded((no: string) => d.payments.queryRefund(no)),
        refund: delivering((req: Parameters<PaymentGateway['refund']>[0]) => d.payments.refund(req)),
      },
      notifier: { notify: delivering((req: Parameters<Notifier['notify']>[0]) => d.notifier.notify(req)) },
    };
  }

  /* ---------------- model helpers ---------------- */

  newGiftRef(id: string, giverId: string): GiftRef {
    const ref = { id, giverId, tokens: [] };
    this.gifts.push(ref);
    return ref;
  }

  /** The live claim token of a gift, or a well-formed wrong one while it has none (an unpaid gift). */
  liveToken(ref: GiftRef): string {
    const hash = this.shadow.get(ref.id)?.claimTokenHash ?? null;
    const live = ref.tokens.find((t) => hashClaimToken(t) === hash);
    return live ?? ref.tokens[ref.tokens.length - 1] ?? `${ref.id}.${'W'.repeat(32)}`;
  }

  hasPendingEffects(): boolean {
    for (const g of this.shadow.values()) if (g.effects.some((e) => e.status === 'pending')) return true;
    return false;
  }

  /* ---------------- invariants over the receivers (checked after every step) ---------------- */

  checkReceivers(): void {
    // 2. at most one handoff per gift at the fulfillment receiver, under the gift's own key
    const handoffKeys = new Map<string, string[]>();
    for (const r of this.sink.list()) handoffKeys.set(r.giftId, [...(handoffKeys.get(r.giftId) ?? []), r.idempotencyKey]);
    for (const [giftId, keys] of handoffKeys) {
      if (keys.length > 1) this.violation(`${giftId}: fulfillment received ${keys.length} distinct handoffs: ${keys.join(', ')}`);
      if (keys.some((k) => k !== effectIdempotencyKey(giftId, 'handoff')))
        this.violation(`${giftId}: handoff under a foreign key ${keys.join(', ')}`);
      const g = this.shadow.get(giftId);
      if (g?.status !== 'accepted') this.violation(`${giftId}: handed off while ${g?.status ?? 'missing'}`);
    }
    // 3. at most one refund per gift at the payment provider
    const refunds = new Map<string, number>();
    for (const r of this.gateway.listRefunds()) refunds.set(r.giftId, (refunds.get(r.giftId) ?? 0) + 1);
    for (const [giftId, n] of refunds) {
      if (n > 1) this.violation(`${giftId}: ${n} refunds at the payment provider`);
      // 4. never both
      if (handoffKeys.has(giftId)) this.violation(`${giftId}: both handed off and refunded`);
      const g = this.shadow.get(giftId);
      if (!g || !['declined', 'expired', 'canceled'].includes(g.status))
        this.violation(`${giftId}: refunded while ${g?.status ?? 'missing'}`);
    }
  }

  /** Per-gift document invariants (also checked per write by the audit; this catches the inserted state). */
  checkDocuments(): void {
    for (const g of this.shadow.values()) {
      const v = (m: string) => this.violation(`${g.id} (${g.status}): ${m}`);
      // 6. swaps: same product, same price, chained from the original style
      const orig = SKU_INDEX.get(g.originalSkuId);
      if (!orig || orig.priceFen !== g.priceFen || orig.productId !== g.productId)
        v(`original style ${g.originalSkuId} does not match price/product`);
      let cur = g.originalSkuId;
      for (const sw of g.swaps) {
        if (sw.fromSkuId !== cur) v(`swap history broken at ${sw.fromSkuId} (expected ${cur})`);
        const to = SKU_INDEX.get(sw.toSkuId);
        if (!to || to.productId !== g.productId) v(`swapped to ${sw.toSkuId} of another product`);
        else if (to.priceFen !== g.priceFen) v(`swapped to ${sw.toSkuId} priced ${to.priceFen} ≠ ${g.priceFen}`);
        cur = sw.toSkuId;
      }
      if (cur !== g.skuId) v(`current style ${g.skuId} is not the end of the swap history (${cur})`);
      if (SKU_INDEX.get(g.skuId)?.priceFen !== g.priceFen) v(`current style ${g.skuId} price ≠ original ${g.priceFen}`);
      // 5. the observed status sequence never leaves a terminal state
      const hist = this.statusHistory.get(g.id) ?? [];
      const firstTerminal = hist.findIndex((st) => TERMINAL_STATUSES.has(st));
      if (firstTerminal !== -1 && firstTerminal !== hist.length - 1) v(`left a terminal state: ${hist.join(' → ')}`);
      if (hist[hist.length - 1] !== g.status) v(`status history ${hist.join(' → ')} does not end in ${g.status}`);
    }
  }

  /** After the drain: everything terminal, every accepted gift handed off once, every paid unaccepted one refunded once. */
  checkDrained(): void {
    const handoffs = new Map(this.sink.list().map((r) => [r.giftId, r]));
    const refunds = new Map<string, ReturnType<DevPaymentGateway['listRefunds']>>();
    for (const r of this.gateway.listRefunds()) refunds.set(r.giftId, [...(refunds.get(r.giftId) ?? []), r]);
    const charges = new Map(this.gateway.listCharges().map((c) => [c.giftId, c]));
    for (const g of this.shadow.values()) {
      const v = (m: string) => this.violation(`${g.id} (${g.status}) after drain: ${m}`);
      if (!TERMINAL_STATUSES.has(g.status)) v('not terminal');
      for (const e of g.effects)
        if (e.status !== 'done' && e.status !== 'canceled')
          v(`effect ${e.id} is ${e.status} after ${e.attempts} attempts (${e.lastError})`);
      const h = handoffs.get(g.id);
      const rf = refunds.get(g.id) ?? [];
      const charge = charges.get(g.id);
      if (g.status === 'accepted') {
        // 8. handed off exactly once, with the final style and the recipient's address
        if (!h) v('accepted but never handed off');
        else {
          if (h.handoff.skuId !== g.skuId) v(`handed off ${h.handoff.skuId}, gift holds ${g.skuId}`);
          if (h.handoff.openid !== g.recipientId) v('handed off to someone other than the recipient');
          if (JSON.stringify(h.handoff.address) !== JSON.stringify(g.address)) v('handed off another address');
        }
        if (rf.length) v(`accepted but refunded ${rf.length}×`);
        if (!charge) v('accepted but never charged');
      } else {
        if (h) v('handed off although not accepted');
        // 7. expired / declined: refunded exactly once, the whole charge, to the original payment
        const mustRefund = g.status === 'expired' || g.status === 'declined' || (g.status === 'canceled' && charge !== undefined);
        if (mustRefund && rf.length !== 1) v(`${charge ? `charged ${charge.amountFen}` : 'not charged'}, refunded ${rf.length}×`);
        if (!mustRefund && rf.length) v(`refunded ${rf.length}× without a charge`);
        for (const r of rf) {
          if (!charge || r.paymentId !== charge.paymentId) v(`refund ${r.refundId} not against the gift's charge`);
          else if (r.amountFen !== charge.amountFen) v(`refunded ${r.amountFen} of ${charge.amountFen}`);
        }
      }
      if (charge && charge.amountFen !== g.priceFen) v(`charged ${charge.amountFen}, price ${g.priceFen}`);
    }
    // every charge belongs to a gift we know
    for (const c of charges.values()) if (!this.shadow.has(c.giftId)) this.violation(`charge for unknown gift ${c.giftId}`);
  }

  /** Adds this run's outcomes to the totals. */
  tally(): void {
    const t = this.totals;
    const charged = new Set(this.gateway.listCharges().map((c) => c.giftId));
    for (const g of this.shadow.values()) {
      t.terminal[g.status] = (t.terminal[g.status] ?? 0) + 1;
      if (g.status === 'canceled' && charged.has(g.id)) t.canceledAfterCharge++;
      if (g.status === 'expired' && g.expiredAt === g.expiresAt) t.expiredAtExactDeadline++;
    }
    for (const h of this.sink.list()) {
      t.handoffsDelivered++;
      t.duplicateDeliveriesAbsorbed += h.deliveries - 1;
    }
    for (const r of this.gateway.listRefunds()) {
      t.refundsAtProvider++;
      t.duplicateDeliveriesAbsorbed += r.requests - 1;
    }
    t.violations += this.violations.length;
  }
}

/**
 * A canceled gift may learn, once, that its order was paid after all (the payer confirmed as the cleanup closed it):
 * the payment is recorded in the same write that makes its refund refund exactly that payment.
 */
function learntLateCharge(before: Gift, after: Gift): boolean {
  if (before.status !== 'canceled' || before.payment !== null || after.payment === null) return false;
  const refund = after.effects.find((e) => e.kind === 'refund');
  return refund?.kind === 'refund' && refund.paymentId === after.payment.paymentId && refund.amountFen === after.payment.amountFen;
}
