import { errorText } from '../texts';

/** A page whose data could not be loaded: its heading, what went wrong, and 重试 (never a bare red line). */
export function LoadFailed({ title, error, onRetry, retrying }: { title: string; error: unknown; onRetry: () => void; retrying: boolean }) {
  return (
    <main>
      <h1>{title}</h1>
      <section class="notice load-failed" role="alert" aria-labelledby="load-failed-title">
        <h2 id="load-failed-title">加载失败</h2>
        <p>{errorText(error)}</p>
        <div class="actions">
          <button type="button" class="primary" onClick={onRetry} disabled={retrying} aria-busy={retrying || undefined}>
            {retrying ? '重试中…' : '重试'}
          </button>
        </div>
      </section>
    </main>
  );
}
