/**
 * Renders the pages' PNG pictures from web/public/favicon.svg with Chromium: apple-touch-icon.png (180 × 180, square:
 * iOS rounds the corners) and og-image.png (1200 × 630, the picture of a shared claim link). Run after changing the
 * icon: `npx tsx scripts/render-page-icons.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../test/support/browser';

const PUBLIC = join(import.meta.dirname, '..', 'web', 'public');
const BRAND = '#067a3e';
const icon = `data:image/svg+xml;base64,${readFileSync(join(PUBLIC, 'favicon.svg')).toString('base64')}`;

const browser = await launchChromium();
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const render = async (width: number, height: number, body: string, file: string) => {
    await page.setViewportSize({ width, height });
    await page.setContent(`<!doctype html><html><body style="margin:0">${body}</body></html>`);
    await page.evaluate('document.fonts.ready');
    await page.screenshot({ path: join(PUBLIC, file) });
  };
  await render(180, 180, `<img src="${icon}" style="display:block;width:180px;height:180px;background:${BRAND}">`, 'apple-touch-icon.png');
  await render(
    1200,
    630,
    `<div style="width:1200px;height:630px;display:flex;align-items:center;justify-content:center;gap:56px;background:${BRAND};
      font-family:'Noto Sans CJK SC','PingFang SC',sans-serif;color:#fff">
      <img src="${icon}" style="width:300px;height:300px;border-radius:64px;outline:6px solid rgba(255,255,255,.9)">
      <div><div style="font-size:96px;font-weight:700;letter-spacing:8px">送礼物</div>
      <div style="font-size:48px;margin-top:24px;opacity:.95">你收到一份礼物</div></div></div>`,
    'og-image.png',
  );
  console.log(`wrote ${PUBLIC}/apple-touch-icon.png and og-image.png`);
} finally {
  await browser.close();
}
