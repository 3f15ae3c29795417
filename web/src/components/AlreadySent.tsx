import type { GiverGift } from '../api';
import { attrsText, giverStatusText } from '../texts';
import { GiftFacts } from './GiftFacts';
import { GiftMessage } from './GiftSummary';
import { orderStatusText } from './GroupProgress';

/**
 * Back on 确认礼物 after paying: the gift that was sent, a way to its card, and a deliberate 再送一份 (a new order),
 * instead of an empty form that would pay for a second gift.
 */
export function AlreadySent({ gift: g, onAgain }: { gift: GiverGift; onAgain: () => void }) {
  return (
    <main>
      <h1>确认礼物</h1>
      <section class="notice" role="status" aria-labelledby="already-sent-title">
        <h2 id="already-sent-title">这份礼物已经送出</h2>
        <p>
          {g.product.title} · {attrsText(g.sku.attrs)}
          {g.quantity > 1 ? ` × ${g.quantity}` : ''} ·{' '}
          <span class="status">{g.group ? orderStatusText({ ...g, group: g.group }) : giverStatusText(g)}</span>
        </p>
        {g.message ? <GiftMessage text={g.message} /> : null}
        <GiftFacts gift={g} />
        <p class="muted">已经付过款，返回这一页不会再次扣款。</p>
        <div class="actions">
          <a class="button-link primary" href={`#/sent/${encodeURIComponent(g.id)}`}>
            查看礼物卡
          </a>
          <button type="button" onClick={onAgain}>
            再送一份
          </button>
        </div>
      </section>
    </main>
  );
}
