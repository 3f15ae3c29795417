import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

interface Props {
  class: string;
  /** 'alertdialog' for a question that interrupts (ConfirmDialog); a plain dialog otherwise (the pay sheet). */
  role?: 'alertdialog';
  labelledBy: string;
  describedBy: string;
  /** Which button has the focus when it opens: the safe choice, or the one the sheet is for. */
  initialFocus: string;
  /** The action is in flight: Escape and the browser's own close are refused until it ends. */
  busy: boolean;
  onCancel: () => void;
  children: ComponentChildren;
}

/**
 * A modal <dialog>, as the WAI-ARIA modal dialog pattern has it: the page behind is inert, the focus starts on
 * `initialFocus` and stays inside (Tab past the last button wraps around instead of leaving for the browser's own UI),
 * Escape is 取消 unless the action is in flight.
 */
export function ModalDialog({ class: className, role, labelledBy, describedBy, initialFocus, busy, onCancel, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const latest = useRef({ busy, onCancel });
  latest.current = { busy, onCancel };

  useEffect(() => {
    const d = ref.current!;
    // Escape fires `cancel`; the page decides. Chrome may close a dialog without a cancelable `cancel`: then `close` is
    // the user's 取消 too, or the dialog opens again while the action is in flight.
    const onCancelEvent = (e: Event) => {
      e.preventDefault();
      if (!latest.current.busy) latest.current.onCancel();
    };
    const onClose = () => (latest.current.busy ? d.showModal() : latest.current.onCancel());
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Tab') return;
      const focusables = [...d.querySelectorAll<HTMLElement>('button, a[href], input, textarea, [tabindex]:not([tabindex="-1"])')];
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
    d.querySelector<HTMLElement>(initialFocus)?.focus();
    return () => {
      d.removeEventListener('cancel', onCancelEvent);
      d.removeEventListener('close', onClose);
      d.removeEventListener('keydown', onKey);
      if (d.open) d.close();
    };
  }, []);

  return (
    <dialog ref={ref} class={className} role={role} aria-modal="true" aria-labelledby={labelledBy} aria-describedby={describedBy}>
      {children}
    </dialog>
  );
}
