/**
 * The local mode's built-in receivers keep what they receive in their JSON-lines journals, not in memory: they
 * append every delivery and deduplicate by idempotency key when they list. Same answers as when they kept maps,
 * across a restart, and on journals written by the earlier versions (one full line per delivery).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedPaymentGateway } from '../../shared/adapters/simulated/simulated-payment-gateway';
import { SinkFulfillment } from '../../shared/adapters/simulated/sink-fulfillment';
import { SinkNotifier } from '../../shared/adapters/simulated/sink-notifier';
import { ChargeRefusedError } from '../../shared/ports/payments';
import { handoffOf } from '../../shared/use-cases/dispatch-effects';
import { acceptedGift } from '../support/gift-fixtures';
import { tempDataDir } from '../support/http-harness';

const tmp = tempDataDir();
afterAll(() => tmp.remove());
let seq = 0;
const file = (name: string) => join(tmp.dir, `${++seq}-${name}`);
const clock = (iso = '2026-11-24T08:00:00.000Z') => {
  let t = Date.parse(iso);
  return () => {
    t += 1000;
    return new Date(t);
  };
};

describe.each([
  ['journal on disk', () => file('fulfillments.jsonl')],
  ['journal in memory', () => null],
])('SinkFulfillment (%s)', (_, journal) => {
  it('keeps the first delivery per key and counts the repeats', async () => {
    const sink = new SinkFulfillment(journal(), clock());
    const a = handoffOf(acceptedGift('g_sink_a', 'giver', 'friend', '2026-11-24T08:00:00.000Z'));
    const b = handoffOf(acceptedGift('g_sink_b', 'giver', 'friend', '2026-11-24T08:00:00.000Z'));
    expect(await sink.handOff({ idempotencyKey: 'songli:g_sink_a:handoff', handoff: a })).toEqual({ reference: 'sink:g_sink_a' });
    await sink.handOff({ idempotencyKey: 'songli:g_sink_b:handoff', handoff: b });
    expect(await sink.handOff({ idempotencyKey: 'songli:g_sink_a:handoff', handoff: a })).toEqual({ reference: 'sink:g_sink_a' });
    const list = sink.list();
    expect(list.map((r) => [r.giftId, r.deliveries])).toEqual([
      ['g_sink_a', 2],
      ['g_sink_b', 1],
    ]);
    expect(list[0]).toMatchObject({ idempotencyKey: 'songli:g_sink_a:handoff', firstReceivedAt: '2026-11-24T08:00:01.000Z', handoff: a });
  });
});

describe('SinkFulfillment and SinkNotifier on disk', () => {
  it('list what an earlier process received, and read journals of the earlier format', async () => {
    const path = file('fulfillments.jsonl');
    const handoff = handoffOf(acceptedGift('g_old', 'giver', 'friend', '2026-11-24T08:00:00.000Z'));
    // Earlier versions appended the whole record at every delivery, with the running count.
    for (const deliveries of [1, 2, 3])
      appendFileSync(
        path,
        `${JSON.stringify({
          giftId: 'g_old',
          idempotencyKey: 'songli:g_old:handoff',
          firstReceivedAt: '2026-11-20T00:00:00.000Z',
          deliveries,
          handoff,
        })}\n`,
      );
    const sink = new SinkFulfillment(path, clock());
    await sink.handOff({ idempotencyKey: 'songli:g_old:handoff', handoff });
    expect(new SinkFulfillment(path).list()).toEqual([
      { giftId: 'g_old', idempotencyKey: 'songli:g_old:handoff', firstReceivedAt: '2026-11-20T00:00:00.000Z', deliveries: 4, handoff },
    ]);

    const notes = file('notifications.jsonl');
    const notifier = new SinkNotifier(notes, clock());
    const req = {
      idempotencyKey: 'songli:g_n:notify:gift_claimed',
      userId: 'giver',
      event: 'gift_claimed' as const,
      giftId: 'g_n',
      productTitle: '围巾',
      at: '2026-11-24T07:00:00.000Z',
    };
    await notifier.notify(req);
    await notifier.notify(req);
    await notifier.notify({ ...req, idempotencyKey: 'songli:g_n:notify:gift_accepted', event: 'gift_accepted' });
    expect(new SinkNotifier(notes).list()).toEqual([
      { ...req, at: '2026-11-24T08:00:01.000Z' },
      { ...req, idempotencyKey: 'songli:g_n:notify:gift_accepted', event: 'gift_accepted', at: '2026-11-24T08:00:03.000Z' },
    ]);
  });
});

describe.each([
  ['journal on disk', () => file('payments.jsonl')],
  ['journal in memory', () => null],
])('SimulatedPaymentGateway (%s)', (_, journal) => {
  const charge = (giftId: string, amountFen = 29_900) => ({
    idempotencyKey: `songli:${giftId}:charge`,
    giftId,
    payerId: 'giver',
    amountFen,
    description: '围巾',
  });
  const refund = (giftId: string, paymentId: string | null, amountFen = 29_900) => ({
    idempotencyKey: `songli:${giftId}:refund`,
    giftId,
    paymentId,
    chargeIdempotencyKey: `songli:${giftId}:charge`,
    amountFen,
    reason: 'declined' as const,
  });

  it('charges once per key and refunds once per key, never more than was charged', async () => {
    const pay = new SimulatedPaymentGateway(journal(), clock());
    const first = await pay.charge(charge('g_p1'));
    expect(await pay.charge(charge('g_p1', 1))).toEqual(first);
    const r1 = await pay.refund(refund('g_p1', first.paymentId, 99_999));
    expect(r1).toMatchObject({ outcome: 'refunded' });
    expect(await pay.refund(refund('g_p1', first.paymentId, 99_999))).toEqual(r1);
    expect(pay.listCharges()).toEqual([expect.objectContaining({ paymentId: first.paymentId, giftId: 'g_p1', amountFen: 29_900 })]);
    expect(pay.listRefunds()).toEqual([
      expect.objectContaining({ refundId: r1.refundId, paymentId: first.paymentId, amountFen: 29_900, requests: 2 }),
    ]);
  });

  it('refunds a charge found by its key, and closes an order that captured nothing', async () => {
    const pay = new SimulatedPaymentGateway(journal(), clock());
    const { paymentId } = await pay.charge(charge('g_p2'));
    expect(await pay.refund(refund('g_p2', null))).toMatchObject({ outcome: 'refunded' });
    expect(pay.listRefunds()).toEqual([expect.objectContaining({ giftId: 'g_p2', paymentId })]);
    expect(await pay.refund(refund('g_p3', null))).toEqual({ outcome: 'nothing_to_refund', refundId: null });
    await expect(pay.charge(charge('g_p3'))).rejects.toBeInstanceOf(ChargeRefusedError);
    expect(pay.listCharges().map((c) => c.giftId)).toEqual(['g_p2']);
  });
});

describe('SimulatedPaymentGateway on disk', () => {
  it('answers the same after a restart, also for charges journaled with random payment ids', async () => {
    const path = file('payments.jsonl');
    appendFileSync(
      path,
      `${JSON.stringify({
        type: 'charge',
        paymentId: 'pay_legacyrandom01',
        idempotencyKey: 'songli:g_old:charge',
        giftId: 'g_old',
        payerId: 'giver',
        amountFen: 100,
        at: '2026-11-20T00:00:00.000Z',
      })}\n`,
    );
    const before = new SimulatedPaymentGateway(path, clock());
    const { paymentId } = await before.charge({
      idempotencyKey: 'songli:g_new:charge',
      giftId: 'g_new',
      payerId: 'giver',
      amountFen: 200,
      description: '围巾',
    });
    await before.refund({
      idempotencyKey: 'songli:g_closed:refund',
      giftId: 'g_closed',
      paymentId: null,
      chargeIdempotencyKey: 'songli:g_closed:charge',
      amountFen: 1,
      reason: 'canceled',
    });

    const after = new SimulatedPaymentGateway(path, clock());
    expect(
      await after.charge({ idempotencyKey: 'songli:g_new:charge', giftId: 'g_new', payerId: 'giver', amountFen: 200, description: '围巾' }),
    ).toEqual({ paymentId });
    expect(
      await after.charge({ idempotencyKey: 'songli:g_old:charge', giftId: 'g_old', payerId: 'giver', amountFen: 100, description: '围巾' }),
    ).toEqual({ paymentId: 'pay_legacyrandom01' });
    await expect(
      after.charge({ idempotencyKey: 'songli:g_closed:charge', giftId: 'g_closed', payerId: 'giver', amountFen: 1, description: '围巾' }),
    ).rejects.toBeInstanceOf(ChargeRefusedError);
    const old = await after.refund({
      idempotencyKey: 'songli:g_old:refund',
      giftId: 'g_old',
      paymentId: null,
      chargeIdempotencyKey: 'songli:g_old:charge',
      amountFen: 500,
      reason: 'expired',
    });
    expect(old.outcome).toBe('refunded');
    expect(after.listRefunds()).toEqual([
      expect.objectContaining({ giftId: 'g_old', paymentId: 'pay_legacyrandom01', amountFen: 100, requests: 1 }),
    ]);
    expect(after.listCharges().map((c) => c.giftId)).toEqual(['g_old', 'g_new']);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(4); // the repeated charges wrote nothing
  });

  it('keeps the amounts of the last maxCharges charges in memory and finds older ones in the journal', async () => {
    const path = file('payments.jsonl');
    const pay = new SimulatedPaymentGateway(path, clock(), { maxCharges: 2 });
    const ids = [];
    for (const g of ['g_m1', 'g_m2', 'g_m3'])
      ids.push(
        (await pay.charge({ idempotencyKey: `songli:${g}:charge`, giftId: g, payerId: 'giver', amountFen: 100, description: '围巾' }))
          .paymentId,
      );
    expect(
      (
        await pay.refund({
          idempotencyKey: 'songli:g_m1:refund',
          giftId: 'g_m1',
          paymentId: ids[0]!,
          chargeIdempotencyKey: 'songli:g_m1:charge',
          amountFen: 500,
          reason: 'declined',
        })
      ).outcome,
    ).toBe('refunded');
    expect(
      (
        await pay.refund({
          idempotencyKey: 'songli:g_m9:refund',
          giftId: 'g_m9',
          paymentId: null,
          chargeIdempotencyKey: 'songli:g_m9:charge',
          amountFen: 100,
          reason: 'canceled',
        })
      ).outcome,
    ).toBe('nothing_to_refund');
    expect(pay.listRefunds()).toEqual([expect.objectContaining({ giftId: 'g_m1', amountFen: 100 })]);
    await expect(
      pay.charge({ idempotencyKey: 'songli:g_m9:charge', giftId: 'g_m9', payerId: 'giver', amountFen: 100, description: '围巾' }),
    ).rejects.toBeInstanceOf(ChargeRefusedError);
  });

  it('keeps the amounts of at most maxCharges charges and no records when told (deployed demo)', async () => {
    const pay = new SimulatedPaymentGateway(null, clock(), { retainRecords: false, maxCharges: 2 });
    const ids = [];
    for (const g of ['g_d1', 'g_d2', 'g_d3'])
      ids.push(
        (await pay.charge({ idempotencyKey: `songli:${g}:charge`, giftId: g, payerId: 'giver', amountFen: 100, description: '围巾' }))
          .paymentId,
      );
    expect(pay.listCharges()).toEqual([]);
    // The oldest charge is no longer known here: as when another instance took it.
    expect(
      (
        await pay.refund({
          idempotencyKey: 'songli:g_d1:refund',
          giftId: 'g_d1',
          paymentId: ids[0]!,
          chargeIdempotencyKey: 'songli:g_d1:charge',
          amountFen: 100,
          reason: 'declined',
        })
      ).outcome,
    ).toBe('nothing_to_refund');
    expect(
      (
        await pay.refund({
          idempotencyKey: 'songli:g_d3:refund',
          giftId: 'g_d3',
          paymentId: ids[2]!,
          chargeIdempotencyKey: 'songli:g_d3:charge',
          amountFen: 100,
          reason: 'declined',
        })
      ).outcome,
    ).toBe('refunded');
  });
});
