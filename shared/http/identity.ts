import type { Context } from 'hono';
import { jwtVerify, SignJWT } from 'jose';
import { UserId } from '../schemas/common';

/**
 * Who is calling. Each platform answers it its own way (a verified JWT from API Gateway's authorizer, CloudBase's
 * WX_OPENID, the local dev token) behind this one function; null means unauthenticated.
 */
export type IdentityResolver = (c: Context) => Promise<string | null> | string | null;

const DEV_ISSUER = 'songli-local';
const DEV_AUDIENCE = 'songli';
export const DEV_TOKEN_LIFETIME = '7d';

/**
 * Local mode: `Authorization: Bearer <token>` where the token is an HS256 JWT issued by POST /dev/login. A token must
 * carry `exp` (one without would be valid forever) and `sub`.
 */
export function devTokenIdentity(secret: Uint8Array): { resolve: IdentityResolver; issue(userId: string): Promise<string> } {
  return {
    async resolve(c) {
      const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
      if (!m) return null;
      try {
        const { payload } = await jwtVerify(m[1]!, secret, {
          issuer: DEV_ISSUER,
          audience: DEV_AUDIENCE,
          algorithms: ['HS256'],
          requiredClaims: ['exp', 'sub'],
        });
        return UserId.safeParse(payload.sub).success ? (payload.sub as string) : null;
      } catch {
        return null;
      }
    },
    issue: (userId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(DEV_TOKEN_LIFETIME)
        .sign(secret),
  };
}
