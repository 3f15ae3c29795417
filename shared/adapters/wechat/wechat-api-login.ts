import * as z from 'zod/mini';
import { DependencyError } from '../../ports/dependency-error';
import { type WechatLogin, WechatLoginRefusedError, type WechatSession } from '../../ports/wechat-login';
import { UserId } from '../../schemas/common';

/** WeChat cannot answer now (facts §7: -1 busy, 45011 rate limit): the same code may still work on a retry. */
const BUSY_ERRCODES = new Set([-1, 45011]);
/** Errors about the app's own appid/secret/grant: nothing the user did; an operator must fix the settings. */
const CREDENTIAL_ERRCODES = new Set([40002, 40013, 40125, 41002, 41004]);

/**
 * What jscode2session answers. `session_key` is deliberately not a field: zod drops unknown keys, so the key never
 * leaves this parse (it is not kept, returned or logged; songli decrypts nothing with it).
 */
const Code2SessionAnswer = z.object({
  openid: z.optional(z.string()),
  unionid: z.optional(z.string()),
  errcode: z.optional(z.number()),
  errmsg: z.optional(z.string()),
});

export interface WechatApiLoginOptions {
  /** WECHAT_API_BASE: https://api.weixin.qq.com, or a stand-in. */
  apiBase: string;
  appId: string;
  appSecret: string;
  timeoutMs: number;
}

/** code2Session over WeChat's HTTP API: `GET {WECHAT_API_BASE}/sns/jscode2session` (facts §7). */
export class WechatApiLogin implements WechatLogin {
  private readonly endpoint: URL;

  constructor(private readonly opts: WechatApiLoginOptions) {
    this.endpoint = new URL('sns/jscode2session', opts.apiBase.endsWith('/') ? opts.apiBase : `${opts.apiBase}/`);
  }

  async code2Session(code: string): Promise<WechatSession> {
    const url = new URL(this.endpoint);
    url.search = new URLSearchParams({
      appid: this.opts.appId,
      secret: this.opts.appSecret,
      js_code: code,
      grant_type: 'authorization_code',
    }).toString();
    // Messages name the path only: the query carries the app secret.
    const what = `GET ${this.endpoint.pathname}`;
    let text: string;
    let status: number;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      status = res.status;
      text = await res.text();
    } catch (e) {
      throw new DependencyError('wechat', `${what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (status !== 200) throw new DependencyError('wechat', `${what} answered HTTP ${status}`);
    const answer = parseAnswer(text);
    if (!answer) throw new DependencyError('wechat', `${what} answered something other than its JSON (${Buffer.byteLength(text)} bytes)`);
    const errcode = answer.errcode ?? 0;
    if (errcode !== 0) {
      const message = `WeChat refused the login (errcode ${errcode}: ${answer.errmsg ?? 'no errmsg'})`;
      if (BUSY_ERRCODES.has(errcode)) throw new DependencyError('wechat', message);
      if (CREDENTIAL_ERRCODES.has(errcode)) {
        throw new DependencyError('wechat', `${message}: check WECHAT_APPID and WECHAT_APP_SECRET`);
      }
      throw new WechatLoginRefusedError(errcode, message);
    }
    if (!answer.openid || !UserId.safeParse(answer.openid).success)
      throw new DependencyError('wechat', `${what} answered without a usable openid`);
    return { openid: answer.openid, unionid: answer.unionid ?? null };
  }
}

/** WeChat labels this JSON text/plain, so the body is parsed whatever its content type. */
function parseAnswer(text: string): z.output<typeof Code2SessionAnswer> | null {
  try {
    const parsed = Code2SessionAnswer.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
