import { AppError } from '../domain/errors';
import type { Deps } from '../ports/deps';
import type { IssuedToken, TokenIssuer } from '../ports/token-issuer';
import { WechatLoginRefusedError } from '../ports/wechat-login';

const DISABLED = 'WeChat sign-in is not configured here (WECHAT_APPID, WECHAT_APP_SECRET, AUTH_JWT_PRIVATE_KEY, AUTH_JWT_ISSUER)';

/** The app's token issuer, or WECHAT_LOGIN_DISABLED where it is not configured (CloudBase identifies callers itself). */
export function requireTokenIssuer(deps: Deps): TokenIssuer {
  if (!deps.tokenIssuer) throw new AppError('WECHAT_LOGIN_DISABLED', DISABLED);
  return deps.tokenIssuer;
}

/**
 * POST /auth/wechat: a wx.login code becomes the app's own token for that openid. A code WeChat refuses is
 * WECHAT_LOGIN_FAILED (log in again); WeChat busy or unreachable stays a DependencyError (503, retry the same code).
 */
export async function signInWithWechat(deps: Deps, code: string): Promise<IssuedToken> {
  const issuer = requireTokenIssuer(deps);
  if (!deps.wechatLogin) throw new AppError('WECHAT_LOGIN_DISABLED', DISABLED);
  let openid: string;
  try {
    ({ openid } = await deps.wechatLogin.code2Session(code));
  } catch (e) {
    if (e instanceof WechatLoginRefusedError) {
      deps.logger.info({ errcode: e.errcode }, 'wechat login refused');
      throw new AppError('WECHAT_LOGIN_FAILED', 'WeChat refused this login code (invalid, expired or already used): call wx.login again', {
        cause: e,
      });
    }
    throw e;
  }
  return issuer.issue(openid);
}
