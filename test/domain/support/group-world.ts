/**
 * The pure in-memory model behind test/domain/group-orders.property.test.ts.
 *
 * A GroupWorld holds the documents of docs/group-gifts.md as the engines would (orders, one document per unit, claim
 * markers, lottery entries), each write a conditional insert or a version compare-and-set of one document, and runs
 * the reference protocol of every command (claim, enter, a unit command, the cleanup, the refund dispatcher) as a
 * process whose every store operation waits for a fast-check scheduler: commands started together interleave in an
 * order the scheduler picks, and a process can die between any two operations. The decisions are all the domain's
 * (planGroupClaim, takeUnit, enterLottery, drawLottery, refundStep …); the model only reads, asks, and writes, the way
 * the use cases of the next increment will. Every write is audited, and the whole state is checked after a drain.
 */
import type fc from 'fast-check';
import { verifyDraw } from '../../../scripts/verify-draw';
import { AppError } from '../../../shared/domain/errors';
import { DEFAULT_GIFT_POLICY } from '../../../shared/domain/gift-policy';
import { allClaimed, type ClaimMarker, newClaimMarker, planGroupClaim } from '../../../shared/domain/group-claim';
import { drawDueAt, type GroupOrder, unitSlots } from '../../../shared/domain/group-order';
import { DEFAULT_GROUP_POLICY, type GroupPolicy } from '../../../shared/domain/group-policy';
import {
  acceptUnit,
  declineUnit,
  expireUnit,
  type GroupUnit,
  setUnitAddress,
  swapUnitVariant,
  TERMINAL_UNIT_STATUSES,
  takeUnit,
  unitIdOf,
  unitNoOf,
  winnerUnit,
} from '../../../shared/domain/group-units';
import {
  type DrawListChunk,
  drawList,
  drawLottery,
  enterLottery,
  type LotteryEntry,
  publishedDraw,
} from '../../../shared/domain/lottery-draw';
import { refundNoOf } from '../../../shared/domain/payment-numbers';
import { batchedUnitNos, completeBatchRefund, refundStep, requestRefundCheck, slotsToClose } from '../../../shared/domain/refund-batches';
import { addSeconds, isAtOrAfter } from '../../../shared/domain/time';
import { testBytes } from '../../support/group-fixtures';
import { ADDRESS, freshCatalogProducts, T0 } from '../../support/memory-deps';

export const GP = DEFAULT_GIFT_POLICY;
const REMIND = GP.reminderBeforeExpirySeconds;
const GREY = (() => {
  const product = freshCatalogProducts().find((p) => p.id === 'p_scarf')!;
  return { product, sku: product.skus.find((s) => s.id === 'sku_scarf_grey')! };
})();

/** A process the scheduler killed (injected): it stops between two store operations. */
export class Crash extends Error {
  override name = 'Crash';
}
/** A request the platform ended at its timeout: it stops before its next store operation, unanswered. */
export class Timeout extends Error {
  override name = 'Timeout';
}

/** A function's timeout (API Gateway + Lambda, CloudBase): no request lives longer. The draw's grace must exceed it. */
export const REQUEST_TIMEOUT_SECONDS = 30;
class ProviderDown extends Error {}

export type ProviderMode = 'ok' | 'fail' | 'ackLost';
export interface Proc {
  /** Dies before its store operation number `crashAt` (0-based); null: runs to the end. */
  crashAt: number | null;
  ops: number;
  /** A request's end of life (its start + REQUEST_TIMEOUT_SECONDS): no store operation runs at or after it. */
  timeoutAt?: string;
}
export const proc = (crashAt: number | null = null): Proc => ({ crashAt, ops: 0 });

export interface Totals {
  runs: number;
  commands: number;
  ok: number;
  appErrors: Record<string, number>;
  crashes: number;
  timeouts: number;
  conflicts: number;
  takes: number;
  adopts: number;
  draws: number;
  drawsShort: number;
  batches: Record<string, number>;
  refundsAtProvider: number;
  duplicateRefundsAbsorbed: number;
  unitsAccepted: number;
  unitsRefunded: number;
  violations: number;
}
export const newTotals = (): Totals => ({
  runs: 0,
  commands: 0,
  ok: 0,
  appErrors: {},
  crashes: 0,
  timeouts: 0,
  conflicts: 0,
  takes: 0,
  adopts: 0,
  draws: 0,
  drawsShort: 0,
  batches: {},
  refundsAtProvider: 0,
  duplicateRefundsAbsorbed: 0,
  unitsAccepted: 0,
  unitsRefunded: 0,
  violations: 0,
});

