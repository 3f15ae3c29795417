import { type ClientAddressResolver, lastForwardedFor } from '../../http/client-address';
import { loadTcb } from './cloudbase-sdk';

/**
 * CloudBase: WX_CLIENTIP (or WX_CLIENTIPV6) from the invocation context where CloudBase sets it (calls from a mini program, HTTP access
 * with CloudBase auth); otherwise the X-Forwarded-For entry its HTTP access service appended (the last one).
 */
export const cloudbaseClientAddress: ClientAddressResolver = async (c) => {
  const context = (c.env as { context?: unknown } | undefined)?.context;
  if (context && typeof context === 'object') {
    const tcb = await loadTcb();
    try {
      const known = tcb.getCloudbaseContext(context as never);
      const ip = known.WX_CLIENTIP || known.WX_CLIENTIPV6;
      if (typeof ip === 'string' && ip) return ip;
    } catch {
      // a context the SDK cannot parse: fall back to the header
    }
  }
  return lastForwardedFor(c.req.header('x-forwarded-for'));
};
