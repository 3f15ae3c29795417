import { api, type GiverGift } from '../api';
import { Countdown } from '../components/Countdown';
import { ErrorBanner } from '../components/ErrorBanner';
import { attrsText, giverStatusText } from '../texts';
import { useLoad } from '../use-load';

/** 我送出的礼物, refreshed every few seconds: who claimed stays private, where it ships is never shown. */
export function SentList() {
  const { data, error } = useLoad(() => api<{ gifts: GiverGift[] }>('GET', '/gifts?role=sent'), [], 5000);
  return (
    <main>
      <h1>我送出的礼物</h1>
      <ErrorBanner error={error} />
      {data && data.gifts.length === 0 ? <p class="muted">还没有送出礼物</p> : null}
      <ul class="cards" aria-label="我送出的礼物">
        {data?.gifts.map((g) => (
          <li key={g.id}>
            <a class="card sent-gift" href={`#/sent/${g.id}`} data-gift-id={g.id}>
              <strong>{g.product.title}</strong>
              <span>{attrsText(g.sku.attrs)}</span>
              <span class="status">{giverStatusText(g)}</span>
              {g.expiresAt && (g.status === 'sent' || g.status === 'claimed') ? <Countdown until={g.expiresAt} /> : null}
            </a>
          </li>
        ))}
      </ul>
    </main>
  );
}