interface ProviderRefund {
  orderId: string;
  amountFen: number;
}

const personKey = (orderId: string, userId: string) => `${orderId}|${userId}`;

export class GroupWorld {
  now = T0;
  readonly orders = new Map<string, GroupOrder>();
  readonly units = new Map<string, GroupUnit>();
  readonly markers = new Map<string, ClaimMarker>();
  readonly entries = new Map<string, LotteryEntry>();
  /** The draw lists, by `<orderId>#<digest>#<chunkNo>` (insert-only). */
  readonly drawLists = new Map<string, DrawListChunk>();
  /** The payment provider: refunds by out_refund_no (one refund per number, as WeChat Pay). */
  readonly refunds = new Map<string, ProviderRefund>();
  providerMode: ProviderMode = 'ok';
  /** Claims answered 200: person → unit, per order. */
  readonly answeredClaims = new Map<string, number>();
  /** Entries answered 200, per order. */
  readonly answeredEntries = new Map<string, string>();
  readonly violations: string[] = [];
  private salts = 0;

  constructor(
    private readonly s: fc.Scheduler,
    readonly totals: Totals,
    /** A run may lower the refund limit, so the reserve for the final batch is reached with a handful of units. */
    readonly policy: GroupPolicy = DEFAULT_GROUP_POLICY,
  ) {}

  violation(msg: string): void {
    this.violations.push(msg);
    this.totals.violations++;
  }

  addOrder(order: GroupOrder): void {
    this.orders.set(order.id, order);
  }

  /** One interleaving point: the scheduler says when this process's next store operation runs (or that it died). */
  private async op<T>(p: Proc, label: string, fn: () => T): Promise<T> {
    await this.s.schedule(Promise.resolve(), label);
    if (p.crashAt !== null && p.ops >= p.crashAt) {
      this.totals.crashes++;
      throw new Crash(label);
    }
    if (p.timeoutAt && this.now >= p.timeoutAt) {
      this.totals.timeouts++;
      throw new Timeout(label);
    }
    p.ops++;
    return fn();
  }

  /* ---------- the store: conditional inserts and version compare-and-sets, one document each ---------- */

  private order(id: string): GroupOrder {
    const o = this.orders.get(id);
    if (!o) throw new Error(`no order ${id}`);
    return o;
  }

  private casOrder(next: GroupOrder): boolean {
    const cur = this.order(next.id);
    if (cur.version !== next.version - 1) {
      this.totals.conflicts++;
      return false;
    }
    this.auditOrder(cur, next);
    this.orders.set(next.id, next);
    return true;
  }

  unitsOf(order: GroupOrder): Map<number, GroupUnit> {
    const out = new Map<number, GroupUnit>();
    for (let k = 0; k < order.quantity; k++) {
      const u = this.units.get(unitIdOf(order.id, k));
      if (u) out.set(k, u);
    }
    return out;
  }

  /** Inserts when `current` is null (fails if the slot has a document), else compare-and-sets against its version. */
  private putUnit(next: GroupUnit, current: GroupUnit | null): boolean {
    const stored = this.units.get(next.id) ?? null;
    const fits =
      current === null
        ? stored === null && next.version === 1
        : stored?.version === current.version && next.version === current.version + 1;
    if (!fits) {
      this.totals.conflicts++;
      return false;
    }
    this.auditUnit(stored, next);
    this.units.set(next.id, next);
    return true;
  }

  private insertMarker(m: ClaimMarker): boolean {
    const key = personKey(m.orderId, m.userId);
    if (this.markers.has(key)) return false;
    const unit = this.units.get(unitIdOf(m.orderId, m.unitNo));
    if (unit?.recipientId !== m.userId)
      this.violation(`marker of ${m.userId} names ${unit?.id ?? 'a missing unit'} held by ${unit?.recipientId}`);
    this.markers.set(key, m);
    return true;
  }

  /* ---------- audits on every write ---------- */

