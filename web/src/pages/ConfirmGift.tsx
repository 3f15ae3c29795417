import { useMemo, useState } from 'preact/hooks';
import { api, type ResponseOf } from '../api';
import { ErrorBanner } from '../components/ErrorBanner';
import { PayProgress } from '../components/PayProgress';
import { WechatPaySheet } from '../components/WechatPaySheet';
import { attrsText, charCount, fieldErrors, yuan } from '../texts';
import { useLoad } from '../use-load';
import { usePayFlow } from '../use-pay-flow';

const MAX_MESSAGE = 100;

/** 确认礼物: one style, an optional message, pay (WeChat Pay, or the dev provider at once); then the gift card. */
export function ConfirmGift({ productId }: { productId: string }) {
  const { data, error: loadError } = useLoad(() => api<ResponseOf<'listProducts'>>('GET', '/products'), []);
  const product = data?.products.find((p) => p.id === productId);
  const [skuId, setSkuId] = useState<string | null>(null);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // Created once: paying again (after 取消, a failure) pays the same gift and the same WeChat Pay order.
  const [giftId, setGiftId] = useState<string | null>(null);
  const flow = usePayFlow();
  // One key per visit: a double tap or a retry after a timeout creates one gift, not two.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  if (loadError) return <ErrorBanner error={loadError} />;
  if (!product) return <main aria-busy="true">加载中…</main>;
  const chosen = product.skus.find((s) => s.id === (skuId ?? product.skus.find((x) => x.stock > 0)?.id));
  const tooLong = charCount(message) > MAX_MESSAGE;
  // Maybe paid (no word in time) or canceled: paying again is not the way forward; 再次确认 / the gift card is.
  const settled = flow.state.step === 'stopped' && (flow.state.reason === 'timeout' || flow.state.reason === 'gift_canceled');

  const pay = async () => {
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      let id = giftId;
      if (!id) {
        const created = await api<ResponseOf<'createGift'>>(
          'POST',
          '/gifts',
          message.trim() ? { skuId: chosen.id, message: message.trim() } : { skuId: chosen.id },
          { 'idempotency-key': idempotencyKey },
        );
        id = created.gift.id;
        setGiftId(id);
      }
      await flow.payFor(id);
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
      <fieldset disabled={giftId !== null}>
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
        disabled={giftId !== null}
        placeholder="说点什么吧"
        onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)}
        aria-describedby="message-count"
      />
      <p id="message-count" class={tooLong ? 'error' : 'muted'}>
        {charCount(message)}/{MAX_MESSAGE}
      </p>
      {fieldErrors(error).message ? <p class="error">{fieldErrors(error).message}</p> : null}
      <ErrorBanner error={error} />
      <PayProgress state={flow.state} giftId={giftId} onRecheck={() => void flow.recheck()} />
      {flow.state.step === 'sheet' ? (
        <WechatPaySheet
          order={flow.state.order}
          busy={flow.state.busy}
          error={flow.state.error}
          onConfirm={() => void flow.confirmSheet()}
          onCancel={flow.cancelSheet}
        />
      ) : null}
      {settled ? null : (
        <div class="actions">
          <button type="button" class="primary" disabled={!chosen || busy || flow.busy || tooLong} onClick={() => void pay()}>
            {busy || flow.busy
              ? '支付中…'
              : `${giftId ? '重新支付' : '支付'} ${chosen ? yuan(chosen.priceFen) : ''}${giftId ? '' : ' 并送出'}`}
          </button>
        </div>
      )}
    </main>
  );
}
