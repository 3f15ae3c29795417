/**
 * Property-based test of the gift state machine (fast-check).
 *
 * Each run generates a sequence of steps; a step is one command or several started together (a race). Commands
 * come from the giver, recipients, strangers, the cleanup (sweepOverdueGifts), the dispatchers
 * (dispatchDueEffects for handoff / refund / notify), a dispatcher process that crashes between delivering and
 * recording, the clock, the stock, and switches that make the fulfillment receiver or the payment provider fail
 * or lose their answers. Every await on a port and every CAS retry pause goes through fc.scheduler(), so the
 * commands of a step interleave in an order the scheduler chooses (and replays on failure).
 *
 * Invariants (checked on every write by the audit layer of support/gift-model.ts, on the receivers after every
 * step, and in full after a final drain):
 *   1. at most one recipient ever;            2. at most one handoff per gift at the fulfillment receiver;
 *   3. at most one refund per gift at the payment provider;   4. never both a handoff and a refund;
 *   5. no transition out of a terminal state; 6. swaps only to same-product, same-price styles;
 *   7. every expired / declined / canceled-after-charge gift ends refunded exactly once after the drain;
 *   8. every accepted gift ends handed off exactly once after the drain.
 * Anything thrown that is not an AppError (or the injected ProcessCrash of a crashing dispatcher) is a failure.
 *
 * FC_SEED / FC_NUM_RUNS / FC_PATH replay or resize a run.
 */
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { DEMO_CATALOG } from '../../shared/catalog/demo-catalog';
import { AppError } from '../../shared/domain/errors';
import type { EffectKind } from '../../shared/domain/gift';
import { acceptGift } from '../../shared/use-cases/accept-gift';
import { claimGift } from '../../shared/use-cases/claim-gift';
import { createGift } from '../../shared/use-cases/create-gift';
import { declineGift } from '../../shared/use-cases/decline-gift';
import { dispatchDueEffects } from '../../shared/use-cases/dispatch-effects';
import { payGift } from '../../shared/use-cases/pay-gift';
import { reissueClaimLink } from '../../shared/use-cases/reissue-claim-link';
import { setGiftAddress } from '../../shared/use-cases/set-address';
import { swapGiftVariant } from '../../shared/use-cases/swap-variant';
import { sweepOverdueGifts } from '../../shared/use-cases/sweep-overdue-gifts';
import { ADDRESS } from '../support/memory-deps';
import { type GiftRef, newTotals, ProcessCrash, type ReceiverMode, type RemoteKind, type Totals, World } from './support/gift-model';

const USERS = ['alice', 'bob', 'carol', 'dave'] as const;
const GIVERS = ['alice', 'bob'] as const;
const GIFT_TTL = 86_400;
const PAYMENT_TTL = 1_800;
const ALL_SKUS = [...DEMO_CATALOG.flatMap((p) => p.skus.map((s) => s.id)), 'sku_does_not_exist'];
const GIFTABLE_IN_STOCK = ['sku_scarf_blue', 'sku_scarf_grey', 'sku_scarf_long', 'sku_tea_250', 'sku_tea_250_tin'];

/* ---------------- commands ---------------- */

/** Who issues a recipient-side command: the bound recipient (if any), the giver, or a given user. */
type Actor = 'recipient' | 'giver' | (typeof USERS)[number];

type Cmd =
  | { t: 'create'; giver: number; sku: string; pay: boolean }
  | { t: 'pay'; gift: number }
  | { t: 'reissue'; gift: number }
  | { t: 'claim'; gift: number; by: Actor }
  | { t: 'address'; gift: number; by: Actor }
  | { t: 'swap'; gift: number; by: Actor; sku: string }
  | { t: 'accept'; gift: number; by: Actor }
  | { t: 'decline'; gift: number; by: Actor }
  | { t: 'advance'; seconds: number }
  | { t: 'advanceTo'; gift: number; deadline: 'expiresAt' | 'paymentDueAt'; offsetMs: number }
  | { t: 'sweep' }
  | { t: 'dispatch'; kind: EffectKind }
  | { t: 'crashDispatch'; kind: EffectKind }
  | { t: 'receiver'; which: 'fulfillment' | 'refund'; mode: ReceiverMode }
  | { t: 'stock'; sku: string; stock: number }
  | { t: 'latency'; which: RemoteKind; hops: number };

