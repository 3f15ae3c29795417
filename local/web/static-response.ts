import { createHash } from 'node:crypto';
import { extname } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chooseEncoding, type Encoding } from './content-encoding';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
/** Text compresses; images and fonts already are. */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.webmanifest', '.txt']);

export const typeOf = (name: string): string => TYPES[extname(name)] ?? 'application/octet-stream';

/** One body ready to send: its bytes, validator and compressed forms (made once, when first asked for). */
export class Payload {
  readonly etag: string;
  private readonly variants = new Map<Encoding, Buffer>();

  constructor(
    readonly bytes: Buffer,
    readonly type: string,
    readonly compressible: boolean,
    /** brotli quality: 11 for files compressed once and kept, lower for bodies made per request. */
    private readonly brotliQuality = 11,
  ) {
    // Weak: the compressed forms are the same content in other bytes.
    this.etag = `W/"${createHash('sha256').update(bytes).digest('base64url').slice(0, 22)}"`;
  }

  static forFile(name: string, bytes: Buffer): Payload {
    return new Payload(bytes, typeOf(name), COMPRESSIBLE.has(extname(name)));
  }

  /** The body in the given coding, or null when compressing would not make it smaller. */
  encoded(encoding: Encoding): Buffer | null {
    let body = this.variants.get(encoding);
    if (!body) {
      body =
        encoding === 'br'
          ? brotliCompressSync(this.bytes, {
              params: { [constants.BROTLI_PARAM_QUALITY]: this.brotliQuality, [constants.BROTLI_PARAM_SIZE_HINT]: this.bytes.length },
            })
          : gzipSync(this.bytes, { level: 9 });
      this.variants.set(encoding, body);
    }
    return body.length < this.bytes.length ? body : null;
  }
}

const weak = (tag: string) => (tag.startsWith('W/') ? tag : `W/${tag}`);

/**
 * The HTTP answer for a payload: the best coding the client accepts (Vary says the answer depends on it), the
 * cache policy given, and 304 when the client's copy is current (If-None-Match).
 */
export function respond(request: Request, payload: Payload, cacheControl: string, extraHeaders: Record<string, string> = {}): Response {
  const headers = new Headers({ 'content-type': payload.type, 'cache-control': cacheControl, etag: payload.etag, ...extraHeaders });
  if (payload.compressible) headers.set('vary', 'accept-encoding');
  const tags = request.headers.get('if-none-match');
  if (tags && (tags.trim() === '*' || tags.split(',').some((t) => weak(t.trim()) === payload.etag)))
    return new Response(null, { status: 304, headers });
  const encoding = payload.compressible ? chooseEncoding(request.headers.get('accept-encoding')) : null;
  const compressed = encoding ? payload.encoded(encoding) : null;
  if (encoding && compressed) headers.set('content-encoding', encoding);
  const body = compressed ?? payload.bytes;
  headers.set('content-length', String(body.length));
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}
