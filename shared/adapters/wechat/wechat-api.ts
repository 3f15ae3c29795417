import { DependencyError } from '../../ports/dependency-error';

/** What api.weixin.qq.com answers: HTTP 200 with `errcode` (absent or 0 on success) and the call's fields. */
export interface WechatAnswer {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

/**
 * api.weixin.qq.com could not be reached, did not answer in time, answered something that is not its JSON, or
 * answered an error worth retrying later (`errcode`: -1 busy, 45009 quota, …). Dispatchers retry it.
 */
export class WechatCallError extends DependencyError {
  constructor(
    message: string,
    readonly errcode: number | null,
    cause?: unknown,
  ) {
    super('wechat', message, { cause });
    this.name = 'WechatCallError';
  }
}

/**
 * POSTs JSON to an api.weixin.qq.com path. The URL's query (it carries the access token) never appears in an error;
 * neither does the body (it carries the app secret or an openid).
 */
export async function postWechat(url: string, body: unknown, timeoutMs: number): Promise<WechatAnswer> {
  const path = new URL(url).pathname;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    const why = e instanceof Error && e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : String(e);
    throw new WechatCallError(`POST ${path} failed: ${why}`, null, e);
  }
  if (!res.ok) throw new WechatCallError(`POST ${path} answered HTTP ${res.status}`, null);
  try {
    const answer = JSON.parse(text) as unknown;
    if (typeof answer === 'object' && answer !== null && !Array.isArray(answer)) return answer as WechatAnswer;
  } catch {
    // falls through: not WeChat's JSON
  }
  throw new WechatCallError(`POST ${path} answered HTTP ${res.status} without a JSON object (${Buffer.byteLength(text)} bytes)`, null);
}

/** `errcode 45009 (reach max api daily quota limit)`, for messages. */
export const describeError = (a: WechatAnswer) => `errcode ${a.errcode}${a.errmsg ? ` (${a.errmsg})` : ''}`;
