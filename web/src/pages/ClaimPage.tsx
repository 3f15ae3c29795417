import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type ClaimCard, type ResponseOf } from '../api';
import { pageHref } from '../claim-link';
import { ActionButton } from '../components/ActionButton';
import { AddressForm, draftOf, inputOf } from '../components/AddressForm';
import { ClaimLinkGone } from '../components/ClaimLinkGone';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { useTimeUp } from '../components/Countdown';
import { DrawVerification } from '../components/DrawVerification';
import { ErrorBanner } from '../components/ErrorBanner';
import { countdownVisible, GiftMessage, GiftSummary } from '../components/GiftSummary';
import { GroupOwnNotice, GroupTake, LotteryPanel, OwnUnitLine } from '../components/GroupClaim';
import { LoadFailed } from '../components/LoadFailed';
import { Notice } from '../components/Notice';
import { OwnGiftNotice, ownGiftTitle } from '../components/OwnGiftNotice';
import { ThanksForm } from '../components/ThanksForm';
import { useClaimDraft } from '../drafts';
import { loadRegionTables } from '../region-tables';
import { rememberReceivedToken } from '../session';
import { attrsText, receivedStatusText, shipmentText } from '../texts';
import { useActions } from '../use-actions';
import { useLoad } from '../use-load';
import { useTitle } from '../use-title';

type CardBody = ResponseOf<'viewClaim'>;

const isValidation = (e: unknown) => e instanceof ApiError && e.code === 'VALIDATION_FAILED';

/** 收下礼物 sends the form as `address`: its issues (`address.phone`) are the form's fields (`phone`), as a save's are. */
const asFormError = (e: ApiError) =>
  new ApiError(
    e.status,
    e.code,
    e.message,
    e.issues.map((i) => ({ ...i, path: i.path.replace(/^address\./, '') })),
  );

const ShippingAddress = ({ a }: { a: NonNullable<ClaimCard['address']> }) => (
  <address>
    {a.name} {a.phone.replace(/^\+86/, '')}
    <br />
    {a.province} {a.city} {a.district} {a.detail}
  </address>
);

/**
 * The card's state in a few words, for the friend or a stranger: the page's heading (and title) when there is nothing
 * left to do on it. The giver's own link says where his gift stands instead (OwnGiftNotice).
 */
function closedState(g: ClaimCard): { title: string; text: string } | null {
  if (g.status === 'expired') return { title: '礼物已过期', text: '超过 24 小时未收下，款项已原路退回给送礼人。' };
  // 群发礼物: every unit taken by others (a kind word, not an error); a lottery's result is the lottery panel's.
  if (g.claimedBySomeoneElse && g.mode === 'group')
    return { title: '已被领完', text: `${g.quantity} 份礼物都已被群里的朋友领走了，下次早点来哦。` };
  if (g.claimedBySomeoneElse && g.lottery?.drawn)
    return g.lottery.entered ? { title: '未中奖', text: '这次没有抽中，谢谢参与。' } : { title: '抽奖已结束', text: '这次抽奖已经开奖。' };
  if (g.claimedBySomeoneElse) return { title: '礼物已被领取', text: '这份礼物已被其他朋友领取。' };
  if (g.status === 'declined') return { title: '已拒收', text: '礼物已退回给送礼人。' };
  if (g.status === 'canceled') return { title: '礼物已取消', text: '这份礼物的订单已取消。' };
  return null;
}

