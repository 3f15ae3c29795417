import type { IdentityResolver } from '../../http/identity';
import { UserId } from '../../schemas/common';
import { loadTcb } from './cloudbase-sdk';

/**
 * The caller is the WeChat user CloudBase vouches for: WX_OPENID from the invocation context (set for
 * calls from a mini program, and for HTTP access with CloudBase auth on a WeChat login). No openid, no identity.
 */
export const cloudbaseIdentity: IdentityResolver = async (c) => {
  const context = (c.env as { context?: unknown } | undefined)?.context;
  if (!context || typeof context !== 'object') return null;
  const tcb = await loadTcb();
  let openid: unknown;
  try {
    openid = tcb.getCloudbaseContext(context as never).WX_OPENID;
  } catch {
    return null; // a context the SDK cannot parse carries no identity
  }
  return typeof openid === 'string' && UserId.safeParse(openid).success ? openid : null;
};
