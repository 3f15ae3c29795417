import type { Fulfillment, FulfillmentHandoff } from '../../ports/fulfillment';
import { JsonlJournal } from './jsonl-journal';

export interface ReceivedHandoff {
  giftId: string;
  idempotencyKey: string;
  firstReceivedAt: string;
  /** Deliveries carrying this key; the first is kept, repeats are acknowledged and dropped. */
  deliveries: number;
  handoff: FulfillmentHandoff;
}

/** Built-in fulfillment receiver for local mode when FULFILLMENT_WEBHOOK_URL is unset; behaves like a well-built merchant endpoint. */
export class SinkFulfillment implements Fulfillment {
  private readonly received = new Map<string, ReceivedHandoff>();
  private readonly journal: JsonlJournal<ReceivedHandoff>;

  constructor(
    file: string | null,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.journal = new JsonlJournal(file);
    for (const r of this.journal.load()) this.received.set(r.idempotencyKey, r);
  }

  async handOff(req: { idempotencyKey: string; handoff: FulfillmentHandoff }) {
    let record = this.received.get(req.idempotencyKey);
    if (record) record.deliveries++;
    else {
      record = {
        giftId: req.handoff.giftId,
        idempotencyKey: req.idempotencyKey,
        firstReceivedAt: this.now().toISOString(),
        deliveries: 1,
        handoff: req.handoff,
      };
      this.received.set(req.idempotencyKey, record);
    }
    this.journal.append(record);
    return { reference: `sink:${req.handoff.giftId}` };
  }

  list(): ReceivedHandoff[] {
    return [...this.received.values()];
  }
}
