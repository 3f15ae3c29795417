import { errorText, isRetryable } from '../texts';

/**
 * A visible, announced error from the API's error code. With `onRetry`, a failure that may pass (no network, the
 * server's trouble, too many requests) offers 重试 right there; `text` words it for the action at hand.
 */
export function ErrorBanner({
  error,
  onRetry,
  retrying = false,
  text,
}: {
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
  text?: string;
}) {
  if (!error) return null;
  if (!onRetry || !isRetryable(error))
    return (
      <p class="error" role="alert">
        {text ?? errorText(error)}
      </p>
    );
  return (
    <div class="error-banner" role="alert">
      <p class="error">{text ?? errorText(error)}</p>
      <button type="button" onClick={onRetry} disabled={retrying} aria-busy={retrying || undefined}>
        {retrying ? '重试中…' : '重试'}
      </button>
    </div>
  );
}
