import { iso } from '../../domain/time';
import type { Notice, NoticeOutcome, Notifier } from '../../ports/notifier';
import { firstPerKey, JsonlJournal } from './jsonl-journal';

export interface ReceivedNotification {
  idempotencyKey: string;
  userId: string;
  event: string;
  giftId: string;
  productTitle: string;
  at: string;
}

/**
 * Local mode's notification channel: records what the giver would be told (服务通知 in production). Appends every
 * call to its journal and keeps nothing in memory; list() keeps the first notification per idempotency key.
 */
export class SinkNotifier implements Notifier {
  private readonly journal: JsonlJournal<ReceivedNotification>;

  constructor(
    file: string | null,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.journal = new JsonlJournal(file);
  }

  async notify(req: Notice): Promise<NoticeOutcome> {
    this.journal.append({
      idempotencyKey: req.idempotencyKey,
      userId: req.userId,
      event: req.event,
      giftId: req.giftId,
      productTitle: req.productTitle,
      at: iso(this.now()),
    });
    return { status: 'sent' };
  }

  list(): ReceivedNotification[] {
    return firstPerKey(this.journal.load(), (r) => r.idempotencyKey).map(({ first }) => first);
  }
}
