/**
 * Property-based test of group orders (群发礼物) and lotteries (群礼物抽奖) at the use-case level: the real use cases
 * (claim link → claimOrderUnit / enterOrderLottery / runUnitCommand / swapOrderUnit, sweepOverdueGifts,
 * dispatchDueEffects) on memory stores, every store call of every use case waiting for fc.scheduler(), so use cases
 * started together interleave at any store operation; the clock moves in between (onto drawAt, the draw's due time, the
 * 24 h deadline and a refund check, ±1 ms); the payment provider fails before acting or loses its answer after acting.
 * (test/domain/group-orders.property.test.ts checks the same invariants on a pure model; this checks the code.)
 *
 * Invariants, on every write (support/audited-group-deps.ts) and after a final drain:
 *   ≤ N units, one unit per person, a marker names a unit carrying its person; no settled unit changes status; a
 *   batched (refunded) unit is never accepted and a batch only refunds declined/expired (or unwon) units; batches only
 *   grow; Σ batches ≤ paid; ≤ the refund limit of batches. At the end: every order settled; accepted + batched = N;
 *   the provider holds exactly the order's batches (one refund per out_refund_no `<orderId>-r<n>`, the same amount on
 *   every request); one giver notice per batch; each accepted unit handed off once, no other unit at all; a lottery's
 *   winners entered before drawAt, hold their unit k, and the published draw verifies with scripts/verify-draw.ts
 *   against the commitment published at creation; a person's 200 claim answers name the unit they hold at the end.
 *
 * FC_SEED / FC_NUM_RUNS / FC_PATH replay or resize a run.
 */
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { verifyDraw } from '../../scripts/verify-draw';
import { AppError } from '../../shared/domain/errors';
import { isGroupOrder } from '../../shared/domain/gift-document';
import { drawDueAt, type GroupOrder } from '../../shared/domain/group-order';
import { DEFAULT_GROUP_POLICY, type GroupPolicy } from '../../shared/domain/group-policy';
import { publishedDraw } from '../../shared/domain/lottery-draw';
import { batchedUnitNos } from '../../shared/domain/refund-batches';
import { addSeconds } from '../../shared/domain/time';
import type { Deps } from '../../shared/ports/deps';
import { createGift } from '../../shared/use-cases/create-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { claimOrderUnit, enterOrderLottery, runUnitCommand, swapOrderUnit } from '../../shared/use-cases/group-claims';
import { payGift } from '../../shared/use-cases/pay-gift';
import { sweepOverdueGifts } from '../../shared/use-cases/sweep-overdue-gifts';
import { claimLinkCard } from '../../shared/use-cases/view-claim';
import { ADDRESS, GIVER, T0 } from '../support/memory-deps';
import { type AuditedDeps, auditedGroupDeps, type ProviderMode } from './support/audited-group-deps';

type UnitKind = 'address' | 'swap' | 'accept' | 'decline';
type Deadline = 'drawAt' | 'drawDue' | 'expiresAt' | 'refundCheckAt';
/** A person by number (mod the run's people), the giver, or the n-th holder of a unit of that order right now. */
type Who = { person: number } | { giver: true } | { holder: number };

type Cmd =
  | { t: 'claim'; order: number; who: Who }
  | { t: 'enter'; order: number; who: Who }
  | { t: 'unit'; order: number; who: Who; kind: UnitKind }
  | { t: 'sweep' }
  | { t: 'dispatch'; kind: 'refund' | 'handoff' | 'notify' }
  | { t: 'advance'; seconds: number }
  | { t: 'advanceTo'; order: number; deadline: Deadline; offsetMs: number };

