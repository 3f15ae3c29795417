/**
 * Property-based test of group orders (群发礼物) and lotteries (群礼物抽奖), fast-check over the pure in-memory model
 * of support/group-world.ts: the domain decides, the model stores one document per write (conditional insert or
 * version compare-and-set), and every store operation of every command waits for fc.scheduler(), so commands started
 * in one step interleave however the scheduler likes; any process may die between two operations.
 *
 * Commands: claims (the giver's too, the same person twice at once, a crowd at once), lottery entries across drawAt,
 * address / swap / accept / decline by holders and strangers, the cleanup (draw, deadline, refund batches), the refund
 * dispatcher (crashing after the provider answered, the provider down or losing its answers), the clock (jumps, and
 * exactly onto drawAt, the draw's due time, the 24 h deadline and a refund check, ±1 ms).
 *
 * Invariants, on every write (the model's audit) and after a final drain:
 *   ≤ N units claimed, one unit per person (a marker names a unit that carries that person, answers never change);
 *   only a person's own unit is ever acted on; no settled unit changes; a refunded unit is never accepted;
 *   only entrants before drawAt win, min(N, entrants) of them, and the published draw verifies with
 *   scripts/verify-draw.ts (winners recomputed from the seed); every entry answered 200 was drawn from;
 *   refunds + handoffs = N units per order; Σ refunded ≤ paid; ≤ 50 refunds per order, each out_refund_no asked
 *   again only with the same amount (stable across retries), and the provider holding exactly the order's batches.
 *
 * FC_SEED / FC_NUM_RUNS / FC_PATH replay or resize a run.
 */
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { AppError } from '../../shared/domain/errors';
import { drawDueAt } from '../../shared/domain/group-order';
import { DEFAULT_GROUP_POLICY, type GroupPolicy } from '../../shared/domain/group-policy';
import { addSeconds } from '../../shared/domain/time';
import { paidOrder } from '../support/group-fixtures';
import { GIVER, T0 } from '../support/memory-deps';
import {
  Crash,
  GroupWorld,
  newTotals,
  type ProviderMode,
  proc,
  REQUEST_TIMEOUT_SECONDS,
  Timeout,
  type Totals,
} from './support/group-world';

const PEOPLE = ['p0', 'p1', 'p2', 'p3', 'p4'] as const;
type UnitKind = 'address' | 'swap' | 'accept' | 'decline';
type Deadline = 'drawAt' | 'drawDue' | 'expiresAt' | 'refundCheckAt';

/** Someone by name, or `holder`: the n-th person holding a unit of that order when the command starts. */
type Who = { name: string } | { holder: number };

type Cmd =
  | { t: 'claim'; order: number; who: Who; crashAt: number | null }
  | { t: 'enter'; order: number; who: Who; crashAt: number | null }
  | { t: 'unit'; order: number; who: Who; kind: UnitKind; crashAt: number | null }
  | { t: 'sweep'; crashAt: number | null }
  | { t: 'dispatch'; crashAfterRefund: boolean }
  | { t: 'provider'; mode: ProviderMode }
  | { t: 'advance'; seconds: number }
  | { t: 'advanceTo'; order: number; deadline: Deadline; offsetMs: number };

interface OrderSpec {
  mode: 'group' | 'lottery';
  quantity: number;
  drawIn: number;
}

const orderIdx = fc.nat(2);
const person: fc.Arbitrary<Who> = fc.oneof(
  { weight: 9, arbitrary: fc.constantFrom(...PEOPLE).map((name) => ({ name })) },
  { weight: 1, arbitrary: fc.constant({ name: GIVER }) },
);
const who: fc.Arbitrary<Who> = fc.oneof(
  { weight: 3, arbitrary: person },
  { weight: 5, arbitrary: fc.nat(4).map((holder) => ({ holder })) },
);
const crashAt = fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.nat(6) });
const unitKind = fc.constantFrom<UnitKind>('address', 'address', 'swap', 'accept', 'accept', 'decline');

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ t: fc.constant('claim' as const), order: orderIdx, who: person, crashAt }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('enter' as const), order: orderIdx, who: person, crashAt }) },
  { weight: 10, arbitrary: fc.record({ t: fc.constant('unit' as const), order: orderIdx, who, kind: unitKind, crashAt }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('sweep' as const), crashAt }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('dispatch' as const), crashAfterRefund: fc.boolean() }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('provider' as const), mode: fc.constantFrom<ProviderMode>('ok', 'fail', 'ackLost') }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('advance' as const), seconds: fc.constantFrom(1, 60, 600, 3_600, 7_200) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('advanceTo' as const),
      order: orderIdx,
      deadline: fc.constantFrom<Deadline>('drawAt', 'drawDue', 'expiresAt', 'refundCheckAt'),
      offsetMs: fc.constantFrom(-1, 0, 1),
    }),
  },
);

