import { yuan } from '../texts';
import type { StandinOrder } from '../wechat-pay';
import { ErrorBanner } from './ErrorBanner';
import { ModalDialog } from './ModalDialog';

interface Props {
  order: Pick<StandinOrder, 'description' | 'total'>;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Local mode's 微信支付 sheet, standing in for WeChat's own: a modal dialog (the page behind is inert, focus stays in
 * it), focus on 确认支付, Escape or 取消 closes it unless a payment is in flight.
 */
export function WechatPaySheet({ order, busy, error, onConfirm, onCancel }: Props) {
  return (
    <ModalDialog
      class="pay-sheet"
      labelledBy="pay-sheet-title"
      describedBy="pay-sheet-description"
      initialFocus="button.primary"
      busy={busy}
      onCancel={onCancel}
    >
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
    </ModalDialog>
  );
}