const orderIdx = fc.nat(2);
const person: fc.Arbitrary<Who> = fc.oneof(
  { weight: 9, arbitrary: fc.nat(7).map((person) => ({ person })) },
  { weight: 1, arbitrary: fc.constant({ giver: true as const }) },
);
const who: fc.Arbitrary<Who> = fc.oneof(
  { weight: 3, arbitrary: person },
  { weight: 5, arbitrary: fc.nat(4).map((holder) => ({ holder })) },
);
const unitKind = fc.constantFrom<UnitKind>('address', 'address', 'swap', 'accept', 'accept', 'decline');
const advanceTo = fc.record({
  t: fc.constant('advanceTo' as const),
  order: orderIdx,
  deadline: fc.constantFrom<Deadline>('drawAt', 'drawDue', 'expiresAt', 'refundCheckAt'),
  offsetMs: fc.constantFrom(-1, 0, 1),
});

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('claim' as const), order: orderIdx, who: person }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('enter' as const), order: orderIdx, who: person }) },
  { weight: 12, arbitrary: fc.record({ t: fc.constant('unit' as const), order: orderIdx, who, kind: unitKind }) },
  { weight: 3, arbitrary: fc.constant({ t: 'sweep' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('dispatch' as const),
      kind: fc.constantFrom('refund' as const, 'handoff' as const, 'notify' as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('advance' as const), seconds: fc.constantFrom(1, 60, 600, 3_600, 7_200) }) },
  { weight: 2, arbitrary: advanceTo },
);

/** Everyone (some twice) claiming or entering one order at once, maybe as a deadline passes and the cleanup runs. */
const crowd: fc.Arbitrary<Cmd[]> = fc
  .record({
    order: orderIdx,
    t: fc.constantFrom('claim' as const, 'enter' as const),
    twice: fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]),
    giver: fc.boolean(),
    extras: fc.subarray(['sweep', 'expiresAt', 'drawAt'] as const),
    offsetMs: fc.constantFrom(-1, 0, 1),
  })
  .map(({ order, t, twice, giver, extras, offsetMs }) => {
    const cmds: Cmd[] = [0, 1, 2, 3, 4, 5, 6, 7, ...twice].map((p) => ({ t, order, who: { person: p } }));
    if (giver) cmds.push({ t, order, who: { giver: true } });
    for (const x of extras) cmds.push(x === 'sweep' ? { t: 'sweep' } : { t: 'advanceTo', order, deadline: x, offsetMs });
    return cmds;
  });

/** How a unit usually goes (claim or enter, [draw,] address, maybe swap, accept or decline), cut short at random. */
const flow: fc.Arbitrary<Cmd[][]> = fc
  .record({
    order: orderIdx,
    p: fc.nat(7),
    others: fc.subarray([0, 1, 2, 3, 4, 5, 6, 7]),
    lottery: fc.boolean(),
    end: fc.constantFrom<UnitKind>('accept', 'accept', 'decline'),
    swap: fc.boolean(),
    dispatch: fc.boolean(),
    cut: fc.integer({ min: 2, max: 7 }),
  })
  .map(({ order, p, others, lottery, end, swap, dispatch, cut }) => {
    const mine = (kind: UnitKind): Cmd[] => [{ t: 'unit', order, who: { person: p }, kind }];
    const steps: Cmd[][] = lottery
      ? [
          [p, ...others].map((n): Cmd => ({ t: 'enter', order, who: { person: n } })),
          [{ t: 'advanceTo', order, deadline: 'drawDue', offsetMs: 0 }],
          [{ t: 'sweep' }],
        ]
      : [[{ t: 'claim', order, who: { person: p } }]];
    steps.push(mine('address'), ...(swap ? [mine('swap')] : []), mine(end));
    if (dispatch) steps.push([{ t: 'sweep' }, { t: 'dispatch', kind: end === 'accept' ? 'handoff' : 'refund' }]);
    return steps.slice(0, cut);
  });

/** Holders decline one by one with the cleanup and the refund dispatcher between: several decline batches. */
const declineWave: fc.Arbitrary<Cmd[][]> = fc
  .record({ order: orderIdx, declines: fc.integer({ min: 2, max: 5 }), gap: fc.constantFrom(1, 3_600) })
  .map(({ order, declines, gap }) => {
    const steps: Cmd[][] = [[0, 1, 2, 3, 4].map((p): Cmd => ({ t: 'claim', order, who: { person: p } }))];
    for (let i = 0; i < declines; i++)
      steps.push(
        [{ t: 'unit', order, who: { holder: 0 }, kind: 'decline' }],
        [{ t: 'sweep' }, { t: 'dispatch', kind: 'refund' }],
        [{ t: 'advance', seconds: gap }],
      );
    return steps;
  });

