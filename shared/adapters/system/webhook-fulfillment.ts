import type { Clock } from '../../ports/clock';
import type { Fulfillment, FulfillmentHandoff } from '../../ports/fulfillment';
import { signedRequest } from '../merchant/signed-request';

/** Hands an accepted gift to the merchant's fulfillment endpoint: a signed POST; any non-2xx or timeout is a failure to retry. */
export class WebhookFulfillment implements Fulfillment {
  constructor(private readonly opts: { url: string; secret: string; clock: Clock; timeoutMs?: number }) {}

  async handOff(req: { idempotencyKey: string; handoff: FulfillmentHandoff }) {
    const answer = await signedRequest<{ reference?: unknown }>({
      method: 'POST',
      url: this.opts.url,
      secret: this.opts.secret,
      clock: this.opts.clock,
      idempotencyKey: req.idempotencyKey,
      payload: { type: 'gift.accepted', idempotencyKey: req.idempotencyKey, data: req.handoff },
      timeoutMs: this.opts.timeoutMs,
    });
    return { reference: typeof answer?.reference === 'string' ? answer.reference : null };
  }
}