/** Everyone (some twice) claiming or entering one order at once, maybe as its deadline passes and the cleanup runs. */
const crowd: fc.Arbitrary<Cmd[]> = fc
  .record({
    order: orderIdx,
    t: fc.constantFrom('claim' as const, 'enter' as const),
    twice: fc.subarray([...PEOPLE]),
    crashes: fc.array(crashAt, { minLength: 10, maxLength: 10 }),
    extras: fc.subarray(['sweep', 'deadline', 'drawAt'] as const),
    offsetMs: fc.constantFrom(-1, 0, 1),
  })
  .map(({ order, t, twice, crashes, extras, offsetMs }) => {
    const people = [...PEOPLE, ...twice];
    const cmds: Cmd[] = people.map((name, i) => ({ t, order, who: { name }, crashAt: crashes[i] ?? null }));
    for (const x of extras)
      cmds.push(
        x === 'sweep'
          ? { t: 'sweep', crashAt: null }
          : { t: 'advanceTo', order, deadline: x === 'deadline' ? 'expiresAt' : 'drawAt', offsetMs },
      );
    return cmds;
  });

/** How a unit usually goes (claim or enter, [draw,] address, maybe swap, accept or decline), cut short at random. */
const flow: fc.Arbitrary<Cmd[][]> = fc
  .record({
    order: orderIdx,
    name: fc.constantFrom(...PEOPLE),
    others: fc.subarray([...PEOPLE]),
    lottery: fc.boolean(),
    end: fc.constantFrom<UnitKind>('accept', 'accept', 'decline'),
    swap: fc.boolean(),
    cut: fc.integer({ min: 2, max: 6 }),
  })
  .map(({ order, name, others, lottery, end, swap, cut }) => {
    const mine = (kind: UnitKind): Cmd[] => [{ t: 'unit', order, who: { name }, kind, crashAt: null }];
    const steps: Cmd[][] = lottery
      ? [
          [name, ...others].map((n): Cmd => ({ t: 'enter', order, who: { name: n }, crashAt: null })),
          [{ t: 'advanceTo', order, deadline: 'drawDue', offsetMs: 0 }],
          [{ t: 'sweep', crashAt: null }],
        ]
      : [[{ t: 'claim', order, who: { name }, crashAt: null }]];
    steps.push(mine('address'), ...(swap ? [mine('swap')] : []), mine(end));
    return steps.slice(0, cut);
  });

/** Everyone claims a group order, then holders decline one by one with the cleanup between: the refund limit's reserve. */
const declineWave: fc.Arbitrary<Cmd[][]> = fc
  .record({ declines: fc.integer({ min: 2, max: 5 }), gap: fc.constantFrom(0, 3_600) })
  .map(({ declines, gap }) => {
    const steps: Cmd[][] = [PEOPLE.map((name): Cmd => ({ t: 'claim', order: 0, who: { name }, crashAt: null }))];
    for (let i = 0; i < declines; i++)
      steps.push(
        [{ t: 'unit', order: 0, who: { holder: i }, kind: 'decline', crashAt: null }],
        [{ t: 'sweep', crashAt: null }],
        [{ t: 'advance', seconds: gap || 1 }],
      );
    return steps;
  });