/** Which gift a command targets, counted back from the newest: mostly the newest, so gifts make progress. */
const giftIdx = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(5) });
const actor: fc.Arbitrary<Actor> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('recipient' as const) },
  { weight: 1, arbitrary: fc.constant('giver' as const) },
  { weight: 3, arbitrary: fc.constantFrom(...USERS) },
);
const claimer: fc.Arbitrary<Actor> = fc.oneof(
  { weight: 1, arbitrary: fc.constant('giver' as const) },
  { weight: 5, arbitrary: fc.constantFrom(...USERS) },
);
const createSku = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...GIFTABLE_IN_STOCK) },
  { weight: 2, arbitrary: fc.constantFrom(...ALL_SKUS) },
);
/** 0..100 000 s, with the 24 h and 30 min deadlines (and the instants next to them) hit exactly some of the time. */
const seconds = fc.oneof(
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 100_000 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 600 }) },
  { weight: 2, arbitrary: fc.constantFrom(GIFT_TTL, GIFT_TTL - 1, GIFT_TTL + 1, PAYMENT_TTL, PAYMENT_TTL - 1, 5, 60, 3_600) },
);
const effectKind = fc.constantFrom<EffectKind>('handoff', 'refund', 'notify');

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('create' as const),
      giver: fc.nat(GIVERS.length - 1),
      sku: createSku,
      pay: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('pay' as const), gift: giftIdx }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('reissue' as const), gift: giftIdx }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('claim' as const), gift: giftIdx, by: claimer }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('address' as const), gift: giftIdx, by: actor }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('swap' as const), gift: giftIdx, by: actor, sku: fc.constantFrom(...ALL_SKUS) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('accept' as const), gift: giftIdx, by: actor }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('decline' as const), gift: giftIdx, by: actor }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('advance' as const), seconds }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('advanceTo' as const),
      gift: giftIdx,
      deadline: fc.constantFrom('expiresAt' as const, 'paymentDueAt' as const),
      offsetMs: fc.constantFrom(-1, 0, 0, 1),
    }),
  },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('sweep' as const) }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('dispatch' as const), kind: effectKind }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('crashDispatch' as const), kind: fc.constantFrom<EffectKind>('handoff', 'refund') }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('receiver' as const),
      which: fc.constantFrom('fulfillment' as const, 'refund' as const),
      mode: fc.constantFrom<ReceiverMode>('ok', 'fail', 'ackLost'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('latency' as const),
      which: fc.constantFrom<RemoteKind>('charge', 'refund', 'handoff'),
      hops: fc.constantFrom(0, 0, 3, 12),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('stock' as const),
      sku: fc.constantFrom('sku_scarf_grey', 'sku_tea_250_tin', 'sku_scarf_blue'),
      stock: fc.constantFrom(0, 10),
    }),
  },
);

/** Races on one gift that matter most: the outcome commands, the cleanup and the deadline itself. */
const race: fc.Arbitrary<Cmd[]> = fc
  .tuple(
    giftIdx,
    fc.subarray(
      [
        'claimA',
        'claimB',
        'address',
        'swap',
        'accept',
        'decline',
        'sweep',
        'deadline',
        'payDeadline',
        'pay',
        'reissue',
        'dispatchRefund',
        'dispatchHandoff',
      ] as const,
      {
        minLength: 2,
        maxLength: 5,
      },
    ),
    fc.constantFrom(...USERS),
    fc.constantFrom(...USERS),
    fc.constantFrom(...ALL_SKUS),
    fc.constantFrom(-1, 0, 1),
  )
  .chain(([gift, parts, a, b, sku, offsetMs]) =>
    fc.shuffledSubarray(
      parts.map((p): Cmd => {
        switch (p) {
          case 'claimA':
            return { t: 'claim', gift, by: a };
          case 'claimB':
            return { t: 'claim', gift, by: b };
          case 'address':
            return { t: 'address', gift, by: 'recipient' };
          case 'swap':
            return { t: 'swap', gift, by: 'recipient', sku };
          case 'accept':
            return { t: 'accept', gift, by: 'recipient' };
          case 'decline':
            return { t: 'decline', gift, by: 'recipient' };
          case 'sweep':
            return { t: 'sweep' };
          case 'deadline':
            return { t: 'advanceTo', gift, deadline: 'expiresAt', offsetMs };
          case 'payDeadline':
            return { t: 'advanceTo', gift, deadline: 'paymentDueAt', offsetMs };
          case 'pay':
            return { t: 'pay', gift };
          case 'reissue':
            return { t: 'reissue', gift };
          case 'dispatchRefund':
            return { t: 'dispatch', kind: 'refund' };
          case 'dispatchHandoff':
            return { t: 'dispatch', kind: 'handoff' };
          default:
            throw new Error(`unknown step ${p satisfies never}`);
        }
      }),
      { minLength: parts.length, maxLength: parts.length },
    ),
  );

