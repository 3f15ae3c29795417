import type { GiverGift } from '../api';
import { dateTimeText, excerpt, yuan } from '../texts';

/** What tells one sent gift from another: when, what it said, what was paid and what came back, how it ships. */
export function GiftFacts({ gift: g, withExcerpt = false }: { gift: GiverGift; withExcerpt?: boolean }) {
  const r = g.refund && g.refund.outcome !== 'payment_closed' && g.refund.status !== 'canceled' ? g.refund : null;
  const refundText = r
    ? r.status === 'done'
      ? `已退款 ${yuan(r.amountFen)}${r.completedAt ? ` · ${dateTimeText(r.completedAt)}` : ''}`
      : r.status === 'failed' || r.providerStatus === 'abnormal' || r.providerStatus === 'closed'
        ? `退款 ${yuan(r.amountFen)} 遇到问题，客服会处理`
        : `退款中 ${yuan(r.amountFen)}`
    : null;
  const paidText = g.paidAt ? `实付 ${yuan(g.amountFen)}` : g.status === 'awaiting_payment' ? `待付 ${yuan(g.amountFen)}` : null;
  const ship = g.shipment ? [g.shipment.carrier, g.shipment.trackingNumber].filter(Boolean).join(' ') : '';
  return (
    <ul class="facts">
      <li data-fact="date">
        <time dateTime={g.sentAt ?? g.createdAt}>{dateTimeText(g.sentAt ?? g.createdAt)}</time> {g.sentAt ? '送出' : '下单'}
      </li>
      {withExcerpt ? <li data-fact="message">{g.message ? `“${excerpt(g.message, 18)}”` : '（没有留言）'}</li> : null}
      {paidText ? <li data-fact="paid">{paidText}</li> : null}
      {refundText ? (
        <li data-fact="refund" class={r?.status === 'done' ? undefined : 'warn'}>
          {refundText}
        </li>
      ) : null}
      {ship ? <li data-fact="shipment">{ship}</li> : null}
    </ul>
  );
}
