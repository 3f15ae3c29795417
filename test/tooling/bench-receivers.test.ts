import { describe, expect, it } from 'vitest';
import { TallyFulfillment, TallyNotifier } from '../../bench/lib/tally-receivers';
import type { FulfillmentHandoff } from '../../shared/ports/fulfillment';

// The day replay reconciles its handoffs against these counts: a repeat must not pass for a second handoff.
describe("the benchmarks' tally receivers", () => {
  it('count each handoff key once and the repeated deliveries apart', async () => {
    const sink = new TallyFulfillment();
    const handoff = (giftId: string) => ({ idempotencyKey: `songli:${giftId}:handoff`, handoff: { giftId } as FulfillmentHandoff });
    expect(await sink.handOff(handoff('g_1'))).toEqual({ reference: 'sink:g_1' });
    await sink.handOff(handoff('g_2'));
    await sink.handOff(handoff('g_1'));
    expect({ received: sink.received, repeats: sink.repeats }).toEqual({ received: 2, repeats: 1 });
  });

  it('count the notices sent', async () => {
    const notices = new TallyNotifier();
    expect(await notices.notify({} as never)).toEqual({ status: 'sent' });
    expect({ sent: notices.sent, repeats: notices.repeats }).toEqual({ sent: 1, repeats: null });
  });

  it('keyed, count the notices sent again under a key already sent', async () => {
    const notices = new TallyNotifier({ keyed: true });
    const notice = (key: string) => ({ idempotencyKey: key }) as never;
    await notices.notify(notice('songli:g_1:notify:gift_claimed'));
    await notices.notify(notice('songli:g_2:notify:gift_claimed'));
    await notices.notify(notice('songli:g_1:notify:gift_claimed'));
    await notices.notify(notice('songli:g_1:notify:gift_claimed'));
    expect({ sent: notices.sent, repeats: notices.repeats }).toEqual({ sent: 4, repeats: 2 });
  });
});
