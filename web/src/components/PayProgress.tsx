import { useEffect, useRef } from 'preact/hooks';
import { errorText } from '../texts';
import type { PayState, PayStop } from '../use-pay-flow';

const STOPPED: Record<Exclude<PayStop, 'error'>, string> = {
  user_canceled: '已取消支付，礼物还没有送出（待付款）。可以重新支付，仍是同一笔订单，不会重复扣款。',
  wallet_failed: '支付没有完成，礼物还没有送出（待付款）。请重新支付。',
  timeout: '暂时没有确认到支付结果。如果已经付款，礼物会自动送出，稍后在礼物页查看。',
  gift_canceled: '订单已取消，礼物没有送出。',
  outside_wechat: '请在微信中打开以完成支付',
};

/**
 * What became of the payment, in words: the wait for WeChat Pay's confirmation, or why it stopped. It takes the focus
 * when it appears, since the pay sheet that had it is gone.
 */
export function PayProgress({ state, giftId, onRecheck }: { state: PayState; giftId: string | null; onRecheck: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = state.step === 'confirming' || state.step === 'stopped';
  const key = state.step === 'stopped' ? state.reason : state.step;
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [key]);
  if (!shown) return null;
  const giftLink = giftId ? <a href={`#/sent/${encodeURIComponent(giftId)}`}>查看礼物</a> : null;

  if (state.step === 'confirming')
    return (
      <div ref={ref} tabIndex={-1} class="pay-progress" role="status" data-testid="pay-progress">
        <span class="spinner" aria-hidden="true" />
        正在确认支付…
      </div>
    );
  const text = state.reason === 'error' ? errorText(state.error) : STOPPED[state.reason];
  const alert = state.reason === 'error' || state.reason === 'outside_wechat' || state.reason === 'gift_canceled';
  return (
    <div
      ref={ref}
      tabIndex={-1}
      class={alert ? 'pay-progress error' : 'pay-progress'}
      role={alert ? 'alert' : 'status'}
      data-testid="pay-progress"
    >
      <p>{text}</p>
      {state.reason === 'timeout' ? (
        <button type="button" onClick={onRecheck}>
          再次确认
        </button>
      ) : null}{' '}
      {state.reason === 'outside_wechat' ? null : giftLink}
    </div>
  );
}
