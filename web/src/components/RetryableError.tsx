import { useState } from 'preact/hooks';
import { errorText } from '../texts';

/** A failed load or action in words, with 重试 (showing its progress) instead of a dead end. */
export function RetryableError({ error, onRetry, prefix }: { error: unknown; onRetry: () => Promise<unknown>; prefix?: string }) {
  const [busy, setBusy] = useState(false);
  if (!error) return null;
  const retry = () => {
    setBusy(true);
    void onRetry().finally(() => setBusy(false));
  };
  return (
    <div class="retryable-error" role="alert">
      <p class="error">
        {prefix ? `${prefix}：` : ''}
        {errorText(error)}
      </p>
      <button type="button" disabled={busy} aria-busy={busy} onClick={retry}>
        {busy ? '重试中…' : '重试'}
      </button>
    </div>
  );
}
