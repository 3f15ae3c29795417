import { useState } from 'preact/hooks';
import { errorText, isRetryable } from '../texts';

/**
 * A failed load or action, visible and announced, in words from the API's error code: `text` words it for the action
 * at hand, `prefix` says what failed ("商品加载失败：网络不可用…"). With `onRetry`, a failure that may pass (no network,
 * the server's trouble, too many requests) offers 重试 right there; while a retry that returns a promise runs, the
 * button says so.
 */
export function ErrorBanner({ error, onRetry, prefix, text }: { error: unknown; onRetry?: () => unknown; prefix?: string; text?: string }) {
  const [retrying, setRetrying] = useState(false);
  if (!error) return null;
  const words = `${prefix ? `${prefix}：` : ''}${text ?? errorText(error)}`;
  if (!onRetry || !isRetryable(error))
    return (
      <p class="error" role="alert">
        {words}
      </p>
    );
  const retry = () => {
    const running = onRetry();
    if (!(running instanceof Promise)) return;
    setRetrying(true);
    void running.finally(() => setRetrying(false));
  };
  return (
    <div class="error-banner" role="alert">
      <p class="error">{words}</p>
      <button type="button" onClick={retry} disabled={retrying} aria-busy={retrying || undefined}>
        {retrying ? '重试中…' : '重试'}
      </button>
    </div>
  );
}
