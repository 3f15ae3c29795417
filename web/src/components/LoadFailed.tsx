import { ErrorBanner } from './ErrorBanner';

/**
 * A page whose data could not be loaded at all: its heading, 加载失败, what went wrong and 重试 (never a bare red
 * line). A page that still shows something says its failure inline with ErrorBanner instead.
 */
export function LoadFailed({ title, error, onRetry }: { title: string; error: unknown; onRetry: () => Promise<unknown> }) {
  return (
    <main>
      <h1>{title}</h1>
      <section class="notice load-failed" aria-labelledby="load-failed-title">
        <h2 id="load-failed-title">加载失败</h2>
        <ErrorBanner error={error} onRetry={onRetry} />
      </section>
    </main>
  );
}
