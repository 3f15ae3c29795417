import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../domain/webhook-signature';
import type { Clock } from '../../ports/clock';
import type { Fulfillment, FulfillmentHandoff } from '../../ports/fulfillment';

/** Hands an accepted gift to the merchant's fulfillment endpoint: a signed POST; any non-2xx or timeout is a failure to retry. */
export class WebhookFulfillment implements Fulfillment {
  constructor(
    private readonly opts: { url: string; secret: string; clock: Clock; timeoutMs?: number },
  ) {}

  async handOff(req: { idempotencyKey: string; handoff: FulfillmentHandoff }) {
    const body = JSON.stringify({ type: 'gift.accepted', idempotencyKey: req.idempotencyKey, data: req.handoff });
    const timestamp = Math.floor(this.opts.clock.now().getTime() / 1000);
    const res = await fetch(this.opts.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': req.idempotencyKey,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(this.opts.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fulfillment webhook answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    let reference: string | null = null;
    try {
      const parsed = JSON.parse(text) as { reference?: unknown };
      if (typeof parsed.reference === 'string') reference = parsed.reference;
    } catch {
      // a 2xx without a JSON body is still an acknowledgement
    }
    return { reference };
  }
}
