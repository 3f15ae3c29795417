/**
 * What a chat preview of a claim link (`/g/<token>`) shows: a title, a line and a picture, never the message, the
 * price or the recipient. Without a preview it is the same for every link (so the page reveals nothing and answers
 * alike for unknown tokens); with the public preview (`GET /claims/:token/preview`) it may name the giver and product.
 */

/** The public preview of a claim link: exactly what `GET /claims/:token/preview` answers. */
export interface ClaimPreview {
  giverName: string | null;
  product: { title: string };
  open: boolean;
}

export interface PageMeta {
  title: string;
  description: string;
  image: { url: string; width: number; height: number; alt: string };
}

export const SITE_NAME = '送礼物';
/** web/public/og-image.png, copied to the root of the built pages. */
export const OG_IMAGE = { path: '/og-image.png', width: 1200, height: 630, alt: '一个系着丝带的礼盒' };

export function claimPageMeta(origin: string, preview?: ClaimPreview | null): PageMeta {
  const image = { url: new URL(OG_IMAGE.path, origin).href, width: OG_IMAGE.width, height: OG_IMAGE.height, alt: OG_IMAGE.alt };
  if (!preview) return { title: '你收到一份礼物', description: '朋友送你一份礼物，点开看看吧。', image };
  const giver = preview.giverName?.trim();
  return {
    title: giver ? `${giver}送你一份礼物` : '你收到一份礼物',
    description: preview.open ? `${preview.product.title}，点开领取。` : `${preview.product.title}，这份礼物已不能领取。`,
    image,
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The pages' index.html with the page's own `<title>` and Open Graph tags in place of the generic title. */
export function withPageMeta(html: string, meta: PageMeta): string {
  const tag = (attr: 'name' | 'property', key: string, value: string | number) =>
    `<meta ${attr}="${key}" content="${escapeHtml(String(value))}" />`;
  const head = [
    `<title>${escapeHtml(`${meta.title} · ${SITE_NAME}`)}</title>`,
    tag('name', 'description', meta.description),
    tag('name', 'robots', 'noindex, nofollow'),
    tag('property', 'og:type', 'website'),
    tag('property', 'og:site_name', SITE_NAME),
    tag('property', 'og:title', meta.title),
    tag('property', 'og:description', meta.description),
    tag('property', 'og:image', meta.image.url),
    tag('property', 'og:image:width', meta.image.width),
    tag('property', 'og:image:height', meta.image.height),
    tag('property', 'og:image:alt', meta.image.alt),
  ].join('\n    ');
  if (!/<title>[^<]*<\/title>/.test(html)) throw new Error('the pages’ index.html has no <title> to replace');
  return html.replace(/<title>[^<]*<\/title>/, () => head);
}