const step: fc.Arbitrary<Cmd[]> = fc.oneof(
  { weight: 6, arbitrary: cmd.map((c) => [c]) },
  { weight: 2, arbitrary: fc.array(cmd, { minLength: 2, maxLength: 4 }) },
  { weight: 2, arbitrary: race },
);

/** The way a gift usually goes (create → claim → address → maybe swap), cut at a random point, then a race on it. */
const flow: fc.Arbitrary<Cmd[][]> = fc
  .record({
    giver: fc.nat(GIVERS.length - 1),
    sku: fc.constantFrom(...GIFTABLE_IN_STOCK),
    friend: fc.constantFrom(...USERS),
    swapTo: fc.constantFrom(...ALL_SKUS),
    cut: fc.integer({ min: 1, max: 4 }),
    race,
  })
  .map(({ giver, sku, friend, swapTo, cut, race: then }) => {
    const steps: Cmd[][] = [
      [{ t: 'create', giver, sku, pay: true }],
      [{ t: 'claim', gift: 0, by: friend }],
      [{ t: 'address', gift: 0, by: 'recipient' }],
      [{ t: 'swap', gift: 0, by: 'recipient', sku: swapTo }],
    ].slice(0, cut) as Cmd[][];
    return [...steps, then.map((c) => ('gift' in c ? { ...c, gift: 0 } : c))];
  });

/** Paying across the end of the payment window, racing the cleanup and the refund dispatcher. */
const paymentRace: fc.Arbitrary<Cmd[][]> = fc
  .record({
    giver: fc.nat(GIVERS.length - 1),
    sku: fc.constantFrom(...GIFTABLE_IN_STOCK),
    offsetMs: fc.constantFrom(-1, 0, 1),
    hops: fc.integer({ min: 0, max: 16 }),
    // Arrival order is the scheduler's choice, so only which of the others take part is generated here.
    parts: fc
      .subarray(['sweep', 'dispatchRefund', 'dispatchRefund2', 'sweep2'] as const, { minLength: 1 })
      .map((xs) => ['pay' as const, 'deadline' as const, ...xs]),
  })
  .map(({ giver, sku, offsetMs, hops, parts }): Cmd[][] => [
    [{ t: 'create', giver, sku, pay: false }],
    [{ t: 'latency', which: 'charge', hops }],
    parts.map(
      (p): Cmd =>
        p === 'pay'
          ? { t: 'pay', gift: 0 }
          : p === 'deadline'
            ? { t: 'advanceTo', gift: 0, deadline: 'paymentDueAt', offsetMs }
            : p === 'sweep' || p === 'sweep2'
              ? { t: 'sweep' }
              : { t: 'dispatch', kind: 'refund' },
    ),
  ]);

/** A claimed, addressed gift at its 24 h deadline: accept, decline, the cleanup and both dispatchers at once. */
const deadlineRace: fc.Arbitrary<Cmd[][]> = fc
  .record({
    giver: fc.nat(GIVERS.length - 1),
    sku: fc.constantFrom(...GIFTABLE_IN_STOCK),
    friend: fc.constantFrom(...USERS),
    offsetMs: fc.constantFrom(-1, 0, 0, 1),
    parts: fc.shuffledSubarray(
      ['accept', 'decline', 'deadline', 'sweep', 'dispatchRefund', 'dispatchHandoff', 'swap', 'address'] as const,
      { minLength: 3 },
    ),
    swapTo: fc.constantFrom(...ALL_SKUS),
  })
  .map(({ giver, sku, friend, offsetMs, parts, swapTo }): Cmd[][] => [
    [{ t: 'create', giver, sku, pay: true }],
    [{ t: 'claim', gift: 0, by: friend }],
    [{ t: 'address', gift: 0, by: 'recipient' }],
    parts.map((p): Cmd => {
      switch (p) {
        case 'deadline':
          return { t: 'advanceTo', gift: 0, deadline: 'expiresAt', offsetMs };
        case 'sweep':
          return { t: 'sweep' };
        case 'dispatchRefund':
          return { t: 'dispatch', kind: 'refund' };
        case 'dispatchHandoff':
          return { t: 'dispatch', kind: 'handoff' };
        case 'swap':
          return { t: 'swap', gift: 0, by: 'recipient', sku: swapTo };
        default:
          return { t: p, gift: 0, by: 'recipient' };
      }
    }),
  ]);

