import type { Notifier } from '../../ports/notifier';
import { JsonlJournal } from './jsonl-journal';

export interface ReceivedNotification {
  idempotencyKey: string;
  userId: string;
  event: string;
  giftId: string;
  productTitle: string;
  at: string;
}

/** Local mode's notification channel: records what the giver would be told (服务通知 in production). */
export class SinkNotifier implements Notifier {
  private readonly sent = new Map<string, ReceivedNotification>();
  private readonly journal: JsonlJournal<ReceivedNotification>;

  constructor(
    file: string | null,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.journal = new JsonlJournal(file);
    for (const r of this.journal.load()) this.sent.set(r.idempotencyKey, r);
  }

  async notify(req: Parameters<Notifier['notify']>[0]) {
    if (this.sent.has(req.idempotencyKey)) return;
    const record = { ...req, at: this.now().toISOString() };
    this.sent.set(req.idempotencyKey, record);
    this.journal.append(record);
  }

  list(): ReceivedNotification[] {
    return [...this.sent.values()];
  }
}
