import { useState } from 'preact/hooks';
import { api, type ResponseOf } from '../api';
import { claimLinkOf } from '../claim-link';
import { Countdown } from '../components/Countdown';
import { ErrorBanner } from '../components/ErrorBanner';
import { claimTokenOf, rememberClaimToken } from '../session';
import { attrsText, giverStatusText } from '../texts';
import { useLoad } from '../use-load';

/** The giver's gift card: the claim link to share, and the gift's live status. */
export function GiftCard({ giftId }: { giftId: string }) {
  const { data, error, reload } = useLoad(() => api<ResponseOf<'getGift'>>('GET', `/gifts/${giftId}`), [giftId], 5000);
  const [token, setToken] = useState(() => claimTokenOf(giftId));
  const [note, setNote] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  if (error) return <ErrorBanner error={error} />;
  if (!data) return <main aria-busy="true">加载中…</main>;
  const g = data.gift;
  // The server's live link first (it follows a reissue on another device); this device's copy otherwise.
  const live = g.claimToken ?? token;
  const link = live ? claimLinkOf(live) : null;

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      (document.getElementById('claim-link') as HTMLInputElement | null)?.select();
      document.execCommand('copy');
    }
    setNote('链接已复制，发给朋友吧');
  };
  const share = async () => {
    if (!link) return;
    if (navigator.share) {
      const data = { title: '送你一份礼物', text: g.message ?? '我送了你一份礼物', url: link };
      await navigator.share(data).catch(() => undefined);
    } else await copy();
  };
  const reissue = async () => {
    try {
      const r = await api<ResponseOf<'reissueClaimLink'>>('POST', `/gifts/${giftId}/claim-link`);
      rememberClaimToken(giftId, r.gift.claimToken!);
      setToken(r.gift.claimToken!);
      setActionError(null);
      void reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <main>
      <h1>礼物卡</h1>
      <section class="card gift-card" aria-label="礼物卡">
        <strong>{g.product.title}</strong>
        <span>{attrsText(g.sku.attrs)}</span>
        {g.message ? <blockquote>{g.message}</blockquote> : null}
        <p>
          状态：
          <span class="status" data-testid="gift-status">
            {giverStatusText(g)}
          </span>
        </p>
        {g.expiresAt && (g.status === 'sent' || g.status === 'claimed') ? <Countdown until={g.expiresAt} /> : null}
      </section>
      {g.status === 'sent' ? (
        link ? (
          <div>
            <label for="claim-link">领取链接</label>
            <input id="claim-link" readOnly value={link} onFocus={(e) => (e.target as HTMLInputElement).select()} />
            <div class="actions">
              <button type="button" class="primary" onClick={() => void copy()}>
                复制链接
              </button>
              <button type="button" onClick={() => void share()}>
                分享给朋友
              </button>
            </div>
          </div>
        ) : (
          <button type="button" onClick={() => void reissue()}>
            重新生成领取链接
          </button>
        )
      ) : null}
      {note ? (
        <p class="toast" role="status">
          {note}
        </p>
      ) : null}
      <ErrorBanner error={actionError} />
      <p>
        <a href="#/sent">我送出的礼物</a>
      </p>
    </main>
  );
}