const scenario = fc
  .array(
    fc.oneof(
      { weight: 10, arbitrary: step.map((x) => [x]) },
      { weight: 2, arbitrary: flow },
      { weight: 2, arbitrary: paymentRace },
      { weight: 1, arbitrary: deadlineRace },
    ),
    { minLength: 6, maxLength: 30 },
  )
  .map((chunks) => chunks.flat());

/* ---------------- running commands ---------------- */

function start(w: World, c: Cmd): Promise<unknown> {
  const { deps, s } = w;
  const ref = 'gift' in c ? w.gifts[w.gifts.length - 1 - (c.gift % Math.max(1, w.gifts.length))] : undefined;
  const needsGift = 'gift' in c;
  if (needsGift && !ref) return Promise.resolve('no gift yet');
  const current = ref ? w.shadow.get(ref.id) : undefined;
  // A pay call that answers 200 has sent the gift (now or before); a canceled gift must answer GIFT_CANCELED.
  const paid = (r: GiftRef, result: Awaited<ReturnType<typeof payGift>>) => {
    if (result.claimToken) r.tokens.push(result.claimToken);
    if (result.gift.status === 'awaiting_payment' || result.gift.status === 'canceled')
      w.violation(`${r.id}: pay answered 200 with a ${result.gift.status} gift`);
  };
  const who = (a: Actor): string =>
    a === 'giver' ? ref!.giverId : a === 'recipient' ? (current?.recipientId ?? USERS[(c as { gift: number }).gift % USERS.length]!) : a;

  switch (c.t) {
    case 'create': {
      const giverId = GIVERS[c.giver]!;
      return (async () => {
        const { gift } = await createGift(deps, { giverId, body: { skuId: c.sku, message: '生日快乐' } });
        const r = w.newGiftRef(gift.id, giverId);
        if (c.pay) paid(r, await payGift(deps, giverId, gift.id));
      })();
    }
    case 'pay':
      return payGift(deps, ref!.giverId, ref!.id).then((r) => paid(ref!, r));
    case 'reissue':
      return reissueClaimLink(deps, ref!.giverId, ref!.id).then(
        (g) => void ref!.tokens.push(deps.claimLinks.tokenFor(g.id, g.linkVersion!)),
      );
    case 'claim': {
      const by = who(c.by);
      return claimGift(deps, by, w.liveToken(ref!)).then((g) => {
        if (by === g.giverId) w.violation(`${g.id}: the giver's own claim succeeded`);
        if (g.recipientId !== by) w.violation(`${g.id}: claim by ${by} answered 200 but the recipient is ${g.recipientId}`);
      });
    }
    case 'address': {
      const by = who(c.by);
      return setGiftAddress(deps, by, w.liveToken(ref!), ADDRESS).then((g) => {
        if (g.recipientId !== by) w.violation(`${g.id}: ${by} set the address of ${g.recipientId}'s gift`);
      });
    }
    case 'swap': {
      const by = who(c.by);
      return swapGiftVariant(deps, by, w.liveToken(ref!), c.sku).then((g) => {
        if (g.recipientId !== by) w.violation(`${g.id}: ${by} swapped ${g.recipientId}'s gift`);
      });
    }
    case 'accept': {
      const by = who(c.by);
      return acceptGift(deps, by, w.liveToken(ref!)).then((g) => {
        if (g.recipientId !== by || g.status !== 'accepted')
          w.violation(`${g.id}: accept by ${by} answered 200 with ${g.status} for ${g.recipientId}`);
      });
    }
    case 'decline': {
      const by = who(c.by);
      return declineGift(deps, by, w.liveToken(ref!)).then((g) => {
        if (g.recipientId !== by || g.status !== 'declined')
          w.violation(`${g.id}: decline by ${by} answered 200 with ${g.status} for ${g.recipientId}`);
      });
    }
    // Time moves when the scheduler says so: inside a race, the deadline can pass between any two awaits.
    case 'advance':
      return s.schedule(Promise.resolve(), `clock +${c.seconds}s`).then(() => w.base.clock.advanceSeconds(c.seconds));
    case 'advanceTo': {
      const at = current?.[c.deadline];
      if (!at) return Promise.resolve('no deadline');
      return s.schedule(Promise.resolve(), `clock → ${c.deadline}${c.offsetMs >= 0 ? '+' : ''}${c.offsetMs}ms`).then(() => {
        const target = Date.parse(at) + c.offsetMs;
        if (target > w.base.clock.now().getTime()) w.base.clock.set(new Date(target));
      });
    }
    case 'sweep':
      return sweepOverdueGifts(deps);
    case 'dispatch':
      return dispatchDueEffects(deps, c.kind);
    case 'crashDispatch':
      return dispatchDueEffects(w.crashingProcessDeps(), c.kind).catch((e: unknown) => {
        if (!(e instanceof ProcessCrash)) throw e;
        return 'crashed';
      });
    case 'receiver':
      return s.schedule(Promise.resolve(), `${c.which} → ${c.mode}`).then(() => {
        if (c.which === 'fulfillment') w.fulfillmentMode = c.mode;
        else w.refundMode = c.mode;
      });
    case 'latency':
      return s.schedule(Promise.resolve(), `${c.which} latency ${c.hops}`).then(() => {
        w.latency[c.which] = c.hops;
      });
    case 'stock':
      return s.schedule(Promise.resolve(), `stock ${c.sku} = ${c.stock}`).then(() => w.base.catalog.setStock(c.sku, c.stock));
  }
}

