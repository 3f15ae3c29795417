import type { ComponentChildren } from 'preact';

/** A button that shows its request is under way (spinner, 保存中…) and cannot be pressed twice meanwhile. */
export function ActionButton({
  busy,
  busyLabel,
  children,
  class: className,
  disabled = false,
  type = 'button',
  describedBy,
  onClick,
}: {
  busy: boolean;
  busyLabel: string;
  children: ComponentChildren;
  class?: string;
  disabled?: boolean;
  type?: 'button' | 'submit';
  /** The id of a note that says more about what the button does. */
  describedBy?: string;
  onClick?: () => void;
}) {
  return (
    <button
      type={type}
      class={className}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      aria-describedby={describedBy}
      onClick={onClick}
    >
      {busy ? (
        <>
          <span class="spinner" aria-hidden="true" />
          {busyLabel}
        </>
      ) : (
        children
      )}
    </button>
  );
}