  private auditUnit(before: GroupUnit | null, after: GroupUnit): void {
    if (before && TERMINAL_UNIT_STATUSES.has(before.status) && before.status !== after.status)
      this.violation(`${after.id}: ${before.status} → ${after.status}`);
    const order = this.order(after.orderId);
    if (after.status === 'accepted' && batchedUnitNos(order).has(after.unitNo))
      this.violation(`${after.id} accepted after it was refunded`);
    if (after.status === 'accepted' || after.address) {
      // Only the unit a person's marker names (or a winner's) can ever be acted on.
      const named =
        order.mode === 'group'
          ? this.markers.get(personKey(order.id, after.recipientId!))?.unitNo
          : unitNoOf(order, after.recipientId!, null);
      if (named !== after.unitNo) this.violation(`${after.id} acted on by ${after.recipientId}, whose unit is ${named}`);
    }
    if (before && before.recipientId !== after.recipientId)
      this.violation(`${after.id} moved from ${before.recipientId} to ${after.recipientId}`);
    // One unit per person: no other unit of the order ever carries this unit's recipient.
    if (!before && after.recipientId)
      for (const [k, u] of this.unitsOf(order))
        if (k !== after.unitNo && u.recipientId === after.recipientId)
          this.violation(`${after.recipientId} holds units ${k} and ${after.unitNo} of ${order.id}`);
  }

  private auditOrder(before: GroupOrder, after: GroupOrder): void {
    if (before.status === 'settled' && after.status !== 'settled') this.violation(`${after.id} left settled`);
    const seen = new Set<number>();
    let sum = 0;
    for (const b of after.refundBatches) {
      sum += b.amountFen;
      for (const k of b.unitNos) {
        if (seen.has(k)) this.violation(`${after.id}: unit ${k} in two refund batches`);
        seen.add(k);
      }
    }
    if (after.refundBatches.length > this.policy.maxRefundsPerOrder)
      this.violation(`${after.id}: ${after.refundBatches.length} refund batches`);
    if (sum > (after.payment?.amountFen ?? 0)) this.violation(`${after.id}: refunds ${sum} exceed the ${after.payment?.amountFen} paid`);
    const winners = after.lottery?.winners?.length ?? 0;
    for (const k of seen) {
      if (before.refundBatches.some((b) => b.unitNos.includes(k))) continue;
      const unit = this.units.get(unitIdOf(after.id, k));
      const unwon = after.mode === 'lottery' && k >= winners;
      if (unwon ? unit !== undefined : unit?.status !== 'declined' && unit?.status !== 'expired')
        this.violation(`${after.id}: unit ${k} refunded while ${unit?.status ?? 'without a document'}`);
    }
  }

  /* ---------- commands (the reference protocols) ---------- */

  /** POST /claims/:token/claim. Resolves with the unit number; rejects with an AppError, a Crash. */
  async claim(orderId: string, userId: string, p: Proc): Promise<number> {
    const bound = 4 * this.order(orderId).quantity + 8;
    for (let attempt = 0; attempt < bound; attempt++) {
      const order = await this.op(p, 'read order', () => this.order(orderId));
      const marker = await this.op(p, 'read marker', () => this.markers.get(personKey(orderId, userId)) ?? null);
      const units = marker ? new Map<number, GroupUnit>() : await this.op(p, 'read units', () => this.unitsOf(order));
      const step = planGroupClaim(order, userId, marker, units, this.now);
      if (step.kind === 'have') return this.answerClaim(orderId, userId, step.unitNo);
      if (step.kind === 'all_claimed') throw allClaimed();
      if (step.kind === 'adopt') this.totals.adopts++;
      else {
        const taken = takeUnit(order, step.unitNo, userId, this.now, REMIND);
        if (!(await this.op(p, `take unit ${step.unitNo}`, () => this.putUnit(taken, null)))) continue;
        this.totals.takes++;
      }
      if (await this.op(p, 'insert marker', () => this.insertMarker(newClaimMarker(order, userId, step.unitNo, this.now))))
        return this.answerClaim(orderId, userId, step.unitNo);
      // Another request of this person recorded its unit first: the same one, by the claim's argument.
      const mine = await this.op(p, 're-read marker', () => this.markers.get(personKey(orderId, userId))!);
      if (mine.unitNo !== step.unitNo) this.violation(`${userId} took units ${mine.unitNo} and ${step.unitNo} of ${orderId}`);
      return this.answerClaim(orderId, userId, mine.unitNo);
    }
    this.violation(`claim of ${userId} on ${orderId} made no progress in ${bound} rounds`);
    throw new AppError('CONCURRENT_UPDATE', 'try again');
  }

