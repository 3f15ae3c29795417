import type { NotificationEvent } from '../domain/gift';

/** Tells the giver what happened to a gift. Payloads never carry the recipient's address. */
export interface Notifier {
  notify(req: { idempotencyKey: string; userId: string; event: NotificationEvent; giftId: string; productTitle: string }): Promise<void>;
}
