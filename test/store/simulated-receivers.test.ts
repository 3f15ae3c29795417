/**
 * The local mode's built-in receivers keep what they receive in their JSON-lines journals, not in memory: they
 * append every delivery and deduplicate by idempotency key when they list. Same answers as when they kept maps,
 * across a restart, and on journals written by the earlier versions (one full line per delivery).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DevPaymentGateway, devPaymentNotifications } from '../../shared/adapters/simulated/dev-payment-gateway';
import { SinkFulfillment } from '../../shared/adapters/simulated/sink-fulfillment';
import { SinkNotifier } from '../../shared/adapters/simulated/sink-notifier';
import { NotificationRejectedError } from '../../shared/ports/payments';
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

const order = (giftId: string, amountFen = 29_900) => ({
  orderNo: giftId,
  giftId,
  payerId: 'giver',
  amountFen,
  description: '围巾',
  expiresAt: '2026-11-24T08:30:00.000Z',
});
const refund = (giftId: string, paymentId: string, refundFen = 29_900) => ({
  refundNo: `${giftId}-refund`,
  orderNo: giftId,
  paymentId,
  totalFen: 29_900,
  refundFen,
  reason: 'declined' as const,
});

describe.each([
  ['journal on disk', () => file('payments.jsonl')],
  ['journal in memory', () => null],
])('DevPaymentGateway (%s)', (_, journal) => {
  it('pays an order once, refunds once per refund number, never more than was paid', async () => {
    const pay = new DevPaymentGateway(journal(), clock());
    const first = await pay.prepare(order('g_p1'));
    expect(first.kind).toBe('paid');
    expect(await pay.prepare(order('g_p1', 1))).toEqual(first);
    const { paymentId } = first.payment;
    expect(await pay.query('g_p1')).toEqual({ state: 'paid', payment: first.payment });
    const r1 = await pay.refund(refund('g_p1', paymentId, 99_999));
    expect(r1).toMatchObject({ status: 'succeeded', amountFen: 29_900, refundNo: 'g_p1-refund' });
    expect(await pay.refund(refund('g_p1', paymentId, 99_999))).toEqual(r1);
    expect(await pay.queryRefund('g_p1-refund')).toEqual(r1);
    expect(await pay.queryRefund('g_nope-refund')).toBeNull();
    expect(pay.listCharges()).toEqual([expect.objectContaining({ paymentId, giftId: 'g_p1', amountFen: 29_900 })]);
    expect(pay.listRefunds()).toEqual([expect.objectContaining({ refundId: r1.refundId, paymentId, amountFen: 29_900, requests: 2 })]);
  });

  it('closes an order that was never paid (a later prepare is refused), and answers paid for one that was', async () => {
    const pay = new DevPaymentGateway(journal(), clock());
    await pay.prepare(order('g_p2'));
    expect(await pay.close('g_p2')).toBe('paid');
    expect(await pay.close('g_p3')).toBe('closed');
    expect(await pay.query('g_p3')).toEqual({ state: 'closed' });
    await expect(pay.prepare(order('g_p3'))).rejects.toMatchObject({ name: 'PaymentRefusedError', code: 'ORDER_CLOSED' });
    expect(await pay.query('g_p4')).toEqual({ state: 'unpaid' });
    expect(pay.listCharges().map((c) => c.giftId)).toEqual(['g_p2']);
    await expect(devPaymentNotifications.parseNotification({ header: () => undefined, body: '{}' })).rejects.toBeInstanceOf(
      NotificationRejectedError,
    );
  });
});

describe('DevPaymentGateway on disk', () => {
  it('answers the same after a restart, also for journals of the earlier version (keyed by idempotency key)', async () => {
    const path = file('payments.jsonl');
    const legacy = [
      {
        type: 'charge',
        paymentId: 'pay_legacyrandom01',
        idempotencyKey: 'songli:g_old:charge',
        giftId: 'g_old',
        payerId: 'giver',
        amountFen: 100,
      },
      { type: 'close', idempotencyKey: 'songli:g_closed:charge', giftId: 'g_closed' },
    ];
    for (const r of legacy) appendFileSync(path, `${JSON.stringify({ ...r, at: '2026-11-20T00:00:00.000Z' })}\n`);
    const before = new DevPaymentGateway(path, clock());
    const paid = await before.prepare(order('g_new', 200));

    const after = new DevPaymentGateway(path, clock());
    expect(await after.prepare(order('g_new', 200))).toEqual(paid);
    expect(await after.query('g_old')).toMatchObject({ state: 'paid', payment: { paymentId: 'pay_legacyrandom01', amountFen: 100 } });
    await expect(after.prepare(order('g_closed'))).rejects.toMatchObject({ code: 'ORDER_CLOSED' });
    const old = await after.refund({ ...refund('g_old', 'pay_legacyrandom01', 500), totalFen: 100 });
    expect(old).toMatchObject({ status: 'succeeded', amountFen: 100 });
    expect(after.listRefunds()).toEqual([expect.objectContaining({ giftId: 'g_old', paymentId: 'pay_legacyrandom01', amountFen: 100 })]);
    expect(after.listCharges().map((c) => c.giftId)).toEqual(['g_old', 'g_new']);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(4); // the repeated prepare wrote nothing
  });

  it('keeps the last maxCharges payments in memory and finds older ones in the journal', async () => {
    const path = file('payments.jsonl');
    const pay = new DevPaymentGateway(path, clock(), { maxCharges: 2 });
    const ids: string[] = [];
    for (const g of ['g_m1', 'g_m2', 'g_m3']) {
      const p = await pay.prepare(order(g, 100));
      ids.push(p.payment.paymentId);
    }
    expect(await pay.query('g_m1')).toMatchObject({ state: 'paid', payment: { paymentId: ids[0] } });
    expect(await pay.close('g_m1')).toBe('paid');
    expect(await pay.close('g_m9')).toBe('closed');
    await expect(pay.prepare(order('g_m9'))).rejects.toMatchObject({ code: 'ORDER_CLOSED' });
  });

  it('keeps at most maxCharges payments and no records when told (deployed demo)', async () => {
    const pay = new DevPaymentGateway(null, clock(), { retainRecords: false, maxCharges: 2 });
    for (const g of ['g_d1', 'g_d2', 'g_d3']) await pay.prepare(order(g, 100));
    expect(pay.listCharges()).toEqual([]);
    // The oldest payment is no longer known here: as when another instance took it.
    expect(await pay.query('g_d1')).toEqual({ state: 'unpaid' });
    expect(await pay.query('g_d3')).toMatchObject({ state: 'paid' });
  });

  it('counts each charge and refund once by its number without journaling them (the day replay reconciles these)', async () => {
    const pay = new DevPaymentGateway(null, clock(), { retainRecords: false });
    for (const g of ['g_c1', 'g_c2', 'g_c1']) await pay.prepare(order(g, 100));
    const { paymentId } = (await pay.prepare(order('g_c2', 100))).payment;
    await pay.refund(refund('g_c2', paymentId, 100));
    await pay.refund(refund('g_c2', paymentId, 100));
    expect(pay.moneyMoved()).toEqual({ charges: 2, refunds: 1 });
    expect(pay.listCharges()).toEqual([]);
  });

  it('counts a repeat for a number it no longer holds again: a bounded reconciliation shows it, never hides it', async () => {
    const pay = new DevPaymentGateway(null, clock(), { retainRecords: false, maxCharges: 1 });
    for (const g of ['g_r1', 'g_r2']) await pay.prepare(order(g, 100));
    const { paymentId } = (await pay.prepare(order('g_r1', 100))).payment;
    expect(pay.moneyMoved()).toEqual({ charges: 3, refunds: 0 });
    await pay.refund(refund('g_r1', paymentId, 100));
    await pay.refund(refund('g_r2', paymentId, 100));
    await pay.refund(refund('g_r2', paymentId, 100));
    expect(pay.moneyMoved()).toEqual({ charges: 3, refunds: 3 });
  });
});
