import { iso } from '../../domain/time';
import type { Fulfillment, FulfillmentHandoff } from '../../ports/fulfillment';
import { firstPerKey, JsonlJournal } from './jsonl-journal';

export interface ReceivedHandoff {
  giftId: string;
  idempotencyKey: string;
  firstReceivedAt: string;
  /** Deliveries carrying this key; the first is kept, repeats are acknowledged and dropped. */
  deliveries: number;
  handoff: FulfillmentHandoff;
}

/**
 * Built-in fulfillment receiver for local mode when FULFILLMENT_WEBHOOK_URL is unset; behaves like a well-built
 * merchant endpoint. Every delivery is appended to its journal and nothing is kept in memory: list() reads the
 * journal back and keeps the first delivery per idempotency key, counting the repeats.
 */
export class SinkFulfillment implements Fulfillment {
  private readonly journal: JsonlJournal<ReceivedHandoff>;

  constructor(
    file: string | null,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.journal = new JsonlJournal(file);
  }

  async handOff(req: { idempotencyKey: string; handoff: FulfillmentHandoff }) {
    this.journal.append({
      giftId: req.handoff.giftId,
      idempotencyKey: req.idempotencyKey,
      firstReceivedAt: iso(this.now()),
      deliveries: 1,
      handoff: req.handoff,
    });
    return { reference: `sink:${req.handoff.giftId}` };
  }

  /** What was received, deduplicated by idempotency key (journals written before kept one line per delivery too). */
  list(): ReceivedHandoff[] {
    return firstPerKey(this.journal.load(), (r) => r.idempotencyKey).map(({ first, count }) => ({ ...first, deliveries: count }));
  }
}
