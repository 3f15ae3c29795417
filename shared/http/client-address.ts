import { isIP } from 'node:net';
import type { Context } from 'hono';

/**
 * The address a request came from, as the platform in front of the app vouches for it (API Gateway's sourceIp, the
 * socket's peer locally, CloudBase's WX_CLIENTIP or its access service's X-Forwarded-For), or null when unknown.
 * Used only to limit anonymous claim-link lookups, never logged or stored beyond the limiter's window counters.
 */
export type ClientAddressResolver = (c: Context) => Promise<string | null> | string | null;

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail becomes the last two), or null. */
function ipv6Groups(addr: string): number[] | null {
  const [head = '', tail, ...more] = addr.split('::');
  if (more.length > 0) return null;
  const parse = (part: string) => {
    if (part === '') return [];
    const out: number[] = [];
    for (const g of part.split(':')) {
      if (g.includes('.')) {
        const b = g.split('.').map(Number);
        out.push(((b[0] ?? 0) << 8) | (b[1] ?? 0), ((b[2] ?? 0) << 8) | (b[3] ?? 0));
      } else out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const zeros = 8 - h.length - t.length;
  if (zeros < 0 || (tail === undefined && zeros !== 0)) return null;
  return [...h, ...Array<number>(zeros).fill(0), ...t];
}

/**
 * The limiter's key for an address: IPv4 as is (an IPv4-mapped IPv6 address too), IPv6 by its /64 prefix, since one
 * subscriber is handed a whole /64 and could otherwise rotate through it. Anything that is no IP address → null.
 */
export function clientAddressKey(raw: string | null | undefined): string | null {
  const addr = raw
    ?.trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  if (!addr) return null;
  const version = isIP(addr);
  if (version === 4) return addr;
  if (version !== 6) return null;
  const groups = ipv6Groups(addr.toLowerCase());
  if (!groups) return null;
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return [groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.');
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/**
 * The last X-Forwarded-For entry: the one the platform's proxy appended (a client may put any address before it).
 */
export function lastForwardedFor(header: string | undefined): string | null {
  const entries = (header ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.at(-1) ?? null;
}