const step: fc.Arbitrary<Cmd[][]> = fc.oneof(
  { weight: 1, arbitrary: declineWave },
  { weight: 6, arbitrary: cmd.map((c) => [[c]]) },
  { weight: 3, arbitrary: fc.array(cmd, { minLength: 2, maxLength: 5 }).map((cs) => [cs]) },
  { weight: 1, arbitrary: crowd.map((cs) => [cs]) },
  { weight: 3, arbitrary: flow },
);

const orderSpec: fc.Arbitrary<OrderSpec> = fc.record({
  mode: fc.constantFrom('group' as const, 'lottery' as const),
  quantity: fc.integer({ min: 2, max: 5 }),
  drawIn: fc.constantFrom(600, 1_800),
});

/** Refund limits: WeChat Pay's 50, or 3 so that declines reach the reserve kept for the final batch; batches hourly or at once. */
const policy: fc.Arbitrary<GroupPolicy> = fc
  .record({
    maxRefundsPerOrder: fc.constantFrom(50, 3),
    refundBatchIntervalSeconds: fc.constantFrom(3_600, 0),
  })
  .map((p) => ({ ...DEFAULT_GROUP_POLICY, ...p }));

/** Every run has a group order and a lottery, and maybe a third of either kind. */
const scenario = fc.record({
  policy,
  orders: fc
    .tuple(orderSpec, orderSpec, fc.option(orderSpec, { nil: undefined }))
    .map(([a, b, c]): OrderSpec[] => [{ ...a, mode: 'group' }, { ...b, mode: 'lottery' }, ...(c ? [c] : [])]),
  steps: fc.array(step, { minLength: 4, maxLength: 20 }).map((chunks) => chunks.flat()),
});

/* ---------------- running ---------------- */

function resolve(w: GroupWorld, orderId: string, x: Who): string | null {
  if ('name' in x) return x.name;
  const holders = w.holdersOf(orderId);
  return holders.length ? holders[x.holder % holders.length]! : null;
}

/** Claims go to group orders and entries to lotteries when there are some (the wrong kind is covered by unit tests). */
function orderFor(w: GroupWorld, ids: string[], c: Cmd & { order: number }): string {
  const want = c.t === 'claim' ? 'group' : c.t === 'enter' ? 'lottery' : null;
  const fitting = want ? ids.filter((id) => w.orders.get(id)!.mode === want) : [];
  const pool = fitting.length > 0 ? fitting : ids;
  return pool[c.order % pool.length]!;
}

function start(w: GroupWorld, ids: string[], c: Cmd): Promise<unknown> {
  const orderId = 'order' in c ? orderFor(w, ids, c) : '';
  switch (c.t) {
    case 'claim':
    case 'enter':
    case 'unit': {
      const user = resolve(w, orderId, c.who);
      if (!user) return Promise.resolve('nobody holds a unit yet');
      if (c.t === 'claim') return w.claim(orderId, user, proc(c.crashAt));
      if (c.t === 'enter') return w.enter(orderId, user, proc(c.crashAt));
      return w.unitCommand(orderId, user, c.kind, proc(c.crashAt));
    }
    case 'sweep':
      return w.sweep(proc(c.crashAt));
    case 'dispatch':
      return w.dispatchRefunds(proc(), c.crashAfterRefund);
    case 'provider':
      w.providerMode = c.mode;
      return Promise.resolve();
    case 'advance':
      return tick(w, `clock +${c.seconds}s`).then(() => w.advanceTo(addSeconds(w.now, c.seconds)));
    case 'advanceTo': {
      const order = w.orders.get(orderId)!;
      const at =
        c.deadline === 'drawAt'
          ? order.lottery?.drawAt
          : c.deadline === 'drawDue'
            ? drawDueAt(order, w.policy)
            : c.deadline === 'expiresAt'
              ? order.expiresAt
              : order.refundCheckAt;
      if (!at) return Promise.resolve('no such deadline');
      return tick(w, `clock → ${c.deadline}${c.offsetMs >= 0 ? '+' : ''}${c.offsetMs}ms`).then(() =>
        w.advanceTo(new Date(Date.parse(at) + c.offsetMs).toISOString()),
      );
    }
  }
}

/** The clock moves when the scheduler says: inside a step, a deadline can pass between any two store operations. */
const schedulers = new WeakMap<GroupWorld, fc.Scheduler>();
const tick = (w: GroupWorld, label: string) => schedulers.get(w)!.schedule(Promise.resolve(), label);

