/**
 * The claim page on a slow phone: the bytes it transfers (compressed, headers included) and its time to the card, in
 * Chromium with the CPU throttled 4× and Chrome DevTools' "Slow 3G" network, against the local server (pages built
 * with the project's Vite config, a friend signed in). Three visits:
 * - first visit: empty cache;
 * - repeat visit: the same browser later (the hashed bundles come from the HTTP cache, index.html is revalidated);
 * - first visit, uncompressed: `Accept-Encoding: identity`, what compression saves.
 * The service worker is blocked: DevTools' network emulation applies to the page, not to the worker's own fetches,
 * so the repeat visit measures the HTTP cache (the worker would only skip the 304s).
 * Printed and written to bench/results/pages.json; never asserted.
 *
 *   npm run bench:pages [-- --runs 5] [--link g|hash]
 *
 * --link: how the friend opens the link: `g` (default) = /g/<token>, the server's page with Open Graph tags, as links
 * are shared; `hash` = the old /#/claim/<token> form, which the pages redirect to /g/<token>.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { BrowserContext, CDPSession } from 'playwright-core';
import { build } from 'vite';
import { startLocalServer } from '../local/start-local-server';
import { launchChromium } from '../test/support/browser';
import { machineInfo, printTable, round, warnIfBusy, writeJson } from './lib/report';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, link: { type: 'string', default: 'g' } } });
const RUNS = Number(values.runs);

/**
 * Chrome DevTools' "Slow 3G" preset (renamed "3G" in 2024), as defined in DevTools' front_end/core/sdk/NetworkManager.ts
 * (Slow3GConditions) and Puppeteer's PredefinedNetworkConditions['Slow 3G']: 500 kbit/s × 0.8 each way, 400 ms × 5
 * round-trip latency.
 */
export const SLOW_3G = { download: ((500 * 1000) / 8) * 0.8, upload: ((500 * 1000) / 8) * 0.8, latency: 400 * 5 };
const CPU_SLOWDOWN = 4;

interface Visit {
  /** performance.now() (from navigation start) when the card with the product first showed. */
  cardMs: number;
  firstContentfulPaintMs: number | null;
  /** Bytes on the wire: compressed bodies plus headers (CDP's encodedDataLength), per request. */
  transferred: number;
  /** Bodies after decoding. */
  decoded: number;
  requests: Array<{ url: string; status: number; transferred: number; decoded: number; fromCache: boolean }>;
}

/** Throttles the page and records every response's size until the card shows. */
async function visit(context: BrowserContext, url: string, identity: boolean): Promise<Visit> {
  const page = await context.newPage();
  const cdp: CDPSession = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: SLOW_3G.latency,
    downloadThroughput: SLOW_3G.download,
    uploadThroughput: SLOW_3G.upload,
    connectionType: 'cellular3g',
  });
  if (identity) await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'accept-encoding': 'identity' } });
  const seen = new Map<string, { url: string; status: number; transferred: number; decoded: number; fromCache: boolean }>();
  const fromMemory = new Set<string>();
  cdp.on('Network.requestServedFromCache', (e) => fromMemory.add(e.requestId));
  cdp.on('Network.responseReceived', (e) =>
    seen.set(e.requestId, {
      url: e.response.url.replace(/^https?:\/\/[^/]+/, ''),
      status: e.response.status,
      transferred: 0,
      decoded: 0,
      fromCache: e.response.fromDiskCache === true || fromMemory.has(e.requestId),
    }),
  );
  cdp.on('Network.dataReceived', (e) => {
    const r = seen.get(e.requestId);
    if (r) r.decoded += e.dataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = seen.get(e.requestId);
    if (r) r.transferred = r.fromCache ? 0 : e.encodedDataLength;
  });
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('section.gift-card').waitFor({ timeout: 120_000 });
  const timing = (await page.evaluate(`({
    card: window.__cardAt ?? performance.now(),
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
  })`)) as { card: number; fcp: number | null };
  await page.waitForLoadState('networkidle');
  await page.close();
  const requests = [...seen.values()];
  return {
    cardMs: timing.card,
    firstContentfulPaintMs: timing.fcp,
    transferred: requests.reduce((s, r) => s + r.transferred, 0),
    decoded: requests.reduce((s, r) => s + r.decoded, 0),
    requests,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'songli-pages-'));
