import type { Clock } from '../../ports/clock';
import type { Notice, NoticeOutcome, Notifier } from '../../ports/notifier';
import { signedRequest } from './signed-request';

/** Giver notifications (服务通知) go to the merchant, who owns the subscription-message templates. */
export class MerchantNotifier implements Notifier {
  constructor(private readonly opts: { baseUrl: string; secret: string; clock: Clock }) {}

  async notify(req: Notice): Promise<NoticeOutcome> {
    await signedRequest({
      method: 'POST',
      url: new URL('notifications', this.opts.baseUrl).href,
      secret: this.opts.secret,
      clock: this.opts.clock,
      idempotencyKey: req.idempotencyKey,
      payload: req,
    });
    return { status: 'sent' };
  }
}
