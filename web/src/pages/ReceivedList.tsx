import { api, type ReceivedGift, type ReceivedGifts } from '../api';
import { claimLinkOf } from '../claim-link';
import { Countdown } from '../components/Countdown';
import { ErrorBanner } from '../components/ErrorBanner';
import { LoadFailed } from '../components/LoadFailed';
import { receivedTokenOf } from '../session';
import { attrsText, dateTimeText, receivedStatusText, shipmentText } from '../texts';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';

function Row({ g }: { g: ReceivedGift }) {
  // The card's link is known on the phone that opened it; another phone lists the gift without it.
  const token = receivedTokenOf(g.id);
  const content = (
    <>
      <span class="muted">
        {g.giverName ?? '朋友'}送的礼物{g.claimedAt ? ` · ${dateTimeText(g.claimedAt)} 领取` : ''}
      </span>
      <strong>{g.product.title}</strong>
      <span>{attrsText(g.sku.attrs)}</span>
      <span class="status">{receivedStatusText(g)}</span>
      {g.shipment ? <span data-testid="shipment">{shipmentText(g.shipment)}</span> : null}
      {g.status === 'claimed' && g.expiresAt ? <Countdown until={g.expiresAt} label="收下剩余时间" /> : null}
      {g.status === 'accepted' ? <span class="muted">{g.thanks ? '已道谢' : '还没道谢'}</span> : null}
    </>
  );
  return token ? (
    <a class="card received-gift" href={claimLinkOf(token)} data-gift-id={g.id}>
      {content}
    </a>
  ) : (
    <div class="card received-gift" data-gift-id={g.id}>
      {content}
    </div>
  );
}

/** 我收到的礼物, refreshed every few seconds: each gift's state and its shipping progress. */
export function ReceivedList() {
  const { data, error, staleError, reload } = useLoad(() => api<ReceivedGifts>('GET', '/gifts?role=received'), [], 5000);
  useTitle('我收到的礼物');
  if (error) return <LoadFailed title="我收到的礼物" error={error} onRetry={reload} />;
  return (
    <main aria-busy={data ? undefined : 'true'}>
      <h1>我收到的礼物</h1>
      <ErrorBanner error={staleError} onRetry={reload} prefix="刷新失败，列表可能不是最新的" />
      {data && data.gifts.length === 0 ? <p class="muted">还没有收到礼物</p> : null}
      {data ? null : <p>加载中…</p>}
      <ul class="cards" aria-label="我收到的礼物">
        {data?.gifts.map((g) => (
          <li key={g.id}>
            <Row g={g} />
          </li>
        ))}
      </ul>
    </main>
  );
}