/** Holders accept or decline as the 24 h deadline passes, while the cleanup closes slots and refunds: the last-moment race. */
const lastMinute: fc.Arbitrary<Cmd[][]> = fc
  .record({
    order: orderIdx,
    kinds: fc.array(fc.constantFrom<UnitKind>('accept', 'accept', 'decline'), { minLength: 1, maxLength: 5 }),
    offsetMs: fc.constantFrom(-1, 0, 1),
  })
  .map(({ order, kinds, offsetMs }) => [
    kinds.map((_, h): Cmd => ({ t: 'unit', order, who: { holder: h }, kind: 'address' })),
    [
      ...kinds.map((kind, h): Cmd => ({ t: 'unit', order, who: { holder: h }, kind })),
      { t: 'advanceTo', order, deadline: 'expiresAt', offsetMs },
      { t: 'sweep' },
      { t: 'dispatch', kind: 'refund' },
      { t: 'dispatch', kind: 'handoff' },
    ],
  ]);

const step: fc.Arbitrary<Cmd[][]> = fc.oneof(
  { weight: 2, arbitrary: lastMinute },
  { weight: 1, arbitrary: declineWave },
  { weight: 5, arbitrary: cmd.map((c) => [[c]]) },
  { weight: 4, arbitrary: fc.array(cmd, { minLength: 2, maxLength: 6 }).map((cs) => [cs]) },
  { weight: 1, arbitrary: crowd.map((cs) => [cs]) },
  { weight: 5, arbitrary: flow },
);

interface OrderSpec {
  mode: 'group' | 'lottery';
  quantity: number;
  drawIn: number;
}
const orderSpec: fc.Arbitrary<OrderSpec> = fc.record({
  mode: fc.constantFrom('group' as const, 'lottery' as const),
  quantity: fc.integer({ min: 2, max: 5 }),
  drawIn: fc.constantFrom(600, 1_800),
});

const policy: fc.Arbitrary<GroupPolicy> = fc
  .record({ maxRefundsPerOrder: fc.constantFrom(50, 3), refundBatchIntervalSeconds: fc.constantFrom(3_600, 0) })
  .map((p) => ({ ...DEFAULT_GROUP_POLICY, ...p }));

const provider = fc.array(fc.constantFrom<ProviderMode>('ok', 'ok', 'failBefore', 'loseAnswer'), { minLength: 1, maxLength: 6 });

