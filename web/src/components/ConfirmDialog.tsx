import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ErrorBanner } from './ErrorBanner';

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
 * Asks before an action that cannot be undone (a new claim link kills the old one; a canceled order stays canceled):
 * a modal alertdialog, the focus on the safe choice, Escape closes it unless the action is in flight.
 */
export function ConfirmDialog({ title, children, confirmLabel, busyLabel, cancelLabel = '取消', busy, error, onConfirm, onCancel }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const latest = useRef({ busy, onCancel });
  latest.current = { busy, onCancel };

  useEffect(() => {
    const d = ref.current!;
    const onCancelEvent = (e: Event) => {
      e.preventDefault();
      if (!latest.current.busy) latest.current.onCancel();
    };
    d.addEventListener('cancel', onCancelEvent);
    if (typeof d.showModal === 'function') d.showModal();
    else d.setAttribute('open', '');
    d.querySelector<HTMLButtonElement>('button[data-safe]')?.focus();
    return () => {
      d.removeEventListener('cancel', onCancelEvent);
      if (d.open) d.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class="confirm-dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
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
    </dialog>
  );
}