  private answerClaim(orderId: string, userId: string, unitNo: number): number {
    const key = personKey(orderId, userId);
    const before = this.answeredClaims.get(key);
    if (before !== undefined && before !== unitNo)
      this.violation(`${userId} was given unit ${before} and then unit ${unitNo} of ${orderId}`);
    this.answeredClaims.set(key, unitNo);
    return unitNo;
  }

  /**
   * POST /claims/:token/enter. Correct only because a request cannot outlive its timeout: the entry is refused from
   * drawAt on, so its write lands before drawAt + timeout, before the draw (drawAt + grace) reads the entries. The
   * model lets the platform end the request at its timeout, and checks that no write ever lands at the draw's time.
   */
  async enter(orderId: string, userId: string, p: Proc): Promise<string> {
    p.timeoutAt = addSeconds(this.now, REQUEST_TIMEOUT_SECONDS);
    const order = await this.op(p, 'read order', () => this.order(orderId));
    const existing = await this.op(p, 'read entry', () => this.entries.get(personKey(orderId, userId)) ?? null);
    const { entry, created } = enterLottery(order, existing, userId, testBytes(`salt ${++this.salts}`, 16), this.now);
    let answer = entry;
    if (created)
      answer = await this.op(p, 'insert entry', () => {
        const key = personKey(orderId, userId);
        if (isAtOrAfter(this.now, drawDueAt(order, this.policy)!)) this.violation(`${key}: an entry written once the draw was due`);
        if (!this.entries.has(key)) this.entries.set(key, entry);
        return this.entries.get(key)!;
      });
    this.answeredEntries.set(personKey(orderId, userId), answer.entrantHash);
    return answer.entrantHash;
  }