const machine = machineInfo();
warnIfBusy(machine);
const webRoot = join(dir, 'web');
await build({ configFile: join(import.meta.dirname, '..', 'web', 'vite.config.ts'), build: { outDir: webRoot }, logLevel: 'error' });
const server = await startLocalServer({ timers: false, webRoot, env: { PORT: '0', DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' } });
const browser = await launchChromium();
try {
  const giver = await server.dev.issueToken('u_xiaoming');
  const friend = { userId: 'u_xiaohong', token: await server.dev.issueToken('u_xiaohong') };
  const auth = { authorization: `Bearer ${giver}`, 'content-type': 'application/json' };
  const created = (await (
    await fetch(`${server.url}/gifts`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ skuId: 'sku_scarf_blue', message: '天冷了，围上吧 🧣' }),
    })
  ).json()) as { gift: { id: string } };
  const paid = (await (await fetch(`${server.url}/gifts/${created.gift.id}/pay`, { method: 'POST', headers: auth })).json()) as {
    gift: { claimToken: string };
  };
  const token = paid.gift.claimToken;
  const url = values.link === 'g' ? `${server.url}/g/${token}` : `${server.url}/#/claim/${token}`;

  const newPhone = async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'zh-CN',
      serviceWorkers: 'block',
    });
    // Signed in, as a friend inside WeChat would be; the moment the card shows is noted by the page itself.
    await context.addInitScript(`
      localStorage.setItem('songli.session', ${JSON.stringify(JSON.stringify(friend))});
      new MutationObserver((_, observer) => {
        if (document.querySelector('section.gift-card')) { window.__cardAt = performance.now(); observer.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    `);
    return context;
  };

  const scenarios: Record<string, Visit[]> = { 'first visit': [], 'repeat visit': [], 'first visit, uncompressed': [] };
  for (let i = 0; i < RUNS; i++) {
    const phone = await newPhone();
    scenarios['first visit']!.push(await visit(phone, url, false));
    scenarios['repeat visit']!.push(await visit(phone, url, false));
    await phone.close();
    const plain = await newPhone();
    scenarios['first visit, uncompressed']!.push(await visit(plain, url, true));
    await plain.close();
    console.log(`run ${i + 1}/${RUNS} done`);
  }

  const rows = Object.entries(scenarios).map(([name, visits]) => ({
    visit: name,
    'transferred KB': round(median(visits.map((v) => v.transferred)) / 1024, 1),
    'decoded KB': round(median(visits.map((v) => v.decoded)) / 1024, 1),
    requests: median(visits.map((v) => v.requests.filter((r) => !r.fromCache).length)),
    'FCP ms': round(median(visits.map((v) => v.firstContentfulPaintMs ?? Number.NaN)), 0),
    'card ms (median)': round(median(visits.map((v) => v.cardMs)), 0),
    'card ms (min–max)': `${round(Math.min(...visits.map((v) => v.cardMs)), 0)}–${round(Math.max(...visits.map((v) => v.cardMs)), 0)}`,
  }));
  console.log(
    `\nClaim page (${values.link === 'g' ? '/g/<token>' : '/#/claim/<token>'}), ${RUNS} runs each, CPU ${CPU_SLOWDOWN}× slower, Slow 3G:\n`,
  );
  printTable(rows);
  console.log('\nFirst visit, per request:');
  printTable(
    scenarios['first visit']![0]!.requests.map((r) => ({
      request: r.url.replace(/\/claims\/[^/?]+/, '/claims/<token>').replace(/#.*/, ''),
      status: r.status,
      'transferred B': r.transferred,
      'decoded B': r.decoded,
    })),
  );
  writeJson('pages.json', { cpuSlowdown: CPU_SLOWDOWN, network: SLOW_3G, link: values.link, runs: RUNS, rows, scenarios });
} finally {
  await browser.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
