import type { ComponentChildren } from 'preact';
import { ErrorBanner } from './ErrorBanner';
import { ModalDialog } from './ModalDialog';

interface Props {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busyLabel: string;
  cancelLabel?: string;
  busy: boolean;
  /** The last attempt's failure: shown in the dialog, which stays open so 确认 can be pressed again. */
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * Asks before an action that cannot be undone (a new claim link kills the old one; a canceled order stays canceled;
 * a declined gift goes back): a modal alertdialog, the focus on the safe choice, Escape closes it unless the action is
 * in flight. The page's own, not the browser's confirm(), which WeChat titles with the page's address.
 */
export function ConfirmDialog({ title, children, confirmLabel, busyLabel, cancelLabel = '取消', busy, error, onConfirm, onCancel }: Props) {
  return (
    <ModalDialog
      class="confirm-dialog"
      role="alertdialog"
      labelledBy="confirm-title"
      describedBy="confirm-body"
      initialFocus="button[data-safe]"
      busy={busy}
      onCancel={onCancel}
    >
      <h2 id="confirm-title">{title}</h2>
      <div id="confirm-body">{children}</div>
      <ErrorBanner error={error} />
      <div class="actions">
        {/* aria-disabled, not disabled: a disabled button would drop the focus out of the dialog mid-action. */}
        <button type="button" data-safe aria-disabled={busy} onClick={busy ? undefined : onCancel}>
          {cancelLabel}
        </button>
        <button type="button" class="primary danger" aria-disabled={busy} aria-busy={busy} onClick={busy ? undefined : onConfirm}>
          {busy ? busyLabel : error ? `重试：${confirmLabel}` : confirmLabel}
        </button>
      </div>
    </ModalDialog>
  );
}
