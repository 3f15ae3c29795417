import { useState } from 'preact/hooks';
import { ApiError, api, type ResponseOf } from '../api';
import { AddressForm, type AddressInput } from '../components/AddressForm';
import { Countdown } from '../components/Countdown';
import { ErrorBanner } from '../components/ErrorBanner';
import { OwnGiftNotice } from '../components/OwnGiftNotice';
import { attrsText } from '../texts';
import { useLoad } from '../use-load';

/** A terminal or blocking state of the card, in words. */
function Notice({ title, children }: { title: string; children?: preact.ComponentChildren }) {
  return (
    <section class="notice" aria-live="polite">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

/** What the friend sees behind the link: the gift (never its price), then address, style, 收下礼物. */
export function ClaimPage({ token }: { token: string }) {
  const path = `/claims/${encodeURIComponent(token)}`;
  const { data, error, setData } = useLoad(() => api<ResponseOf<'viewClaim'>>('GET', path), [token]);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const [addressError, setAddressError] = useState<unknown>(null);
  const [editingAddress, setEditingAddress] = useState(false);

  const act = async (method: string, suffix: string, body?: unknown, onError = setActionError) => {
    setBusy(true);
    setActionError(null);
    try {
      const r = await api<ResponseOf<'claimGift'>>(method, path + suffix, body);
      setData(r);
      onError(null);
      return true;
    } catch (e) {
      onError(e);
      // The gift changed under us (taken, expired, declined): show its current state.
      if (e instanceof ApiError && [409, 410].includes(e.status))
        await api<ResponseOf<'viewClaim'>>('GET', path).then(setData, () => undefined);
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (error) {
    const notFound = error instanceof ApiError && error.status === 404;
    return <main>{notFound ? <Notice title="礼物不存在或链接已失效" /> : <ErrorBanner error={error} />}</main>;
  }
  if (!data) return <main aria-busy="true">加载中…</main>;
  const g = data.gift;

  const card = (
    <section class="card gift-card" aria-label="礼物">
      <p class="muted">你的朋友送你一份礼物</p>
      <strong>{g.product.title}</strong>
      <span data-testid="gift-style">{attrsText(g.sku.attrs)}</span>
      {g.message ? <blockquote>{g.message}</blockquote> : null}
      {g.expiresAt && (g.status === 'sent' || g.status === 'claimed') ? <Countdown until={g.expiresAt} label="剩余领取时间" /> : null}
    </section>
  );

  let body: preact.JSX.Element | null;
  const expiredText = '超过 24 小时未收下，款项已原路退回给送礼人。';
  if (g.status === 'expired') body = <Notice title="礼物已过期">{expiredText}</Notice>;
  else if (g.claimedBySomeoneElse) body = <Notice title="礼物已被领取">这份礼物已被其他朋友领取。</Notice>;
  else if (g.viewer === 'giver') body = <OwnGiftNotice gift={g} />;
  else if (g.status === 'declined') body = <Notice title="已拒收">礼物已退回给送礼人。</Notice>;
  else if (g.status === 'canceled') body = <Notice title="礼物已取消" />;
  else if (g.status === 'accepted')
    body = (
      <Notice title="已收下礼物">
        <p>
          {g.shipment
            ? `${g.shipment.status === 'delivered' ? '已签收' : '已发货'}${g.shipment.carrier ? ` · ${g.shipment.carrier}` : ''}` +
              `${g.shipment.trackingNumber ? ` ${g.shipment.trackingNumber}` : ''}`
            : '商家将尽快发货到：'}
        </p>
        {g.address ? (
          <address>
            {g.address.name} {g.address.phone.replace(/^\+86/, '')}
            <br />
            {g.address.province} {g.address.city} {g.address.district} {g.address.detail}
          </address>
        ) : null}
      </Notice>
    );
  else if (g.viewer === 'guest')
    body = (
      <div class="actions">
        <button type="button" class="primary" disabled={busy} onClick={() => void act('POST', '/claim')}>
          领取礼物
        </button>
      </div>
    );
  else
    body = (
      <>
        <h2>收货地址</h2>
        {g.address && !editingAddress ? (
          <div class="card">
            <address>
              {g.address.name} {g.address.phone.replace(/^\+86/, '')}
              <br />
              {g.address.province} {g.address.city} {g.address.district} {g.address.detail}
            </address>
            <button type="button" onClick={() => setEditingAddress(true)}>
              修改地址
            </button>
          </div>
        ) : (
          <AddressForm
            initial={g.address}
            error={addressError}
            busy={busy}
            onSubmit={(a: AddressInput) => void act('PUT', '/address', a, setAddressError).then((ok) => ok && setEditingAddress(false))}
          />
        )}
        {g.alternatives.length > 0 ? (
          <fieldset>
            <legend>换个款式</legend>
            {g.alternatives.map((alt) => (
              <button
                type="button"
                key={alt.skuId}
                class="option-button"
                disabled={!alt.inStock || busy}
                onClick={() => void act('PUT', '/variant', { skuId: alt.skuId })}
              >
                {attrsText(alt.attrs)}
                {alt.inStock ? '' : '（已售罄）'}
              </button>
            ))}
          </fieldset>
        ) : null}
        <div class="actions">
          <button type="button" class="primary" disabled={busy} onClick={() => void act('POST', '/accept')}>
            收下礼物
          </button>
          <button
            type="button"
            class="link"
            disabled={busy}
            onClick={() => confirm('确定拒收这份礼物吗？款项将退回给送礼人。') && void act('POST', '/decline')}
          >
            拒收
          </button>
        </div>
      </>
    );

  return (
    <main>
      <h1>收到一份礼物</h1>
      {card}
      <ErrorBanner error={actionError} />
      {body}
    </main>
  );
}
