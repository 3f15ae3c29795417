import { iso } from '../../shared/domain/time';
import * as contract from '../../shared/http/contract';
import { route } from '../../shared/http/route';
import { signInWithWechat } from '../../shared/use-cases/sign-in-with-wechat';

/** POST /auth/wechat: a wx.login code becomes the app's own token (no bearer token needed, none accepted). */
export default route(contract.wechatLogin, async ({ deps, body }) => {
  const { token, expiresAt } = await signInWithWechat(deps, body.code);
  // A token is a credential: no shared cache may keep this answer.
  return { body: { token, expiresAt: iso(expiresAt) }, headers: { 'Cache-Control': 'no-store' } };
});
