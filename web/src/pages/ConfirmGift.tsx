import { useEffect, useRef, useState } from 'preact/hooks';
import { DISPLAY_NAME_MAX_CHARS, MESSAGE_MAX_CHARS } from '../../../shared/schemas/text-limits';
import { ApiError, api, type ResponseOf } from '../api';
import { ActionButton } from '../components/ActionButton';
import { AlreadySent } from '../components/AlreadySent';
import { DisplayNameField } from '../components/DisplayNameField';
import { ErrorBanner } from '../components/ErrorBanner';
import { GiftMessage } from '../components/GiftSummary';
import { drawAtIso, GROUP_MAX, GroupOptions } from '../components/GroupOptions';
import { NotFound } from '../components/NotFound';
import { PayProgress } from '../components/PayProgress';
import { WechatPaySheet } from '../components/WechatPaySheet';
import { type ConfirmVisit, readConfirmVisit, restartConfirmVisit, writeConfirmVisit } from '../confirm-session';
import { getMe, putMe } from '../profile';
import { attrsText, charCount, displayNameErrorText, displayNameProblem, fieldErrors, groupFieldErrors, MODE_NAMES, yuan } from '../texts';
import { useLoad } from '../use-load';
import { usePayFlow } from '../use-pay-flow';
import { useTitle } from '../use-title';

type Busy = null | 'name' | 'create';

/**
 * 确认礼物: one style, an optional message, the giver's name the first time; pay (WeChat Pay, or the dev provider at
 * once); then the gift card. The visit (its Idempotency-Key, its gift, what was typed) outlives a reload and the back
 * button, so coming back after paying shows the gift that was sent and never pays for a second one.
 */