/** What the friend sees behind the link: the gift (never its price), then address, style, 收下礼物; then thanks. */
export function ClaimPage({ token, userId }: { token: string; userId: string }) {
  const path = `/claims/${encodeURIComponent(token)}`;
  const { data, error, reload, setData } = useLoad(() => api<CardBody>('GET', path), [token]);
  const [draft, updateDraft] = useClaimDraft(userId, token);
  // The gift changed under us (taken, expired, declined, accepted elsewhere): show its current state.
  const { pending, failureOf, run } = useActions((e) => {
    if (e instanceof ApiError && (e.status === 409 || e.status === 410)) void reload();
  });
  const [addressError, setAddressError] = useState<unknown>(null);
  const [askingDecline, setAskingDecline] = useState(false);
  const g = data?.gift ?? null;
  const timeUp = useTimeUp(g && countdownVisible(g) ? g.expiresAt : null);
  const own = g?.viewer === 'giver';
  const closed = g && !own ? closedState(g) : null;
  const heading = own ? '你送出的礼物' : g?.mode === 'lottery' && g.viewer !== 'recipient' ? '群礼物抽奖' : '收到一份礼物';
  useTitle(
    error ? '礼物卡加载失败' : g && own ? ownGiftTitle(g.status) : (closed?.title ?? (g?.status === 'accepted' ? '已收下礼物' : heading)),
  );

  useEffect(() => {
    if (g?.viewer === 'recipient') rememberReceivedToken(g.id, token);
  }, [g?.id, g?.viewer]);
  // The card is up: fetch the 省/市/区 tables in the background so the address form rarely waits for them.
  const mayAddAddress = !own && (g?.status === 'sent' || g?.status === 'claimed');
  useEffect(() => {
    if (mayAddAddress) loadRegionTables().catch(() => undefined); // the form offers 重试 if it failed
  }, [mayAddAddress]);
  // At 00:00:00 the form is already off by the phone's clock; the server has the last word: ask it until it says
  // 已过期 (a second later, then every few seconds, in case the clocks differ).
  const stillOpen = g?.status === 'sent' || g?.status === 'claimed';
  useEffect(() => {
    if (!timeUp || !stillOpen) return;
    const first = setTimeout(() => void reload(), 1000);
    const every = setInterval(() => void reload(), 5000);
    return () => {
      clearTimeout(first);
      clearInterval(every);
    };
  }, [timeUp, stillOpen]);

  // A group link changes as others act: units taken, entrants, the draw. Read it again while there is something to see.
  const live =
    g !== null && g.mode !== 'single' && g.viewer !== 'recipient' && (g.status === 'sent' || (g.lottery !== null && !g.lottery.drawn));
  useEffect(() => {
    if (!live) return;
    const every = setInterval(() => void reload(), 5000);
    return () => clearInterval(every);
  }, [live]);

  if (error) {
    if (error instanceof ApiError && error.status === 404) return <ClaimLinkGone />;
    return <LoadFailed title="收到一份礼物" error={error} onRetry={reload} />;
  }
  if (!g)
    return (
      <main aria-busy="true">
        <span class="spinner" aria-hidden="true" />
        加载中…
      </main>
    );

  const send = async (method: string, suffix: string, body?: unknown) => setData(await api<CardBody>(method, path + suffix, body));
  const formShown = g.viewer === 'recipient' && (!g.address || draft.editing === true);
  const address = draft.address ?? draftOf(g.address);

  const saveAddress = async () => {
    setAddressError(null);
    try {
      await send('PUT', '/address', inputOf(address));
    } catch (e) {
      if (isValidation(e)) setAddressError(e);
      throw e;
    }
    updateDraft({ address: undefined, editing: undefined });
  };
  // 收下礼物 over an open form: the address typed and the accept in one request (one write); a refusal of the address
  // shows on the form as a save's does, and the draft stays.
  const acceptWithForm = async () => {
    setAddressError(null);
    try {
      await send('POST', '/accept', { address: inputOf(address) });
    } catch (e) {
      if (isValidation(e)) setAddressError(asFormError(e as ApiError));
      throw e;
    }
  };
  /** Each action's request, as of this render: 重试 runs it again with what is typed now. */
  const workOf = (action: string): (() => Promise<void>) => {
    if (action === 'claim') return () => send('POST', '/claim');
    if (action === 'enter') return () => send('POST', '/enter');
    if (action === 'save') return saveAddress;
    // 收下礼物 over an open form takes what is filled: the form, not a stale saved copy, is what the friend sees.
    if (action === 'accept')
      return async () => {
        if (formShown) await acceptWithForm();
        else await send('POST', '/accept');
        updateDraft({ address: undefined, editing: undefined });
      };
    if (action === 'decline')
      return async () => {
        await send('POST', '/decline');
        updateDraft({ address: undefined, editing: undefined, thanks: undefined });
      };
    if (action === 'thanks')
      return async () => {
        await send('POST', '/thanks', { message: (draft.thanks ?? '').trim() });
        updateDraft({ thanks: undefined });
      };
    const skuId = action.slice('variant:'.length);
    return () => send('PUT', '/variant', { skuId });
  };
  const start = (action: string) => void run(action, workOf(action));
  const decline = async () => {
    if (await run('decline', workOf('decline'))) setAskingDecline(false);
  };

  const saveFailure = failureOf('save');
  // A failed 拒收 stays in its dialog, which can be confirmed again.
  const actionFailure = failureOf('claim', 'variant:', 'accept');
  const lottery = g.lottery;
  const verification = lottery?.drawn ? <DrawVerification token={token} lottery={lottery} /> : null;
  const timeUpNotice = timeUp ? (
    <p class="notice time-up" role="status">
      领取时间已到：礼物已过期，款项将原路退回给送礼人。
    </p>
  ) : null;

  let body: preact.JSX.Element;
  if (own) body = g.mode === 'single' ? <OwnGiftNotice gift={g} /> : <GroupOwnNotice gift={g} />;
  else if (lottery && g.viewer !== 'recipient' && g.status !== 'expired' && g.status !== 'canceled')
    body = (
      <LotteryPanel
        gift={{ ...g, lottery }}
        token={token}
        busy={pending === 'enter'}
        disabled={pending !== null}
        failure={failureOf('enter')}
        onEnter={() => start('enter')}
      />
    );
  else if (g.mode === 'group' && g.viewer === 'guest' && g.status === 'sent')
    body = (
      <>
        {timeUpNotice}
        <GroupTake
          gift={g}
          busy={pending === 'claim'}
          disabled={timeUp || pending !== null}
          failure={failureOf('claim')}
          onTake={() => start('claim')}
        />
      </>
    );
  else if (closed)
    body = (
      <Notice title={closed.title}>
        <p>{closed.text}</p>
      </Notice>
    );
  else if (g.status === 'accepted') {
    const thanks = g.thanks ?? null;
    body = (
      <>
        <Notice title="已收下礼物">
          <p data-testid="shipping">{g.shipment ? `${receivedStatusText(g)} · ${shipmentText(g.shipment)}` : '商家将尽快发货到：'}</p>
          {g.address ? <ShippingAddress a={g.address} /> : null}
        </Notice>
        {thanks ? (
          <section class="card thanks-sent" aria-label="你的感谢">
            <p class="muted">你已向送礼人道谢</p>
            <GiftMessage text={thanks.message} />
            <ErrorBanner error={failureOf('thanks')?.error} />
          </section>
        ) : (
          <ThanksForm
            value={draft.thanks ?? ''}
            onChange={(text) => updateDraft({ thanks: text || undefined })}
            sending={pending === 'thanks'}
            disabled={pending !== null}
            failure={failureOf('thanks')}
            onSend={() => start('thanks')}
          />
        )}
        <p>
          <a href={pageHref('/received')}>查看我收到的礼物</a>
        </p>
        {verification}
      </>
    );
  } else if (g.viewer === 'guest')
    body = (
      <>
        {timeUpNotice}
        <ErrorBanner error={actionFailure?.error} onRetry={actionFailure ? () => start(actionFailure.action) : undefined} />
        <div class="actions">
          <ActionButton class="primary" busy={pending === 'claim'} busyLabel="领取中…" disabled={timeUp} onClick={() => start('claim')}>
            领取礼物
          </ActionButton>
        </div>
      </>
    );
  else
    body = (
      <>
        {timeUpNotice}
        <OwnUnitLine gift={g} />
        <fieldset class="claim-steps" disabled={timeUp}>
          <h2>收货地址</h2>
          {formShown ? (
            <AddressForm
              value={address}
              onChange={(change) => updateDraft((d) => ({ address: { ...(d.address ?? draftOf(g.address)), ...change } }))}
              error={addressError}
              saving={pending === 'save'}
              disabled={pending !== null}
              onSubmit={() => start('save')}
              onCancel={g.address ? () => updateDraft({ address: undefined, editing: undefined }) : undefined}
            >
              <ErrorBanner
                error={saveFailure?.error}
                onRetry={saveFailure ? () => start('save') : undefined}
                text={isValidation(saveFailure?.error) ? '地址没有保存：请按红字提示修改' : undefined}
              />
            </AddressForm>
          ) : g.address ? (
            <div class="card">
              <ShippingAddress a={g.address} />
              <button type="button" disabled={pending !== null} onClick={() => updateDraft({ editing: true, address: draftOf(g.address) })}>
                修改地址
              </button>
            </div>
          ) : null}
          {g.alternatives.length > 0 ? (
            <fieldset>
              <legend>换个款式</legend>
              {g.alternatives.map((alt) => (
                <ActionButton
                  key={alt.skuId}
                  class="option-button"
                  busy={pending === `variant:${alt.skuId}`}
                  busyLabel="更换中…"
                  disabled={!alt.inStock || pending !== null}
                  onClick={() => start(`variant:${alt.skuId}`)}
                >
                  {attrsText(alt.attrs)}
                  {alt.inStock ? '' : '（已售罄）'}
                </ActionButton>
              ))}
            </fieldset>
          ) : null}
          <ErrorBanner
            error={actionFailure?.error}
            onRetry={actionFailure ? () => start(actionFailure.action) : undefined}
            text={isValidation(actionFailure?.error) ? '地址没有保存，礼物还没收下：请按红字提示修改收货地址' : undefined}
          />
          {formShown ? (
            <p class="muted" id="accept-saves">
              点「收下礼物」会一并保存上面填写的地址。
            </p>
          ) : null}
          <div class="actions">
            <ActionButton
              class="primary"
              busy={pending === 'accept'}
              busyLabel={formShown ? '保存并收下中…' : '收下中…'}
              disabled={pending !== null}
              describedBy={formShown ? 'accept-saves' : undefined}
              onClick={() => start('accept')}
            >
              收下礼物
            </ActionButton>
            <button type="button" class="link" disabled={pending !== null} onClick={() => setAskingDecline(true)}>
              拒收
            </button>
          </div>
        </fieldset>
        {askingDecline ? (
          <ConfirmDialog
            title="拒收这份礼物？"
            confirmLabel="确认拒收"
            busyLabel="拒收中…"
            cancelLabel="再想想"
            busy={pending === 'decline'}
            error={failureOf('decline')?.error}
            onConfirm={() => void decline()}
            onCancel={() => setAskingDecline(false)}
          >
            <p>拒收后礼物会退回，款项原路退回给送礼人；这份礼物将不能再领取。</p>
          </ConfirmDialog>
        ) : null}
        {verification}
      </>
    );

  return (
    <main>
      <h1>{heading}</h1>
      <GiftSummary gift={g} />
      {body}
    </main>
  );
}