async function runStep(w: GroupWorld, ids: string[], cmds: Cmd[]): Promise<void> {
  const t = w.totals;
  const running = cmds.map((c) => {
    t.commands++;
    return Promise.resolve()
      .then(() => start(w, ids, c))
      .then(
        () => void t.ok++,
        (e: unknown) => {
          if (e instanceof AppError) t.appErrors[e.code] = (t.appErrors[e.code] ?? 0) + 1;
          else if (!(e instanceof Crash) && !(e instanceof Timeout))
            w.violation(`${JSON.stringify(c)} threw ${e instanceof Error ? e.stack : String(e)}`);
        },
      );
  });
  await schedulers.get(w)!.waitIdle();
  await Promise.all(running);
}

/** A healthy provider, every deadline passed, then the cleanup and the dispatcher until every order is settled. */
async function drain(w: GroupWorld, ids: string[]): Promise<void> {
  w.providerMode = 'ok';
  for (let round = 0; round < 8; round++) {
    w.advanceTo(addSeconds(w.now, 2 * 86_400));
    await runStep(w, ids, [{ t: 'sweep', crashAt: null }]);
    await runStep(w, ids, [{ t: 'sweep', crashAt: null }]);
    await runStep(w, ids, [{ t: 'dispatch', crashAfterRefund: false }]);
    const open = [...w.orders.values()].some(
      (o) => o.status !== 'settled' || o.effects.some((e) => e.kind === 'refund' && e.status !== 'done'),
    );
    if (!open) return;
  }
}

const totals: Totals = newTotals();
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 1_000);
const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;

it('keeps the group and lottery invariants under any interleaving of claims, entries, units, draws, expiry and refunds', async () => {
  // The draw reads the entries only after every request that saw the draw open has ended.
  expect(DEFAULT_GROUP_POLICY.lotteryDrawGraceSeconds).toBeGreaterThan(REQUEST_TIMEOUT_SECONDS);
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), scenario, async (s, { policy: runPolicy, orders, steps }) => {
      const w = new GroupWorld(s, totals, runPolicy);
      schedulers.set(w, s);
      const ids = orders.map((spec, i) => {
        const order = paidOrder({ id: `g_order${i}xx`, mode: spec.mode, quantity: spec.quantity, drawInSeconds: spec.drawIn, now: T0 });
        w.addOrder(order);
        return order.id;
      });
      for (const cmds of steps) await runStep(w, ids, cmds);
      await drain(w, ids);
      w.checkSettled();
      totals.runs++;
      if (w.violations.length) throw new Error(`invariant violations:\n  ${w.violations.slice(0, 20).join('\n  ')}`);
    }),
    { numRuns: NUM_RUNS, seed: SEED, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) },
  );

  // The generators must reach every path: contention, crashes, adoption, release, draws short of N, every batch kind.
  for (const key of ['takes', 'adopts', 'conflicts', 'crashes', 'draws', 'drawsShort', 'duplicateRefundsAbsorbed'] as const)
    expect(totals[key], key).toBeGreaterThan(0);
  for (const trigger of ['declines', 'expiry', 'draw']) expect(totals.batches[trigger] ?? 0, trigger).toBeGreaterThan(0);
  for (const code of ['ALL_CLAIMED', 'DRAW_CLOSED', 'CANNOT_CLAIM_OWN_GIFT', 'NOT_RECIPIENT', 'GIFT_EXPIRED', 'ADDRESS_REQUIRED'])
    expect(totals.appErrors[code] ?? 0, code).toBeGreaterThan(0);
  expect(totals.unitsAccepted).toBeGreaterThan(0);
  expect(totals.unitsRefunded).toBeGreaterThan(0);
  expect(totals.violations).toBe(0);
});

afterAll(() => {
  if (totals.runs === 0) return;
  const { appErrors, batches, ...counts } = totals;
  console.log(
    `group orders: seed ${SEED}; ${JSON.stringify(counts)}; batches ${JSON.stringify(batches)}; errors ${JSON.stringify(appErrors)}`,
  );
});
