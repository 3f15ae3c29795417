import { useEffect } from 'preact/hooks';

const APP = '送礼物';

/**
 * A distinct document title per page ("确认礼物 · 送礼物"): what a tab, the history list and a screen reader announce.
 * null leaves the title as it is (a page whose own component sets it).
 */
export function useTitle(title: string | null): void {
  useEffect(() => {
    if (title) document.title = `${title} · ${APP}`;
  }, [title]);
}
