import { useMemo, useState } from 'preact/hooks';
import { api, type ResponseOf } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { go } from '../router';
import { rememberClaimToken } from '../session';
import { attrsText, charCount, fieldErrors, yuan } from '../texts';
import { useLoad } from '../use-load';

const MAX_MESSAGE = 100;

/** 确认礼物: one style, an optional message, pay with the dev provider; then the gift card. */
export function ConfirmGift({ productId }: { productId: string }) {
  const { data, error: loadError } = useLoad(() => api<ResponseOf<'listProducts'>>('GET', '/products'), []);
  const product = data?.products.find((p) => p.id === productId);
  const [skuId, setSkuId] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per visit: a double tap or a retry after a timeout creates one gift, not two.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  if (loadError) return <ErrorBanner error={loadError} />;
  if (!product) return <main aria-busy="true">加载中…</main>;
  const chosen = product.skus.find((s) => s.id === (skuId ?? product.skus.find((x) => x.stock > 0)?.id));
  const tooLong = charCount(message) > MAX_MESSAGE;

  const pay = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      const created = await api<ResponseOf<'createGift'>>(
        'POST',
        '/gifts',
        message.trim() ? { skuId: chosen.id, message: message.trim() } : { skuId: chosen.id },
        { 'idempotency-key': idempotencyKey },
      );
      const paid = await api<ResponseOf<'payGift'>>('POST', `/gifts/${created.gift.id}/pay`);
      if (paid.gift.claimToken) rememberClaimToken(paid.gift.id, paid.gift.claimToken);
      go(`/sent/${paid.gift.id}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main>
      <h1>确认礼物</h1>
      <p class="muted">{product.title} · 一份礼物送给一位朋友，24 小时内未收下将原路退款</p>
      <fieldset>
        <legend>选择款式</legend>
        {product.skus.map((s) => (
          <label key={s.id} class="option">
            <input
              type="radio"
              name="sku"
              value={s.id}
              checked={chosen?.id === s.id}
              disabled={s.stock <= 0}
              onChange={() => setSkuId(s.id)}
            />
            {attrsText(s.attrs)} <span class="price">{yuan(s.priceFen)}</span> {s.stock <= 0 ? <span class="muted">已售罄</span> : null}
          </label>
        ))}
      </fieldset>
      <label for="gift-message">给朋友留言（选填）</label>
      <textarea
        id="gift-message"
        rows={3}
        value={message}
        placeholder="说点什么吧"
        onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
        aria-describedby="message-count"
      />
      <p id="message-count" class={tooLong ? 'error' : 'muted'}>
        {charCount(message)}/{MAX_MESSAGE}
      </p>
      {fieldErrors(error).message ? <p class="error">{fieldErrors(error).message}</p> : null}
      <ErrorBanner error={error} />
      <div class="actions">
        <button type="button" class="primary" disabled={!chosen || busy || tooLong} onClick={() => void pay()}>
          {busy ? '支付中…' : `支付 ${chosen ? yuan(chosen.priceFen) : ''} 并送出`}
        </button>
      </div>
    </main>
  );
}
