import { type Agent, request } from 'node:http';

/** A parsed JSON answer. */
export interface JsonResponse<T = any> {
  status: number;
  body: T;
}

/**
 * One JSON request over node:http (no fetch: the caller controls the connection pool through `agent`).
 * Sends `Authorization: Bearer <token>` when a token is given.
 */
export function httpJson<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; agent?: Agent } = {},
): Promise<JsonResponse<T>> {
  const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, baseUrl), { method, headers, agent: opts.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: text as T });
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Logs in through `POST /dev/login` (local mode) and returns the bearer token. */
export async function login(baseUrl: string, userId: string, agent?: Agent): Promise<string> {
  const r = await httpJson<{ token: string }>(baseUrl, 'POST', '/dev/login', { body: { userId }, agent });
  if (r.status !== 200) throw new Error(`login ${userId} answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.token;
}

/** The giver creates and pays a gift over HTTP; returns its id and the claim token. */
export async function sendGift(
  baseUrl: string,
  giverToken: string,
  skuId = 'sku_tea_250',
): Promise<{ giftId: string; claimToken: string }> {
  const created = await httpJson(baseUrl, 'POST', '/gifts', { token: giverToken, body: { skuId } });
  if (created.status !== 201) throw new Error(`POST /gifts answered ${created.status} ${JSON.stringify(created.body)}`);
  const giftId: string = created.body.gift.id;
  const paid = await httpJson(baseUrl, 'POST', `/gifts/${giftId}/pay`, { token: giverToken });
  if (paid.status !== 200) throw new Error(`POST /gifts/${giftId}/pay answered ${paid.status} ${JSON.stringify(paid.body)}`);
  return { giftId, claimToken: paid.body.gift.claimToken };
}

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
