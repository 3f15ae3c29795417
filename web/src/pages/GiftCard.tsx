import { useState } from 'preact/hooks';
import { ApiError, api, type ResponseOf } from '../api';
import { claimLinkOf } from '../claim-link';
import { ActionButton } from '../components/ActionButton';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Countdown } from '../components/Countdown';
import { ErrorBanner } from '../components/ErrorBanner';
import { GiftFacts } from '../components/GiftFacts';
import { GiftMessage } from '../components/GiftSummary';
import { GroupProgress, orderStatusText } from '../components/GroupProgress';
import { LoadFailed } from '../components/LoadFailed';
import { NotFound } from '../components/NotFound';
import { PayProgress } from '../components/PayProgress';
import { WechatPaySheet } from '../components/WechatPaySheet';
import { claimTokenOf, rememberClaimToken } from '../session';
import { attrsText, dateTimeText, giverStatusText, yuan } from '../texts';
import { useLoad } from '../use-load';
import { usePayFlow } from '../use-pay-flow';
import { useTitle } from '../use-title';

type Asking = null | 'reissue' | 'cancel';

/** The giver's gift card: the claim link to share, the gift's live status, paying or canceling an unpaid one, thanks. */
export function GiftCard({ giftId }: { giftId: string }) {
  const path = `/gifts/${encodeURIComponent(giftId)}`;
  const { data, error, staleError, reload, setData } = useLoad(() => api<ResponseOf<'getGift'>>('GET', path), [giftId], 5000);
  const [token, setToken] = useState(() => claimTokenOf(giftId));
  const [note, setNote] = useState<string | null>(null);
  const [asking, setAsking] = useState<Asking>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const flow = usePayFlow();
  const gone = error instanceof ApiError && error.status === 404;
  useTitle(gone ? '找不到这份礼物' : '礼物卡');

  if (gone)
    return (
      <NotFound title="找不到这份礼物" backHref="#/sent" backLabel="我送出的礼物">
        <p>链接有误，或这份礼物不是你送出的。</p>
      </NotFound>
    );
  if (!data) return error ? <LoadFailed title="礼物卡" error={error} onRetry={reload} /> : <main aria-busy="true">加载中…</main>;
  const g = data.gift;
  const group = g.group ? { ...g, group: g.group } : null;
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
  /** Runs the confirmed action; a failure stays in the dialog, which can be confirmed again. */
  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    try {
      await work();
      setAsking(null);
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(false);
    }
  };
  const reissue = () =>
    act(async () => {
      const r = await api<ResponseOf<'reissueClaimLink'>>('POST', `${path}/claim-link`);
      rememberClaimToken(giftId, r.gift.claimToken!);
      setToken(r.gift.claimToken!);
      setData(r);
      setNote('已生成新链接，旧链接已失效。请把新链接发给朋友。');
    });
  const cancel = () =>
    act(async () => {
      try {
        setData(await api<ResponseOf<'cancelGift'>>('POST', `${path}/cancel`));
        setNote('订单已取消，礼物不会送出，也不会扣款。');
      } catch (e) {
        // Paid meanwhile (another tab, a late payment): the dialog closes on the gift as it now is, with the reason.
        if (!(e instanceof ApiError && e.code === 'GIFT_ALREADY_PAID')) throw e;
        setAsking(null);
        setNote(null);
        setActionError(e);
        await reload();
      }
    });
  const payNow = async () => {
    setNote(null);
    setActionError(null);
    await flow.payFor(g.id);
    await reload(); // paid at once (the dev provider): landing on this same card does not reload it
  };
  const closeDialog = () => {
    setAsking(null);
    setActionError(null);
  };

  return (
    <main>
      <h1>礼物卡</h1>
      <ErrorBanner error={staleError} onRetry={reload} prefix="刷新失败，显示的可能不是最新状态" />
      <section class="card gift-card" aria-label="礼物卡">
        <span class="muted" data-testid="card-from">
          {g.giverName ? `${g.giverName} 送你一份礼物` : '你的朋友送你一份礼物'}
        </span>
        <strong>{g.product.title}</strong>
        <span>{attrsText(g.sku.attrs)}</span>
        {g.message ? <GiftMessage text={g.message} /> : null}
        <p>
          状态：
          <span class="status" data-testid="gift-status">
            {group ? orderStatusText(group) : giverStatusText(g)}
          </span>
        </p>
        {g.expiresAt && (g.status === 'sent' || g.status === 'claimed') ? <Countdown until={g.expiresAt} /> : null}
        <GiftFacts gift={g} />
        {group ? <GroupProgress gift={group} /> : null}
      </section>
      {g.thanks ? (
        <section class="card thanks" aria-labelledby="thanks-title">
          <h2 id="thanks-title">朋友的感谢</h2>
          <GiftMessage text={g.thanks.message} testId="thanks-message" />
          <span class="muted">{dateTimeText(g.thanks.sentAt)}</span>
        </section>
      ) : null}
      {g.status === 'awaiting_payment' ? (
        <div>
          <p>这份礼物还没有付款，付款后才会送出领取链接。</p>
          <PayProgress state={flow.state} giftId={null} onRecheck={() => void flow.recheck().then(reload)} />
          {flow.state.step === 'sheet' ? (
            <WechatPaySheet
              order={flow.state.order}
              busy={flow.state.busy}
              error={flow.state.error}
              onConfirm={() => void flow.confirmSheet().then(reload)}
              onCancel={flow.cancelSheet}
            />
          ) : null}
          <div class="actions">
            <ActionButton class="primary" busy={flow.busy} busyLabel="支付中…" onClick={() => void payNow()}>
              去支付 {yuan(g.amountFen)}
            </ActionButton>
            <button type="button" disabled={flow.busy} onClick={() => setAsking('cancel')}>
              取消订单
            </button>
          </div>
        </div>
      ) : null}
      {g.status === 'sent' ? (
        <div>
          {link ? (
            <>
              <label for="claim-link">{group ? '领取链接（发到群里，大家用同一个链接）' : '领取链接'}</label>
              <input id="claim-link" readOnly value={link} onFocus={(e) => (e.target as HTMLInputElement).select()} />
              <div class="actions">
                <button type="button" class="primary" onClick={() => void copy()}>
                  复制链接
                </button>
                <button type="button" onClick={() => void share()}>
                  分享给朋友
                </button>
              </div>
            </>
          ) : null}
          <button type="button" class="link" onClick={() => setAsking('reissue')}>
            {link ? '链接发错了？重新生成领取链接' : '重新生成领取链接'}
          </button>
        </div>
      ) : null}
      {note ? (
        <p class="toast" role="status">
          {note}
        </p>
      ) : null}
      {asking ? null : <ErrorBanner error={actionError} />}
      {asking === 'reissue' ? (
        <ConfirmDialog
          title="重新生成领取链接？"
          confirmLabel="生成新链接"
          busyLabel="正在生成…"
          busy={busy}
          error={actionError}
          onConfirm={() => void reissue()}
          onCancel={closeDialog}
        >
          <p>生成后，之前发出的链接立即失效：已经收到旧链接的朋友将无法领取。</p>
          <p>请把新链接重新发给要送的朋友。</p>
        </ConfirmDialog>
      ) : null}
      {asking === 'cancel' ? (
        <ConfirmDialog
          title="取消这份礼物？"
          confirmLabel="确认取消"
          busyLabel="正在取消…"
          cancelLabel="再想想"
          busy={busy}
          error={actionError}
          onConfirm={() => void cancel()}
          onCancel={closeDialog}
        >
          <p>取消后礼物不会送出，也不会扣款。</p>
        </ConfirmDialog>
      ) : null}
      <p>
        <a href="#/sent">我送出的礼物</a>
      </p>
    </main>
  );
}
