/**
 * The offline shell: keeps the pages' index.html and hashed bundles, so a reload while the server cannot be reached
 * shows the app itself (which then says 网络不可用 and offers 重试) instead of the browser's error page.
 * Navigations go to the network first (index.html is never stale while online); the hashed bundles, whose names
 * change with their content, come from the cache. API requests are not touched.
 * Built by web/offline/vite-plugin.ts, which puts the build's file list in place of the placeholder below.
 */
const BUILD = __SONGLI_BUILD__;
const CACHE = `songli-shell-${BUILD.version}`;
const scope = () => self.registration.scope;
const SHELL = () => new URL('./', scope()).href;
const inBuild = (url) => BUILD.files.some((f) => new URL(f, scope()).href === url);
/** The app's own addresses: the start page and claim links (/g/<token>); other navigations are not the app's. */
const isAppPage = (url) => {
  const path = url.startsWith(scope()) ? url.slice(scope().length).split(/[?#]/)[0] : null;
  return path === '' || path === 'index.html' || /^g\/[^/]+$/.test(path ?? '');
};

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([new Request(SHELL(), { cache: 'reload' }), ...BUILD.files]))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('songli-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && isAppPage(request.url)) {
    event.respondWith(
      fetch(request).catch(async (offline) => {
        const shell = await caches.match(SHELL(), { cacheName: CACHE });
        if (!shell) throw offline;
        return shell;
      }),
    );
  } else if (inBuild(request.url)) {
    event.respondWith(caches.match(request, { cacheName: CACHE }).then((cached) => cached ?? fetch(request)));
  }
});
