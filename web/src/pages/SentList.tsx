import { api, type SentGifts } from '../api';
import { Countdown } from '../components/Countdown';
import { ErrorBanner } from '../components/ErrorBanner';
import { GiftFacts } from '../components/GiftFacts';
import { GroupProgress, orderStatusText } from '../components/GroupProgress';
import { LoadFailed } from '../components/LoadFailed';
import { getMe } from '../profile';
import { attrsText, giverStatusText } from '../texts';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';

/**
 * 我送出的礼物, refreshed every few seconds: each row tells its gift apart (when, what it said, paid, refunded, shipped).
 * Who claimed stays private, where it ships is never shown.
 */
export function SentList() {
  const { data, error, staleError, reload } = useLoad(() => api<SentGifts>('GET', '/gifts?role=sent'), [], 5000);
  const me = useLoad(getMe, []);
  useTitle('我送出的礼物');
  const name = me.data?.profile.displayName;
  if (error) return <LoadFailed title="我送出的礼物" error={error} onRetry={reload} />;
  return (
    <main>
      <h1>我送出的礼物</h1>
      {me.data ? (
        <p class="signed-as">
          {name ? (
            <>
              署名：<strong>{name}</strong> <a href="#/me">修改</a>
            </>
          ) : (
            <a href="#/me">设置你的名字，朋友会看到是谁送的</a>
          )}
        </p>
      ) : null}
      <ErrorBanner error={staleError} onRetry={reload} prefix="刷新失败，显示的可能不是最新状态" />
      {data ? null : <p aria-busy="true">加载中…</p>}
      {data && data.gifts.length === 0 ? (
        <p class="muted">
          还没有送出礼物，<a href="#/">去挑一份</a>
        </p>
      ) : null}
      <ul class="cards" aria-label="我送出的礼物">
        {data?.gifts.map((g) => (
          <li key={g.id}>
            <a class="card sent-gift" href={`#/sent/${g.id}`} data-gift-id={g.id}>
              <span class="row-top">
                <strong>{g.product.title}</strong>
                <span class="status">{g.group ? orderStatusText({ ...g, group: g.group }) : giverStatusText(g)}</span>
              </span>
              <span>
                {attrsText(g.sku.attrs)}
                {g.quantity > 1 ? ` × ${g.quantity}` : ''}
              </span>
              <GiftFacts gift={g} withExcerpt />
              {g.group ? <GroupProgress gift={{ ...g, group: g.group }} /> : null}
              {g.expiresAt && (g.status === 'sent' || g.status === 'claimed') ? <Countdown until={g.expiresAt} /> : null}
            </a>
          </li>
        ))}
      </ul>
    </main>
  );
}
