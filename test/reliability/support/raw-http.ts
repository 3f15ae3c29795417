/**
 * A raw HTTP client for hostile requests (any method, a body on GET, no automatic content type, chunked
 * bodies, header bytes that fetch would refuse) and the checks every answer of the API must pass.
 */
import { Agent, type IncomingHttpHeaders, request } from 'node:http';
import { ERROR_STATUS } from '../../../shared/http/error-status';

export interface RawRequest {
  method: string;
  /** Already encoded: sent byte for byte (only characters 0x21-0xFF). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Send the body with Transfer-Encoding: chunked instead of Content-Length. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export function rawClient(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  /**
   * A kept-alive socket the server has just closed (it closes after answering without reading a body, e.g. 413
   * or 401, once its 500 ms drain gives up) fails the next request sent on it with ECONNRESET. Node marks only
   * some of those requests `reusedSocket` (not ones that waited in the agent's queue), so any request that got
   * no answer is retried once on a fresh connection; failing there too is a real failure.
   */
  const send = (req: RawRequest): Promise<RawResponse> =>
    sendOnce(req, agent).catch((e: Error & { code?: string }) => {
      if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') throw e;
      return sendOnce(req, false).catch((again: Error & { code?: string }) => {
        throw Object.assign(new Error(`${again.message} (${again.code}), also on a fresh connection after ${e.code}`), {
          code: again.code,
        });
      });
    });
  const sendOnce = (req: RawRequest, agent: Agent | false): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined && !req.chunked) headers['content-length'] = String(req.body.length);
      let answered: RawResponse | null = null;
      const r = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          answered = { status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
          resolve(answered);
        });
        res.on('error', reject);
      });
      // The server may answer (413) and close before the whole body is written; the answer is what counts.
      r.on('error', (e) => (answered ? resolve(answered) : reject(e)));
      r.setTimeout(30_000, () => r.destroy(new Error('request timed out after 30 s')));
      if (req.body === undefined) r.end();
      else if (req.chunked) {
        for (let i = 0; i < req.body.length; i += 16 * 1024) r.write(req.body.subarray(i, i + 16 * 1024));
        r.end();
      } else r.end(req.body);
    });
  return { send, close: () => agent.destroy() };
}

/** Percent-encodes every byte of the UTF-8 form (lone surrogates become U+FFFD) except unreserved characters. */
export function pctEncode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9_.~-]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A header value carrying the UTF-8 bytes of `s` (Node sends header strings as latin1). Control characters are dropped. */
export function headerBytes(s: string): string {
  return Buffer.from(s.replace(/[\u0000-\u0008\u000A-\u001F\u007F]/g, ''), 'utf8').toString('latin1');
}

export const isErrorCode = (code: unknown): code is keyof typeof ERROR_STATUS =>
  typeof code === 'string' && Object.hasOwn(ERROR_STATUS, code);

/**
 * What every answer must be: below 500; an error is exactly {"error":{"code","message"[,"issues"]}} with a
 * catalogued code whose status is the response's; a validation error lists its issues; a success is 2xx JSON.
 * Returns the problem, or null.
 */
export function envelopeProblem(method: string, res: RawResponse, format?: 'wechatpay'): string | null {
  if (res.status >= 500) return `status ${res.status}`;
  if (format === 'wechatpay') return wechatpayFailProblem(res);
  if (method === 'HEAD') return null; // no body by definition
  const type = String(res.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(type)) return `content-type ${JSON.stringify(type)} is not JSON`;
  let body: any;
  try {
    body = JSON.parse(res.text);
  } catch {
    return 'body is not JSON';
  }
  if (res.status >= 200 && res.status < 300) return body !== null && typeof body === 'object' ? null : 'success body is not a JSON object';
  if (res.status < 400) return `unexpected status ${res.status}`;
  if (body === null || typeof body !== 'object' || Array.isArray(body) || Object.keys(body).join() !== 'error')
    return 'error body is not {"error":{…}}';
  const e = body.error;
  if (e === null || typeof e !== 'object') return 'error is not an object';
  const extra = Object.keys(e).filter((k) => !['code', 'message', 'issues'].includes(k));
  if (extra.length) return `error has unexpected keys ${extra.join(',')}`;
  const code: unknown = e.code;
  if (!isErrorCode(code)) return `error code ${JSON.stringify(code)} is not in ERROR_STATUS`;
  if (ERROR_STATUS[code] !== res.status) return `code ${code} is catalogued as ${ERROR_STATUS[code]} but answered ${res.status}`;
  if (typeof e.message !== 'string' || e.message === '') return 'error message is not a non-empty string';
  if (e.code === 'VALIDATION_FAILED') {
    if (!Array.isArray(e.issues) || e.issues.length === 0) return 'VALIDATION_FAILED without issues';
    for (const i of e.issues) {
      if (
        i === null ||
        typeof i !== 'object' ||
        typeof i.path !== 'string' ||
        typeof i.message !== 'string' ||
        Object.keys(i).sort().join() !== 'message,path'
      ) {
        return `malformed issue ${JSON.stringify(i)}`;
      }
    }
  } else if (e.issues !== undefined && !Array.isArray(e.issues)) return 'issues is not an array';
  return null;
}

/** WeChat Pay's notify answers: 204, or 4xx with exactly {"code":"FAIL","message"} (what WeChat Pay reads). */
function wechatpayFailProblem(res: RawResponse): string | null {
  if (res.status === 204 || res.status === 200) return null;
  if (res.status < 400) return `unexpected status ${res.status}`;
  let body: any;
  try {
    body = JSON.parse(res.text);
  } catch {
    return 'body is not JSON';
  }
  if (body === null || typeof body !== 'object' || Object.keys(body).sort().join() !== 'code,message' || body.code !== 'FAIL')
    return 'error body is not {"code":"FAIL","message"}';
  return typeof body.message === 'string' && body.message !== '' ? null : 'message is not a non-empty string';
}

/** Shortens a request for a failure report: long strings are cut, the body shown as text. */
export function describeRequest(req: RawRequest): string {
  const cut = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, cut(v, 120)]));
  const body = req.body === undefined ? undefined : cut(req.body.toString('utf8'));
  return JSON.stringify({
    method: req.method,
    path: cut(req.path),
    headers,
    body,
    bodyBytes: req.body?.length,
    chunked: req.chunked || undefined,
  });
}
