import type { EffectKind } from '../../shared/domain/gift';
import type { TestServer } from './http-harness';

/**
 * How many distinct deliveries of a gift's effect the local server's receivers kept, and how often they were called:
 * handoffs by the fulfillment sink, refunds by the dev payment provider, the giver's `gift_claimed` notice by the sink
 * notifier. Receivers keep the first delivery per idempotency key, as a merchant must.
 */
export function receivedEffect(t: TestServer, kind: EffectKind, giftId: string): { kept: number; calls: number } {
  if (kind === 'handoff') {
    const h = t.server.dev.fulfillmentSink!.list().filter((x) => x.giftId === giftId);
    return { kept: h.length, calls: h.reduce((n, x) => n + x.deliveries, 0) };
  }
  if (kind === 'refund') {
    const r = t.server.dev.payments!.listRefunds().filter((x) => x.giftId === giftId);
    return { kept: r.length, calls: r.reduce((n, x) => n + x.requests, 0) };
  }
  const n = t.server.dev.notifier.list().filter((x) => x.giftId === giftId && x.event === 'gift_claimed');
  return { kept: n.length, calls: n.length };
}
