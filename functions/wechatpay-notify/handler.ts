import * as contract from '../../shared/http/contract';
import { EdgeError } from '../../shared/http/edge-errors';
import { route } from '../../shared/http/route';
import { NotificationRejectedError } from '../../shared/ports/payments';
import { applyPaymentEvent } from '../../shared/use-cases/apply-payment-event';

/**
 * POST /wechatpay/notify: payment and refund notifications. Verified and checked before anything changes; 204 once
 * applied (or already applied: a replay), a FAIL answer when refused, so WeChat Pay's retries stop only when it landed.
 */
export default route(contract.wechatpayNotify, async ({ c, deps, raw }) => {
  try {
    const event = await deps.paymentNotifications.parseNotification({ header: (name) => c.req.header(name), body: raw });
    const applied = await applyPaymentEvent(deps, event);
    deps.logger.info({ type: event.type, orderNo: event.orderNo, applied }, 'payment notification');
    return { body: undefined };
  } catch (e) {
    if (!(e instanceof NotificationRejectedError)) throw e;
    deps.logger.warn({ reason: e.reason, err: e.message }, 'payment notification refused');
    const code =
      e.reason === 'mismatch' || e.reason === 'malformed' || e.reason === 'unsupported'
        ? 'WECHATPAY_NOTIFICATION_MISMATCH'
        : 'WECHATPAY_NOTIFICATION_REFUSED';
    throw new EdgeError(code, `${e.reason}: ${e.message}`);
  }
});
