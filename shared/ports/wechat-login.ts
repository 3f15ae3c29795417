/** Who a wx.login code belongs to. The session_key WeChat also returns is dropped by the adapter: songli never keeps it. */
export interface WechatSession {
  openid: string;
  unionid: string | null;
}

/**
 * WeChat's code2Session (jscode2session): trades a wx.login code for the user's openid. A code WeChat refuses (bad,
 * expired, already used, a high-risk user) is a WechatLoginRefusedError; WeChat busy, rate limiting, a timeout or no
 * answer is a DependencyError (shared/ports/dependency-error.ts).
 */
export interface WechatLogin {
  code2Session(code: string): Promise<WechatSession>;
}

/** WeChat refused the code itself (40029 bad or expired, 40163 used, 40226 high-risk, …): the caller must log in again. */
export class WechatLoginRefusedError extends Error {
  constructor(
    readonly errcode: number,
    message: string,
  ) {
    super(message);
    this.name = 'WechatLoginRefusedError';
  }
}