  /** PUT address / PUT variant / POST accept / POST decline on the caller's own unit. */
  async unitCommand(orderId: string, userId: string, kind: 'address' | 'swap' | 'accept' | 'decline', p: Proc): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const order = await this.op(p, 'read order', () => this.order(orderId));
      const marker =
        order.mode === 'group' ? await this.op(p, 'read marker', () => this.markers.get(personKey(orderId, userId)) ?? null) : null;
      const unitNo = unitNoOf(order, userId, marker);
      if (unitNo === null) throw new AppError('NOT_RECIPIENT', 'not your unit');
      let unit = await this.op(p, 'read unit', () => this.units.get(unitIdOf(orderId, unitNo)) ?? null);
      if (!unit) {
        if (order.mode === 'group') this.violation(`${userId}'s marker names unit ${unitNo} of ${orderId}, which has no document`);
        const fresh = winnerUnit(order, unitNo, REMIND);
        unit = (await this.op(p, 'insert winner unit', () => this.putUnit(fresh, null))) ? fresh : this.units.get(fresh.id)!;
      }
      const next =
        kind === 'address'
          ? setUnitAddress(order, unit, userId, ADDRESS, this.now)
          : kind === 'swap'
            ? swapUnitVariant(order, unit, userId, GREY, this.now)
            : kind === 'accept'
              ? acceptUnit(order, unit, userId, this.now)
              : declineUnit(order, unit, userId, this.now);
      if (next === unit) return;
      const current = unit;
      if (!(await this.op(p, `${kind} unit ${unitNo}`, () => this.putUnit(next, current)))) continue;
      if (kind === 'decline') {
        // Ask the order for a refund batch: a second, small write; losing it only delays the refund to the deadline.
        const o = await this.op(p, 'read order (refund check)', () => this.order(orderId));
        const asked = requestRefundCheck(o, this.now, this.policy);
        if (asked !== o) await this.op(p, 'ask for a refund batch', () => this.casOrder(asked));
      }
      return;
    }
    throw new AppError('CONCURRENT_UPDATE', 'try again');
  }

  /** The cleanup: cancel nothing here (every order is paid), draw, close slots at the deadline, refund batches. */
  async sweep(p: Proc): Promise<void> {
    for (const id of this.orders.keys()) {
      const order = await this.op(p, 'sweep: read order', () => this.order(id));
      const due = drawDueAt(order, this.policy);
      if (order.status === 'sent' && due && isAtOrAfter(this.now, due)) {
        const entries = await this.op(p, 'draw: read entries', () => [...this.entries.values()].filter((e) => e.orderId === id));
        for (const chunk of drawList(order, entries))
          await this.op(p, 'draw: write list', () => {
            const key = `${id}#${chunk.entrantsDigest}#${chunk.chunkNo}`;
            if (!this.drawLists.has(key)) this.drawLists.set(key, chunk);
          });
        const drawn = drawLottery(order, entries, this.now, GP, this.policy);
        if (await this.op(p, 'draw: write', () => this.casOrder(drawn))) {
          this.totals.draws++;
          if ((drawn.lottery?.winners?.length ?? 0) < drawn.quantity) this.totals.drawsShort++;
          if (drawn.refundBatches.length) this.totals.batches.draw = (this.totals.batches.draw ?? 0) + 1;
        }
        continue;
      }
      if (order.status !== 'sent') continue;
      let units = await this.op(p, 'sweep: read units', () => this.unitsOf(order));
      const close = slotsToClose(order, units, this.now);
      for (const k of close) {
        const current = units.get(k) ?? null;
        const closed = expireUnit(order, k, current, this.now);
        if (closed !== current) await this.op(p, `close unit ${k}`, () => this.putUnit(closed, current));
      }
      if (close.length) units = await this.op(p, 'sweep: re-read units', () => this.unitsOf(order));
      const next = refundStep(order, units, this.now, this.policy);
      if (next !== order && (await this.op(p, 'sweep: write order', () => this.casOrder(next)))) {
        const added = next.refundBatches.slice(order.refundBatches.length);
        for (const b of added) this.totals.batches[b.trigger] = (this.totals.batches[b.trigger] ?? 0) + 1;
      }
    }
  }

  /** The refund dispatcher; `crashAfterRefund` dies between the provider's answer and recording it. */
  async dispatchRefunds(p: Proc, crashAfterRefund = false): Promise<void> {
    for (const id of this.orders.keys()) {
      const order = await this.op(p, 'dispatch: read order', () => this.order(id));
      for (const e of order.effects) {
        if (e.kind !== 'refund' || e.status !== 'pending') continue;
        const refundNo = refundNoOf(id, e.id);
        try {
          await this.op(p, `refund ${refundNo}`, () => this.provider(refundNo, id, e.amountFen));
        } catch (err) {
          if (err instanceof ProviderDown) continue;
          throw err;
        }
        if (crashAfterRefund) {
          this.totals.crashes++;
          throw new Crash('after the refund');
        }
        const fresh = await this.op(p, 'dispatch: re-read order', () => this.order(id));
        const done = completeBatchRefund(fresh, e.id, this.now, `refund:${refundNo}`);
        if (done !== fresh) await this.op(p, 'dispatch: record', () => this.casOrder(done));
      }
    }
  }

  /** WeChat Pay's refund API as far as money goes: one refund per out_refund_no, ≤ 50 (the run's limit) per payment, ≤ the amount paid. */
  private provider(refundNo: string, orderId: string, amountFen: number): void {
    if (this.providerMode === 'fail') throw new ProviderDown();
    const seen = this.refunds.get(refundNo);
    if (seen) {
      if (seen.amountFen !== amountFen || seen.orderId !== orderId) this.violation(`${refundNo} asked again with another amount or order`);
      this.totals.duplicateRefundsAbsorbed++;
    } else {
      const mine = [...this.refunds.values()].filter((r) => r.orderId === orderId);
      const paid = this.order(orderId).payment?.amountFen ?? 0;
      if (mine.length >= this.policy.maxRefundsPerOrder)
        this.violation(`${orderId}: a refund over the limit of ${this.policy.maxRefundsPerOrder}`);
      if (mine.reduce((s, r) => s + r.amountFen, 0) + amountFen > paid) this.violation(`${orderId}: refunds over the ${paid} paid`);
      this.refunds.set(refundNo, { orderId, amountFen });
      this.totals.refundsAtProvider++;
    }
    if (this.providerMode === 'ackLost') throw new ProviderDown();
  }

  /** People holding a unit of the order now: group claimers with a marker, drawn winners. */
  holdersOf(orderId: string): string[] {
    const order = this.order(orderId);
    if (order.mode === 'lottery') return order.lottery?.winners?.map((w) => w.userId) ?? [];
    return [...this.markers.values()].filter((m) => m.orderId === orderId).map((m) => m.userId);
  }

  advanceTo(iso: string): void {
    if (iso > this.now) this.now = iso;
  }

  /* ---------- the state after everything settled ---------- */

  checkSettled(): void {
    for (const order of this.orders.values()) {
      const units = this.unitsOf(order);
      if (order.status !== 'settled') this.violation(`${order.id} ended ${order.status}`);
      if (order.effects.some((e) => e.kind === 'refund' && e.status !== 'done')) this.violation(`${order.id} ended with a refund not done`);
      const batched = batchedUnitNos(order);
      let accepted = 0;
      for (let k = 0; k < order.quantity; k++) {
        const isAccepted = units.get(k)?.status === 'accepted';
        if (isAccepted === batched.has(k)) this.violation(`${order.id} unit ${k}: accepted ${isAccepted}, refunded ${batched.has(k)}`);
        if (isAccepted) accepted++;
      }
      // Handoffs + refunds = N units; the provider holds exactly the batches, each once.
      const refunded = [...this.refunds.entries()].filter(([, r]) => r.orderId === order.id);
      const expected = order.refundBatches.map((b) => [refundNoOf(order.id, b.effectId), b.amountFen] as const);
      if (JSON.stringify(refunded.map(([no, r]) => [no, r.amountFen]).sort()) !== JSON.stringify(expected.slice().sort()))
        this.violation(`${order.id}: the provider refunded ${JSON.stringify(refunded)}, the batches say ${JSON.stringify(expected)}`);
      if (accepted + batched.size !== order.quantity)
        this.violation(`${order.id}: ${accepted} handoffs + ${batched.size} refunds ≠ ${order.quantity}`);
      this.totals.unitsAccepted += accepted;
      this.totals.unitsRefunded += batched.size;
      if (order.mode === 'group') this.checkGroup(order, units);
      else this.checkLottery(order);
    }
  }

  private checkGroup(order: GroupOrder, units: Map<number, GroupUnit>): void {
    const markers = [...this.markers.values()].filter((m) => m.orderId === order.id);
    if (markers.length > order.quantity) this.violation(`${order.id}: ${markers.length} people hold a unit of ${order.quantity}`);
    const unitNos = new Set(markers.map((m) => m.unitNo));
    if (unitNos.size !== markers.length) this.violation(`${order.id}: two people's markers name one unit`);
    for (const m of markers) {
      if (units.get(m.unitNo)?.recipientId !== m.userId) this.violation(`${order.id}: ${m.userId}'s unit ${m.unitNo} is not theirs`);
      const answered = this.answeredClaims.get(personKey(order.id, m.userId));
      if (answered !== undefined && answered !== m.unitNo) this.violation(`${m.userId} was answered unit ${answered}, holds ${m.unitNo}`);
    }
    for (const [key, unitNo] of this.answeredClaims)
      if (key.startsWith(`${order.id}|`) && !this.markers.has(key)) this.violation(`${key} was answered unit ${unitNo} without a marker`);
  }

  private checkLottery(order: GroupOrder): void {
    const l = order.lottery!;
    if (!l.drawnAt || !l.winners) {
      this.violation(`${order.id} was never drawn`);
      return;
    }
    const entries = [...this.entries.values()].filter((e) => e.orderId === order.id);
    const record = publishedDraw(order, [...this.drawLists.values()]);
    const { problems } = verifyDraw(record);
    if (problems.length) this.violation(`${order.id}: the published draw does not verify: ${problems.join('; ')}`);
    const userOf = new Map(entries.map((e) => [e.entrantHash, e]));
    for (const w of l.winners) {
      const e = userOf.get(w.entrantHash);
      if (!e || e.userId !== w.userId || !(e.enteredAt < l.drawAt))
        this.violation(`${order.id}: ${w.userId} won without entering before drawAt`);
    }
    if (new Set(l.winners.map((w) => w.userId)).size !== l.winners.length) this.violation(`${order.id}: someone won twice`);
    if (l.winners.length !== Math.min(order.quantity, record.entrants.length)) this.violation(`${order.id}: not min(N, entrants) winners`);
    for (const [key, hash] of this.answeredEntries)
      if (key.startsWith(`${order.id}|`) && !record.entrants.includes(hash))
        this.violation(`${key} was told it entered but was not drawn from`);
    if (unitSlots(order).length !== l.winners.length) this.violation(`${order.id}: slots ≠ winners`);
  }
}