const realSetTimeout = globalThis.setTimeout;

/**
 * Starts the commands of one step together and lets the scheduler interleave them until all are settled.
 * updateGift pauses with setTimeout between CAS retries; during the step that timer is a scheduled task too, so
 * the scheduler also decides who goes first after a conflict and waitIdle() sees every pending continuation.
 */
async function runStep(w: World, cmds: Cmd[]): Promise<void> {
  const t = w.totals;
  t.steps++;
  if (cmds.length > 1) t.concurrentSteps++;
  const pause = ((cb: () => void) => {
    t.retryPauses++;
    void w.s.schedule(Promise.resolve(), 'retry pause').then(cb);
    return 0;
  }) as unknown as typeof setTimeout;
  globalThis.setTimeout = pause;
  const settled: boolean[] = cmds.map(() => false);
  try {
    const running = cmds.map((c, i) => {
      t.commands++;
      // In a race every request also arrives at a moment the scheduler picks (after a clock move, say).
      const p: Promise<unknown> =
        cmds.length === 1
          ? Promise.resolve().then(() => start(w, c))
          : w.s.schedule(Promise.resolve(), `arrive ${c.t}`).then(() => start(w, c));
      return p
        .then(
          () => {
            t.ok++;
          },
          (e: unknown) => {
            if (e instanceof AppError) t.appErrors[e.code] = (t.appErrors[e.code] ?? 0) + 1;
            else w.violation(`${JSON.stringify(c)} threw a non-AppError: ${e instanceof Error ? e.stack : String(e)}`);
          },
        )
        .finally(() => {
          settled[i] = true;
        });
    });
    await w.s.waitIdle();
    const stuck = cmds.filter((_, i) => !settled[i]);
    if (stuck.length) w.violation(`commands never settled (an await outside the scheduler?): ${JSON.stringify(stuck)}`);
    else await Promise.all(running);
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  w.checkReceivers();
}

/** Healthy receivers, everything past its deadline, then cleanup + all dispatchers (racing each other) until nothing is due. */
async function drain(w: World): Promise<void> {
  await runStep(w, [
    { t: 'receiver', which: 'fulfillment', mode: 'ok' },
    { t: 'receiver', which: 'refund', mode: 'ok' },
    { t: 'latency', which: 'charge', hops: 0 },
    { t: 'latency', which: 'refund', hops: 0 },
    { t: 'latency', which: 'handoff', hops: 0 },
  ]);
  await runStep(w, [{ t: 'advance', seconds: 2 * GIFT_TTL }]);
  for (let round = 0; round < 30; round++) {
    await runStep(w, [
      { t: 'sweep' },
      { t: 'dispatch', kind: 'handoff' },
      { t: 'dispatch', kind: 'refund' },
      { t: 'dispatch', kind: 'notify' },
    ]);
    // past any lease (60 s) and the longest backoff (3 600 s)
    await runStep(w, [{ t: 'advance', seconds: 3_700 }]);
    const open = [...w.shadow.values()].some((g) => g.status === 'awaiting_payment' || g.status === 'sent' || g.status === 'claimed');
    if (!open && !w.hasPendingEffects()) return;
  }
}

/* ---------------- the property ---------------- */

const totals: Totals = newTotals();
const NUM_RUNS = Number(process.env.FC_NUM_RUNS ?? 4_000);
const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0;
let runNo = 0;
let elapsedMs = 0;

it('keeps the gift invariants under any sequence and interleaving of commands', async () => {
  const t0 = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), scenario, async (s, steps) => {
        const w = new World(s, totals, ++runNo);
        for (const cmds of steps) await runStep(w, cmds);
        w.checkDocuments();
        await drain(w);
        w.checkDocuments();
        w.checkDrained();
        w.tally();
        totals.runs++;
        totals.scheduledTasks += s.report().length;
        if (w.violations.length) throw new Error(`invariant violations:\n  ${w.violations.slice(0, 20).join('\n  ')}`);
      }),
      { numRuns: NUM_RUNS, seed: SEED, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}) },
    );
  } finally {
    elapsedMs = performance.now() - t0;
  }

  // The generators must really reach every outcome, and the scheduler must really make writers collide.
  expect(totals.versionConflicts).toBeGreaterThan(0);
  expect(totals.concurrentSteps).toBeGreaterThan(0);
  for (const status of ['accepted', 'declined', 'expired', 'canceled'] as const) expect(totals.terminal[status] ?? 0).toBeGreaterThan(0);
  expect(totals.expiredAtExactDeadline).toBeGreaterThan(0);
  expect(totals.handoffsDelivered).toBeGreaterThan(0);
  expect(totals.refundsAtProvider).toBeGreaterThan(0);
  expect(totals.duplicateDeliveriesAbsorbed).toBeGreaterThan(0);
  expect(totals.processCrashes).toBeGreaterThan(0);
  expect(totals.injectedReceiverFailures + totals.injectedLostAcks).toBeGreaterThan(0);
  for (const code of [
    'CANNOT_CLAIM_OWN_GIFT',
    'ALREADY_CLAIMED',
    'NOT_RECIPIENT',
    'VARIANT_NOT_SAME_PRICE',
    'VARIANT_NOT_SAME_PRODUCT',
    'ADDRESS_REQUIRED',
    'GIFT_EXPIRED',
    'OUT_OF_STOCK',
  ]) {
    expect(totals.appErrors[code] ?? 0, code).toBeGreaterThan(0);
  }
  expect(totals.violations).toBe(0);
});