const scenario = fc.record({
  policy,
  people: fc.integer({ min: 1, max: 8 }),
  provider,
  orders: fc
    .tuple(orderSpec, orderSpec, fc.option(orderSpec, { nil: undefined }))
    .map(([a, b, c]): OrderSpec[] => [{ ...a, mode: 'group' }, { ...b, mode: 'lottery' }, ...(c ? [c] : [])]),
  steps: fc.array(step, { minLength: 4, maxLength: 16 }).map((chunks) => chunks.flat()),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/* ---------------- running ---------------- */

interface Totals {
  runs: number;
  commands: number;
  ok: number;
  appErrors: Record<string, number>;
  batches: Record<string, number>;
  draws: number;
  drawsShort: number;
  unitsAccepted: number;
  unitsRefunded: number;
  conflicts: number;
  refundRetries: number;
  providerFailures: Record<string, number>;
  violations: number;
}
const totals: Totals = {
  runs: 0,
  commands: 0,
  ok: 0,
  appErrors: {},
  batches: {},
  draws: 0,
  drawsShort: 0,
  unitsAccepted: 0,
  unitsRefunded: 0,
  conflicts: 0,
  refundRetries: 0,
  providerFailures: {},
  violations: 0,
};

interface Placed {
  id: string;
  token: string;
  commitment: string | null;
}

class Run {
  /** Per order, per person: the unit number each 200 claim answered. */
  readonly answers = new Map<string, Map<string, Set<number>>>();
  constructor(
    readonly a: AuditedDeps,
    readonly s: fc.Scheduler,
    readonly orders: Placed[],
    readonly people: number,
  ) {}

  get deps(): Deps {
    return this.a.deps;
  }
  bad(msg: string) {
    this.a.audit.violations.push(msg);
  }
  async order(id: string): Promise<GroupOrder> {
    const o = await this.a.raw.store.get(id);
    if (!o || !isGroupOrder(o)) throw new Error(`no order ${id}`);
    return o;
  }
  name(w: Exclude<Who, { holder: number }>): string {
    return 'giver' in w ? GIVER : `p${w.person % this.people}`;
  }
  async resolve(orderId: string, w: Who): Promise<string | null> {
    if (!('holder' in w)) return this.name(w);
    const held = [...(await this.a.raw.groupStore.listUnits(orderId)).values()].flatMap((u) => (u.recipientId ? [u.recipientId] : []));
    return held.length ? held[w.holder % held.length]! : null;
  }
  /** Claims go to group orders and entries to lotteries (the other kind's refusals are covered by unit and HTTP tests). */
  pick(c: { t: string; order: number }): Placed {
    const want = c.t === 'claim' ? 'group' : c.t === 'enter' ? 'lottery' : null;
    const fitting = want ? this.orders.filter((o) => this.modes.get(o.id) === want) : [];
    const pool = fitting.length > 0 ? fitting : this.orders;
    return pool[c.order % pool.length]!;
  }
  readonly modes = new Map<string, string>();

  /** The claim link's path: find the order by token, then the use case on it. */
  onOrder<T>(p: Placed, caller: string, run: (o: GroupOrder) => Promise<T>): Promise<T> {
    let out: T;
    return claimLinkCard(this.deps, caller, p.token, {
      gift: () => Promise.reject(new Error('a 1:1 gift behind a group link')),
      order: async (o) => {
        out = await run(o);
        return out as never;
      },
    }).then(() => out);
  }

  async start(c: Cmd): Promise<unknown> {
    const clock = this.a.raw.clock;
    switch (c.t) {
      case 'claim':
      case 'enter':
      case 'unit': {
        const p = this.pick(c);
        const user = await this.resolve(p.id, c.who);
        if (!user) return 'nobody holds a unit yet';
        if (c.t === 'claim') {
          const view = await this.onOrder(p, user, (o) => claimOrderUnit(this.deps, o, user));
          if (!view.unit) return this.bad(`${p.id}: a 200 claim of ${user} without a unit`);
          const mine = this.answers.get(p.id) ?? new Map<string, Set<number>>();
          this.answers.set(p.id, mine.set(user, (mine.get(user) ?? new Set()).add(view.unit.unitNo)));
          return view;
        }
        if (c.t === 'enter') return this.onOrder(p, user, (o) => enterOrderLottery(this.deps, o, user));
        if (c.kind === 'swap')
          return this.onOrder(p, user, (o) => swapOrderUnit(this.deps, o, user, user.endsWith('3') ? 'sku_scarf_red' : 'sku_scarf_grey'));
        const command = c.kind === 'address' ? { kind: 'address' as const, address: ADDRESS } : { kind: c.kind };
        return this.onOrder(p, user, (o) => runUnitCommand(this.deps, o, user, command));
      }
      case 'sweep':
        return sweepOverdueGifts(this.deps);
      case 'dispatch':
        return dispatchDueEffects(this.deps, c.kind);
      case 'advance':
        await this.s.schedule(Promise.resolve(), `clock +${c.seconds}s`);
        return clock.set(addSeconds(clock.now().toISOString(), c.seconds));
      case 'advanceTo': {
        await this.s.schedule(Promise.resolve(), `clock → ${c.deadline}${c.offsetMs}`);
        const o = await this.order(this.pick(c).id);
        const at = {
          drawAt: o.lottery?.drawAt,
          drawDue: drawDueAt(o, this.deps.groupPolicy) ?? o.lottery?.drawDueAt,
          expiresAt: o.expiresAt,
          refundCheckAt: o.refundCheckAt,
        }[c.deadline];
        if (!at) return 'no such deadline';
        const target = Date.parse(at) + c.offsetMs;
        if (target > clock.now().getTime()) clock.set(new Date(target));
        return target;
      }
    }
  }

  async step(cmds: Cmd[]): Promise<void> {
    const running = cmds.map((c) => {
      totals.commands++;
      return Promise.resolve()
        .then(() => this.start(c))
        .then(
          () => void totals.ok++,
          (e: unknown) => {
            if (e instanceof AppError) totals.appErrors[e.code] = (totals.appErrors[e.code] ?? 0) + 1;
            else this.bad(`${JSON.stringify(c)} threw ${e instanceof Error ? e.stack : String(e)}`);
          },
        );
    });
    // waitFor, not waitIdle: a use case may await something unscheduled (a timer) before its next store call.
    await this.s.waitFor(Promise.all(running));
  }

  /** A healthy provider, every deadline passed, then the cleanup and the dispatchers until nothing is left to do. */
  async drain(): Promise<void> {
    this.a.control.live = false;
    this.a.setProvider(['ok']);
    const clock = this.a.raw.clock;
    for (let round = 0; round < 10; round++) {
      clock.set(addSeconds(clock.now().toISOString(), 2 * 86_400));
      for (const c of [
        { t: 'sweep' },
        { t: 'sweep' },
        ...(['refund', 'handoff', 'notify'] as const).map((kind) => ({ t: 'dispatch', kind })),
      ])
        await this.start(c as Cmd).catch((e: unknown) => this.bad(`drain ${JSON.stringify(c)} threw ${String(e)}`));
      let open = false;
      for (const p of this.orders) {
        const o = await this.order(p.id);
        const units = await this.a.raw.groupStore.listUnits(p.id);
        if (o.status !== 'settled' || o.effects.some((e) => e.status === 'pending')) open = true;
        for (const u of units.values()) if (u.effects.some((e) => e.kind === 'handoff' && e.status === 'pending')) open = true;
      }
      if (!open) return;
    }
    this.bad('the drain did not settle every order and effect');
  }

  async checkEnd(): Promise<void> {
    const { raw, audit } = this.a;
    const requests = new Map<string, Set<string>>();
    for (const r of audit.refundRequests) {
      const seen = requests.get(r.refundNo) ?? new Set<string>();
      requests.set(r.refundNo, seen.add(`${r.refundFen}/${r.totalFen}/${r.orderNo}`));
    }
    for (const [no, shapes] of requests) if (shapes.size !== 1) this.bad(`${no} asked with different numbers: ${[...shapes].join(' ')}`);
    const provider = raw.payments.listRefunds();
    totals.refundRetries += provider.filter((r) => r.requests > 1).length;
    const handoffs = raw.sink.list();
    const notices = raw.notifier.list();
    for (const p of this.orders) {
      const o = await this.order(p.id);
      const where = `${o.id} (${o.mode}, N=${o.quantity})`;
      const units = await raw.groupStore.listUnits(o.id);
      const batched = batchedUnitNos(o);
      const accepted = [...units.values()].filter((u) => u.status === 'accepted');
      totals.unitsAccepted += accepted.length;
      totals.unitsRefunded += batched.size;
      for (const b of o.refundBatches) totals.batches[b.trigger] = (totals.batches[b.trigger] ?? 0) + 1;
      if (o.status !== 'settled') this.bad(`${where}: ended ${o.status}`);
      if (accepted.some((u) => batched.has(u.unitNo))) this.bad(`${where}: a unit both accepted and refunded`);
      if (accepted.length + batched.size !== o.quantity) this.bad(`${where}: ${accepted.length} accepted + ${batched.size} refunded`);
      const holders = [...units.values()].flatMap((u) => (u.recipientId ? [u.recipientId] : []));
      if (new Set(holders).size !== holders.length) this.bad(`${where}: someone holds two units: ${holders.join(',')}`);
      if (holders.includes(GIVER)) this.bad(`${where}: the giver holds a unit`);
      if (o.effects.some((e) => e.status !== 'done' && e.status !== 'canceled')) this.bad(`${where}: an effect not done`);

      // Money: the provider holds exactly the batches, once each, never more than was paid.
      const mine = provider.filter((r) => r.orderNo === o.id);
      const got = mine.map((r) => `${r.refundNo}=${r.amountFen}`).sort();
      const want = o.refundBatches.map((b) => `${o.id}-r${b.batchNo}=${b.amountFen}`).sort();
      if (JSON.stringify(got) !== JSON.stringify(want)) this.bad(`${where}: provider refunds ${got} but batches ${want}`);
      const refunded = o.refundBatches.reduce((s, b) => s + b.amountFen, 0);
      if (refunded !== batched.size * o.priceFen || refunded > (o.payment?.amountFen ?? 0)) this.bad(`${where}: refunded ${refunded}`);
      if (o.refundBatches.length > Math.min(50, this.deps.groupPolicy.maxRefundsPerOrder)) this.bad(`${where}: too many batches`);
      const refundedNotices = notices.filter((n) => n.giftId === o.id && n.event === 'gift_refunded');
      if (refundedNotices.length !== o.refundBatches.length) this.bad(`${where}: ${refundedNotices.length} refunded notices`);

      // Parcels: each accepted unit handed off once, nothing else.
      const sent = handoffs.filter((h) => h.giftId.startsWith(`${o.id}-u`));
      const keys = new Set(sent.map((h) => h.idempotencyKey));
      if (keys.size !== sent.length) this.bad(`${where}: a handoff key twice in the list`);
      const shipped = sent.map((h) => h.giftId).sort();
      if (JSON.stringify(shipped) !== JSON.stringify(accepted.map((u) => u.id).sort())) this.bad(`${where}: handoffs ${shipped}`);

      if (o.mode === 'group') {
        for (const [user, answered] of this.answers.get(o.id) ?? []) {
          const marker = await raw.groupStore.getMarker(o.id, user);
          const unit = marker ? units.get(marker.unitNo) : undefined;
          if (!marker || unit?.recipientId !== user) this.bad(`${where}: ${user} was answered 200 but holds no unit`);
          if (answered.size !== 1 || !marker || !answered.has(marker.unitNo))
            this.bad(`${where}: ${user} answered units ${[...answered]} but holds ${marker?.unitNo}`);
        }
        for (let i = 0; i < this.people; i++) {
          const marker = await raw.groupStore.getMarker(o.id, `p${i}`);
          if (marker && units.get(marker.unitNo)?.recipientId !== `p${i}`) this.bad(`${where}: p${i}'s marker names another's unit`);
        }
        continue;
      }
      // The lottery: drawn fairly from entrants before drawAt, each winner on their unit.
      const l = o.lottery!;
      if (!l.drawnAt || !l.winners) {
        this.bad(`${where}: never drawn`);
        continue;
      }
      if (l.commitment !== p.commitment) this.bad(`${where}: the commitment changed`);
      totals.draws++;
      if (l.winners.length < o.quantity) totals.drawsShort++;
      if (l.winners.length !== Math.min(o.quantity, l.entrantCount ?? 0)) this.bad(`${where}: ${l.winners.length} winners`);
      const record = publishedDraw(o, await raw.groupStore.listDrawChunks(o.id, l.entrantsDigest!));
      const { problems } = verifyDraw(record);
      if (problems.length) this.bad(`${where}: the draw does not verify: ${problems.join('; ')}`);
      for (const [k, w] of l.winners.entries()) {
        const entry = await raw.groupStore.getEntry(o.id, w.userId);
        if (!entry || entry.enteredAt >= l.drawAt || entry.entrantHash !== w.entrantHash)
          this.bad(`${where}: winner ${w.userId} did not enter in time`);
        const u = units.get(k);
        if (u?.recipientId && u.recipientId !== w.userId) this.bad(`${where}: unit ${k} held by ${u.recipientId}, won by ${w.userId}`);
      }
      for (const [k, u] of units)
        if (k >= l.winners.length && u.recipientId) this.bad(`${where}: unwon unit ${k} held by ${u.recipientId}`);
    }
  }
}

async function placeOrders(a: AuditedDeps, specs: OrderSpec[]): Promise<Placed[]> {
  const deps = a.raw;
  const out: Placed[] = [];
  for (const spec of specs) {
    const body = {
      skuId: 'sku_scarf_blue',
      message: null,
      mode: spec.mode,
      quantity: spec.quantity,
      ...(spec.mode === 'lottery' ? { drawAt: addSeconds(deps.clock.now().toISOString(), spec.drawIn) } : {}),
    };
    const { gift } = await createGift(deps, { giverId: GIVER, body });
    const paid = await payGift(deps, GIVER, gift.id);
    if (!paid.claimToken) throw new Error('no claim link after paying');
    const o = (await deps.store.get(gift.id)) as GroupOrder;
    out.push({ id: gift.id, token: paid.claimToken, commitment: o.lottery?.commitment ?? null });
  }
  return out;
}

const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 300);
const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;

async function runScenario(s: fc.Scheduler, sc: Scenario): Promise<string[]> {
  const a = auditedGroupDeps({ groupPolicy: sc.policy, start: T0 }, Math.min(50, sc.policy.maxRefundsPerOrder));
  const placed = await placeOrders(a, sc.orders);
  const run = new Run(a, s, placed, sc.people);
  for (const [i, p] of placed.entries()) run.modes.set(p.id, sc.orders[i]!.mode);
  a.control.scheduler = s;
  a.control.live = true;
  a.setProvider(sc.provider);
  for (const cmds of sc.steps) await run.step(cmds);
  await run.drain();
  await run.checkEnd();
  totals.conflicts += a.audit.conflicts;
  for (const [k, v] of Object.entries(a.audit.providerFailures)) totals.providerFailures[k] = (totals.providerFailures[k] ?? 0) + v;
  totals.runs++;
  totals.violations += a.audit.violations.length;
  return a.audit.violations;
}

it(
  'keeps the group and lottery invariants when the real use cases interleave with the cleanup, dispatchers and a flaky provider',
  async () => {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenario, async (s, sc) => {
        const violations = await runScenario(s, sc);
        if (violations.length) throw new Error(`invariant violations:\n  ${violations.slice(0, 20).join('\n  ')}`);
      }),
      { numRuns: NUM_RUNS, seed: SEED, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) },
    );
    // The generators must reach every path: contention, draws short of N, every batch kind, retried refunds.
    for (const key of ['conflicts', 'draws', 'drawsShort', 'unitsAccepted', 'unitsRefunded', 'refundRetries'] as const)
      expect(totals[key], key).toBeGreaterThan(0);
    for (const trigger of ['declines', 'expiry', 'draw']) expect(totals.batches[trigger] ?? 0, trigger).toBeGreaterThan(0);
    for (const code of ['ALL_CLAIMED', 'DRAW_CLOSED', 'CANNOT_CLAIM_OWN_GIFT', 'NOT_RECIPIENT', 'GIFT_EXPIRED', 'ADDRESS_REQUIRED'])
      expect(totals.appErrors[code] ?? 0, code).toBeGreaterThan(0);
    expect(totals.providerFailures.failBefore ?? 0).toBeGreaterThan(0);
    expect(totals.providerFailures.loseAnswer ?? 0).toBeGreaterThan(0);
    expect(totals.violations).toBe(0);
  },
  Math.max(120_000, NUM_RUNS * 100),
);

afterAll(() => {
  if (totals.runs === 0) return;
  const { appErrors, batches, providerFailures, ...counts } = totals;
  console.log(
    `group use cases: seed ${SEED}; ${JSON.stringify(counts)}; batches ${JSON.stringify(batches)}; ` +
      `provider ${JSON.stringify(providerFailures)}; errors ${JSON.stringify(appErrors)}`,
  );
});