export function ConfirmGift({ productId }: { productId: string }) {
  const products = useLoad(() => api<ResponseOf<'listProducts'>>('GET', '/products'), []);
  const me = useLoad(getMe, []);
  const [visit, setVisit] = useState(() => readConfirmVisit(productId));
  const save = (patch: Partial<ConfirmVisit>) => setVisit((v) => writeConfirmVisit(productId, { ...v, ...patch }));
  // The gift this visit made before the page was (re)opened: back after paying, a reload mid-payment.
  const [restoredId, setRestoredId] = useState(visit.giftId);
  const restored = useLoad(
    () => (restoredId ? api<ResponseOf<'getGift'>>('GET', `/gifts/${encodeURIComponent(restoredId)}`) : Promise.resolve(null)),
    [restoredId],
  );
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<unknown>(null);
  const [nameError, setNameError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const flow = usePayFlow();
  const nameRef = useRef<HTMLDivElement>(null);

  // An order that went nowhere (canceled, or unknown to the server): a new visit with what was chosen and typed.
  useEffect(() => {
    const gone = restored.error instanceof ApiError && restored.error.status === 404;
    const canceled = restored.data?.gift.status === 'canceled';
    if (!gone && !canceled) return;
    setVisit((v) => restartConfirmVisit(productId, { skuId: v.skuId, message: v.message, name: v.name }));
    setRestoredId(null);
    if (canceled) setNote('上次的订单已取消，没有扣款。确认后会重新下单。');
  }, [restored.data, restored.error]);

  const product = products.data?.products.find((p) => p.id === productId);
  const notFound = products.data !== null && !product;
  useTitle(notFound ? '找不到该商品' : '确认礼物');

  if (products.error && !products.data)
    return (
      <main>
        <h1>确认礼物</h1>
        <ErrorBanner error={products.error} onRetry={products.reload} prefix="商品加载失败" />
      </main>
    );
  if (notFound)
    return (
      <NotFound title="找不到该商品" backHref="#/" backLabel="去看看其他好物">
        <p>这件商品不存在或已下架，请从商品列表重新选择。</p>
      </NotFound>
    );
  if (!product || (restoredId && !restored.data && !restored.error)) return <main aria-busy="true">加载中…</main>;
  if (restoredId && restored.error && !restored.data)
    return (
      <main>
        <h1>确认礼物</h1>
        <ErrorBanner error={restored.error} onRetry={restored.reload} prefix="读取刚才的订单失败" />
      </main>
    );
  const earlier = restored.data?.gift;
  if (earlier && earlier.status !== 'awaiting_payment' && earlier.status !== 'canceled')
    return (
      <AlreadySent
        gift={earlier}
        onAgain={() => {
          setVisit(restartConfirmVisit(productId));
          setRestoredId(null);
        }}
      />
    );
  if (!product.giftable)
    return (
      <NotFound title="该商品不支持送礼物" backHref={`#/p/${encodeURIComponent(product.id)}`} backLabel="返回商品">
        <p>{product.title} 不能作为礼物送出。</p>
      </NotFound>
    );

  const locked = visit.giftId !== null;
  const chosen = product.skus.find((s) => s.id === (visit.skuId ?? product.skus.find((x) => x.stock > 0)?.id));
  const tooLong = charCount(visit.message) > MESSAGE_MAX_CHARS;
  const savedName = me.data?.profile.displayName ?? null;
  // A server without profiles, or one that cannot answer now, does not stop the gift: it goes unsigned.
  const needsName = me.data !== null && savedName === null && !locked;
  const meLoading = me.data === null && me.error === null;
  // Maybe paid (no word in time) or canceled: paying again is not the way forward; 再次确认 / the gift card is.
  const settled = flow.state.step === 'stopped' && (flow.state.reason === 'timeout' || flow.state.reason === 'gift_canceled');
  const working = busy !== null || flow.busy;

  const mode = visit.mode ?? 'single';
  const quantity = mode === 'single' ? 1 : (visit.quantity ?? 2);
  const maxQuantity = Math.max(2, Math.min(GROUP_MAX, chosen?.stock ?? GROUP_MAX));
  const groupErrors = groupFieldErrors(error);

  /** The new gift's id, and its order when POST /gifts opened one with it (WeChat Pay). */
  const create = async (skuId: string): Promise<{ id: string; payment: ResponseOf<'createGift'>['payment'] }> => {
    const message = visit.message.trim();
    // The same choices make the same body, so a retry with the visit's key finds the order its lost answer made.
    const group =
      mode === 'single' ? {} : { mode, quantity, ...(mode === 'lottery' ? { drawAt: drawAtIso(visit.drawAtLocal) ?? '' } : {}) };
    const body = { skuId, ...(message ? { message } : {}), ...group };
    const post = (key: string) => api<ResponseOf<'createGift'>>('POST', '/gifts', body, { 'idempotency-key': key });
    let created: ResponseOf<'createGift'>;
    try {
      created = await post(visit.key);
    } catch (e) {
      // This key already made a gift with other choices (its answer was lost, then the choices changed): that gift was
      // never paid and the cleanup closes it; these choices get a key of their own.
      if (!(e instanceof ApiError && e.code === 'IDEMPOTENCY_KEY_REUSED')) throw e;
      const key = crypto.randomUUID();
      save({ key });
      created = await post(key);
    }
    save({ giftId: created.gift.id });
    return { id: created.gift.id, payment: created.payment };
  };

  const saveName = async (): Promise<boolean> => {
    const problem = displayNameProblem(visit.name, DISPLAY_NAME_MAX_CHARS);
    if (problem) {
      setNameError(problem);
      nameRef.current?.querySelector('input')?.focus();
      return false;
    }
    setBusy('name');
    try {
      me.setData(await putMe(visit.name.trim()));
      return true;
    } catch (e) {
      const worded = displayNameErrorText(e, DISPLAY_NAME_MAX_CHARS);
      if (worded) setNameError(worded);
      else setError(e);
      return false;
    }
  };

  const pay = async () => {
    if (!chosen) return;
    setError(null);
    setNameError(null);
    setNote(null);
    try {
      if (needsName && !(await saveName())) return;
      setBusy('create');
      const { id, payment } = visit.giftId ? { id: visit.giftId, payment: null } : await create(chosen.id);
      setBusy(null);
      await flow.payFor(id, payment);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  const shownName = savedName ?? (visit.name.trim() || null);
  const busyLabel = busy === 'name' ? '正在保存名字…' : busy === 'create' ? '正在下单…' : '支付中…';
  const payLabel = `${locked ? '重新支付' : '支付'} ${chosen ? yuan(chosen.priceFen * quantity) : ''}${locked ? '' : ' 并送出'}`;
  const intro =
    mode === 'single'
      ? '一份礼物送给一位朋友，24 小时内未收下将原路退款'
      : `${MODE_NAMES[mode]}：一次付款 ${quantity} 份，一个链接发到群里`;

  return (
    <main>
      <h1>确认礼物</h1>
      <p class="muted">
        {product.title} · {intro}
      </p>
      {note ? (
        <p class="toast" role="status">
          {note}
        </p>
      ) : null}
      <fieldset disabled={locked}>
        <legend>选择款式</legend>
        {product.skus.map((s) => (
          <label key={s.id} class="option">
            <input
              type="radio"
              name="sku"
              value={s.id}
              checked={chosen?.id === s.id}
              disabled={s.stock <= 0}
              onChange={() => save({ skuId: s.id })}
            />
            {attrsText(s.attrs)} <span class="price">{yuan(s.priceFen)}</span> {s.stock <= 0 ? <span class="muted">已售罄</span> : null}
          </label>
        ))}
      </fieldset>
      <GroupOptions
        visit={visit}
        save={save}
        locked={locked}
        priceFen={chosen?.priceFen ?? null}
        maxQuantity={maxQuantity}
        errors={groupErrors}
      />
      <label for="gift-message">给朋友留言（选填）</label>
      <textarea
        id="gift-message"
        rows={3}
        value={visit.message}
        disabled={locked}
        placeholder="说点什么吧"
        onInput={(e) => save({ message: (e.target as HTMLTextAreaElement).value })}
        aria-describedby="message-count"
      />
      <p id="message-count" class={tooLong ? 'error' : 'muted'}>
        {charCount(visit.message)}/{MESSAGE_MAX_CHARS}
      </p>
      {fieldErrors(error).message ? <p class="error">{fieldErrors(error).message}</p> : null}
      <div ref={nameRef}>
        {needsName ? (
          <DisplayNameField
            value={visit.name}
            error={nameError}
            hint="第一次送礼物：朋友会看到是谁送的，以后可以在“我的名字”修改"
            onInput={(name) => {
              save({ name });
              setNameError(null);
            }}
          />
        ) : savedName ? (
          <p class="signed-as">
            署名：<strong data-testid="signed-as">{savedName}</strong> <a href="#/me">修改</a>
          </p>
        ) : me.error ? (
          <ErrorBanner error={me.error} onRetry={me.reload} prefix="读取你的名字失败，礼物将不署名" />
        ) : null}
      </div>
      <section class="card gift-card preview" aria-label="朋友将看到">
        <p class="muted">朋友将看到（不显示价格）</p>
        <span>{shownName ? `${shownName} 送你一份礼物` : '你的朋友送你一份礼物'}</span>
        <strong>{product.title}</strong>
        <span>{chosen ? attrsText(chosen.attrs) : ''}</span>
        {visit.message.trim() ? <GiftMessage text={visit.message.trim()} /> : null}
      </section>
      <ErrorBanner error={error} />
      <PayProgress state={flow.state} giftId={visit.giftId} onRecheck={() => void flow.recheck()} />
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
          <ActionButton
            class="primary"
            busy={working}
            busyLabel={busyLabel}
            disabled={!chosen || tooLong || meLoading}
            onClick={() => void pay()}
          >
            {payLabel}
          </ActionButton>
        </div>
      )}
    </main>
  );
}
