import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import { nonce } from '../../shared/adapters/wechatpay/wechatpay-crypto';
import type { Clock } from '../../shared/ports/clock';
import { type Answer, ok, wxError } from './standin-answer';
import type { StandinIdentity } from './standin-identity';

const CODE_VALID_MS = 5 * 60_000;
const TOKEN_TTL_SECONDS = 7200;
/** Normal mode hands out the current token until 5 minutes before it expires (facts §8). */
const RENEW_BEFORE_SECONDS = 300;
const FORCE_MIN_INTERVAL_MS = 30_000;
const FORCE_PER_DAY = 20;

export const Code2SessionQuery = z.object({
  appid: z.string().min(1),
  secret: z.string().min(1),
  js_code: z.string().min(1),
  grant_type: z.string(),
});

export const StableTokenRequest = z.object({
  grant_type: z.string(),
  appid: z.string().min(1),
  secret: z.string().min(1),
  force_refresh: z.boolean().optional(),
});

interface LoginCode {
  openid: string;
  unionid?: string;
  expiresAtMs: number;
  used: boolean;
}

export interface AccessToken {
  token: string;
  issuedAtMs: number;
  expiresAtMs: number;
  revoked: boolean;
}

/**
 * wx.login codes (issued by the stand-in's payer API, valid 5 minutes, single use) traded for an openid and a
 * session_key, and stable access tokens (the same one until 5 minutes before expiry; force_refresh revokes it).
 */
export class WxLogin {
  private readonly codes = new Map<string, LoginCode>();
  readonly tokens: AccessToken[] = [];
  private readonly forcedAtMs: number[] = [];

  constructor(private readonly deps: { identity: StandinIdentity; clock: Clock }) {}

  issueCode(openid: string, unionid?: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { openid, ...(unionid ? { unionid } : {}), expiresAtMs: this.nowMs() + CODE_VALID_MS, used: false });
    return code;
  }

  code2session(query: unknown): Answer {
    const parsed = Code2SessionQuery.safeParse(query);
    if (!parsed.success) {
      const missing = parsed.error.issues[0]?.path[0];
      if (missing === 'appid') return wxError(41002, 'appid missing');
      if (missing === 'secret') return wxError(41004, 'appsecret missing');
      return missing === 'js_code' ? wxError(41008, 'missing code') : wxError(40002, 'invalid grant_type');
    }
    const q = parsed.data;
    if (q.grant_type !== 'authorization_code') return wxError(40002, 'invalid grant_type');
    if (q.appid !== this.deps.identity.appId) return wxError(40013, 'invalid appid');
    if (q.secret !== this.deps.identity.appSecret) return wxError(40125, 'invalid appsecret');
    const code = this.codes.get(q.js_code);
    if (!code || this.nowMs() >= code.expiresAtMs) return wxError(40029, 'invalid code');
    if (code.used) return wxError(40163, 'code been used');
    code.used = true;
    return ok({ session_key: randomBytes(16).toString('base64'), openid: code.openid, ...(code.unionid ? { unionid: code.unionid } : {}) });
  }

  stableToken(body: unknown): Answer {
    const parsed = StableTokenRequest.safeParse(body);
    if (!parsed.success) return wxError(47001, 'data format error');
    const req = parsed.data;
    if (req.grant_type !== 'client_credential') return wxError(40002, 'invalid grant_type');
    if (req.appid !== this.deps.identity.appId) return wxError(40013, 'invalid appid');
    if (req.secret !== this.deps.identity.appSecret) return wxError(40125, 'invalid appsecret');
    const now = this.nowMs();
    const current = this.tokens.at(-1);
    if (req.force_refresh) {
      const today = this.forcedAtMs.filter((t) => now - t < 86_400_000);
      if (today.length >= FORCE_PER_DAY) return wxError(45009, 'reach max api daily quota limit');
      if (today.some((t) => now - t < FORCE_MIN_INTERVAL_MS))
        return wxError(45011, 'api minute-quota reach limit  mustslower  retry next minute');
      this.forcedAtMs.push(now);
      for (const t of this.tokens) t.revoked = true;
      return this.answer(this.mint(now), now);
    }
    const reusable = current && !current.revoked && current.expiresAtMs - now > RENEW_BEFORE_SECONDS * 1000;
    return this.answer(reusable ? current : this.mint(now), now);
  }

  /** ok, or the errcode subscribe/send answers for this token. */
  checkToken(token: string | undefined): 'ok' | 40001 | 42001 {
    const found = token ? this.tokens.find((t) => t.token === token) : undefined;
    if (!found || found.revoked) return 40001;
    return this.nowMs() >= found.expiresAtMs ? 42001 : 'ok';
  }

  private mint(now: number): AccessToken {
    const token: AccessToken = { token: nonce(136), issuedAtMs: now, expiresAtMs: now + TOKEN_TTL_SECONDS * 1000, revoked: false };
    this.tokens.push(token);
    return token;
  }

  private answer(token: AccessToken, now: number): Answer {
    return ok({ access_token: token.token, expires_in: Math.floor((token.expiresAtMs - now) / 1000) });
  }

  private nowMs(): number {
    return this.deps.clock.now().getTime();
  }
}
