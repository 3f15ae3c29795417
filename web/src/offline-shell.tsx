/**
 * The offline shell: registers the service worker (web/offline/service-worker.js) that keeps the app for a reload
 * without network, and shows 网络不可用 · 重试 above the app when a page cannot reach the server. Imported for these
 * effects alone, so package.json lists it under sideEffects (else the bundler would drop the import).
 * The banner is for a page that could not load (a reload while the server is down, a link opened offline): a status,
 * not an alert, since the page says what failed itself; a failed action or refresh is said next to it, not here.
 */
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { retryNetwork, useNetworkDown } from './network-status';

function OfflineBanner() {
  const down = useNetworkDown();
  const [retrying, setRetrying] = useState(false);
  if (!down) return null;
  const retry = () => {
    if (retrying) return;
    setRetrying(true);
    void retryNetwork().finally(() => setRetrying(false));
  };
  return (
    <div class="offline-banner" role="status" data-testid="offline-banner">
      <span>网络不可用，请检查网络后重试</span>
      <button type="button" onClick={retry} aria-disabled={retrying}>
        {retrying ? '正在重试…' : '重试'}
      </button>
    </div>
  );
}

const host = document.createElement('div');
document.body.prepend(host);
render(<OfflineBanner />, host);

// Only built pages have a service worker: sw.js, at the root of the pages beside assets/ (wherever they are served).
// The bundle's own address tells (the dev server serves this file from /src/).
const bundle = import.meta.url;
if ('serviceWorker' in navigator && /\/assets\/[^/]+\.js$/.test(bundle))
  addEventListener('load', () => void navigator.serviceWorker.register(bundle.replace(/assets\/[^/]+$/, 'sw.js')).catch(() => undefined));
