import type { Logger } from '../../ports/logger';
import type { Notice, NoticeOutcome, Notifier } from '../../ports/notifier';

/** Demo deploys: the notification is only logged (ids and event, nothing personal). */
export class LogNotifier implements Notifier {
  constructor(private readonly logger: Logger) {}
  async notify(req: Notice): Promise<NoticeOutcome> {
    this.logger.info({ giftId: req.giftId, event: req.event, idempotencyKey: req.idempotencyKey }, 'notification (demo: not delivered)');
    return { status: 'skipped', reason: 'demo: logged only' };
  }
}
