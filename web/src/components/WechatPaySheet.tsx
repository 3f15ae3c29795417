import { useEffect, useRef } from 'preact/hooks';
import { yuan } from '../texts';
import type { StandinOrder } from '../wechat-pay';
import { ErrorBanner } from './ErrorBanner';

interface Props {
  order: Pick<StandinOrder, 'description' | 'total'>;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Local mode's 微信支付 sheet, standing in for WeChat's own: a modal <dialog> (the page behind is inert, focus stays in
 * it), focus on 确认支付, Escape or 取消 closes it unless a payment is in flight.
 */
export function WechatPaySheet({ order, busy, error, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const latest = useRef({ busy, onCancel });
  latest.current = { busy, onCancel };

  useEffect(() => {
    const d = ref.current!;
    // Escape fires `cancel`; the page decides (a payment in flight is not abandoned). Chrome may close a dialog
    // without a cancelable `cancel`: then `close` is the payer's choice too.
    const onCancelEvent = (e: Event) => {
      e.preventDefault();
      if (!latest.current.busy) latest.current.onCancel();
    };
    const onClose = () => (latest.current.busy ? d.showModal() : latest.current.onCancel());
    // A modal dialog keeps the rest of the page out of reach, but Tab past its last button would leave for the
    // browser's own UI: wrap around instead (WAI-ARIA modal dialog pattern).
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const focusables = [...d.querySelectorAll<HTMLElement>('button, a[href], input, [tabindex]:not([tabindex="-1"])')];
      const [first, last] = [focusables[0], focusables.at(-1)];
      const edge = e.shiftKey ? first : last;
      if (edge && (document.activeElement === edge || !d.contains(document.activeElement))) {
        e.preventDefault();
        (e.shiftKey ? last : first)?.focus();
      }
    };
    d.addEventListener('cancel', onCancelEvent);
    d.addEventListener('close', onClose);
    d.addEventListener('keydown', onKey);
    if (typeof d.showModal === 'function') d.showModal();
    else d.setAttribute('open', '');
    d.querySelector<HTMLButtonElement>('button.primary')?.focus();
    return () => {
      d.removeEventListener('cancel', onCancelEvent);
      d.removeEventListener('close', onClose);
      d.removeEventListener('keydown', onKey);
      if (d.open) d.close();
    };
  }, []);

  return (
    <dialog ref={ref} class="pay-sheet" aria-modal="true" aria-labelledby="pay-sheet-title" aria-describedby="pay-sheet-description">
      <h2 id="pay-sheet-title">微信支付</h2>
      <p id="pay-sheet-description" class="muted">
        {order.description}
      </p>
      <p class="pay-amount" data-testid="pay-amount">
        {yuan(order.total)}
      </p>
      <ErrorBanner error={error} />
      <div class="actions">
        {/* aria-disabled, not disabled: a disabled button drops the focus out of the dialog mid-payment. */}
        <button type="button" aria-disabled={busy} onClick={busy ? undefined : onCancel}>
          取消
        </button>
        <button type="button" class="primary" aria-disabled={busy} onClick={busy ? undefined : onConfirm}>
          {busy ? '支付中…' : '确认支付'}
        </button>
      </div>
    </dialog>
  );
}
