import { useEffect } from 'preact/hooks';

const APP = '送礼物';

/** A distinct document title per page (what a tab, the history list and a screen reader announce). */
export function useTitle(title: string | null): void {
  useEffect(() => {
    if (title) document.title = `${title} · ${APP}`;
  }, [title]);
}
