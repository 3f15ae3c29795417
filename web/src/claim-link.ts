/**
 * Claim links are real paths, `<app>/g/<token>`, so a chat preview can fetch a page with a title and a picture for
 * them; every other page stays a hash route (`<app>/#/sent`). `<app>` is wherever the pages are hosted ('/' locally).
 */

const CLAIM_PATH = /\/g\/([^/]+)\/?$/;

/** The directory the pages are served from, ending in '/': '/' for '/', '/g/<token>' and '/index.html'. */
export function appRoot(pathname = location.pathname): string {
  return pathname.replace(CLAIM_PATH, '/').replace(/[^/]*$/, '');
}

/** The link a giver shares: `https://host/g/<token>`. */
export const claimLinkOf = (token: string): string => `${location.origin}${appRoot()}g/${encodeURIComponent(token)}`;

/** A hash page's address from anywhere, a claim page included: `/#/received`. */
export const pageHref = (route: string): string => `${appRoot()}#${route}`;

/** The token of a `/g/<token>` address, or null. */
export function claimTokenInPath(pathname = location.pathname): string | null {
  const m = CLAIM_PATH.exec(pathname);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return null;
  }
}

/** The token of an old `#/claim/<token>` link (shared before claim links became paths), or null. */
export function oldClaimToken(hash = location.hash): string | null {
  const m = /^#\/claim\/([^/?#]+)$/.exec(hash);
  return m ? decodeURIComponent(m[1]!) : null;
}

/**
 * Sends an old `#/claim/<token>` link to its `/g/<token>` address (replacing it in history, so 返回 does not bounce).
 * Not from a file:// preview, which has no such path. True when the page is leaving.
 */
export function redirectOldClaimLink(): boolean {
  const token = oldClaimToken();
  if (!token || !location.protocol.startsWith('http')) return false;
  location.replace(claimLinkOf(token));
  return true;
}
