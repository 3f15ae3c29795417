import { useEffect } from 'preact/hooks';

/** A distinct tab/history title per page ("确认礼物 · 送礼物"), so a reader of the history or a screen reader knows where. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · 送礼物`;
  }, [title]);
}