afterAll(() => {
  if (process.env.FC_DEBUG) console.log(JSON.stringify(totals, null, 1));
  if (totals.runs === 0) return;
  const n = (x: number) => x.toLocaleString('en-US');
  const st = totals.terminal;
  const rejected = Object.values(totals.appErrors).reduce((a, b) => a + b, 0);
  console.log(
    `state machine: ${n(totals.runs)} runs, ${n(totals.commands)} commands ` +
      `(${n(totals.concurrentSteps)} concurrent steps, ${n(totals.scheduledTasks)} scheduled awaits), ` +
      `${n(totals.versionConflicts)} version conflicts, ${n(totals.violations)} invariant violations; ` +
      `accepted ${n(st.accepted ?? 0)}, declined ${n(st.declined ?? 0)}, ` +
      `expired ${n(st.expired ?? 0)} (${n(totals.expiredAtExactDeadline)} at exactly 24 h), ` +
      `canceled ${n(st.canceled ?? 0)} (${n(totals.canceledAfterCharge)} after a charge); ` +
      `${n(totals.handoffsDelivered)} handoffs, ${n(totals.refundsAtProvider)} refunds, ` +
      `${n(totals.duplicateDeliveriesAbsorbed)} duplicate deliveries absorbed by idempotency keys, ` +
      `${n(totals.injectedReceiverFailures)} receiver failures + ${n(totals.injectedLostAcks)} lost answers + ` +
      `${n(totals.processCrashes)} dispatcher crashes injected; ` +
      `${n(totals.ok)} commands succeeded, ${n(rejected)} rejected with AppError; seed ${SEED}; ${(elapsedMs / 1000).toFixed(1)} s`,
  );
});
