import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Context } from 'hono';
import { createLocalJWKSet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Clock } from '../ports/clock';
import type { TokenIssuer } from '../ports/token-issuer';
import { UserId } from '../schemas/common';
import { VerifiedTokenCache } from './verified-token-cache';

/**
 * Who is calling. Each platform answers it its own way (a verified JWT from API Gateway's authorizer, CloudBase's
 * WX_OPENID, the local dev token) behind this one function; null means unauthenticated.
 */
export type IdentityResolver = (c: Context) => Promise<string | null> | string | null;

/** The token of an `Authorization: Bearer <token>` header, or null. */
const bearerToken = (authorization: string): string | null => BEARER.exec(authorization)?.[1] ?? null;
const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * A resolver that verifies each distinct token once: `verify` (jose) on a miss, the cache until the token's `exp`
 * (by `nowMs`, the verifier's own clock) on a hit. Only accepted tokens are cached. A hit answers at once, without a
 * promise: it is every request of a signed-in caller but their first. The cache is keyed by the whole Authorization
 * header, which a caller sends unchanged and which determines the token: a hit need not parse it.
 */
function cachedResolver(verify: (token: string) => Promise<JWTPayload>, nowMs: () => number): IdentityResolver {
  const cache = new VerifiedTokenCache();
  const verifyAndRemember = async (authorization: string, token: string): Promise<string | null> => {
    try {
      const { sub, exp } = await verify(token);
      if (!UserId.safeParse(sub).success || typeof exp !== 'number') return null;
      cache.set(authorization, sub as string, exp);
      return sub as string;
    } catch {
      return null;
    }
  };
  return (c) => {
    const authorization = c.req.header('authorization');
    if (!authorization) return null;
    const known = cache.get(authorization, nowMs());
    if (known !== undefined) return known;
    const token = bearerToken(authorization);
    return token ? verifyAndRemember(authorization, token) : null;
  };
}

/**
 * The app's own RS256 tokens (POST /auth/wechat), checked the way API Gateway's JWT authorizer checks them on AWS:
 * against the issuer's published keys (by `kid`), RS256 only, `iss` and `aud` matching, `exp` required and not past.
 * The local server signs its callers in with it.
 */
export function appTokenIdentity(issuer: TokenIssuer, clock: Clock): IdentityResolver {
  // jose imports each published key once and keeps it (per JWK object), so no request re-imports a key.
  const keys = createLocalJWKSet(issuer.jwks());
  const { issuer: iss } = issuer.openIdConfiguration();
  const verify = async (token: string) =>
    (
      await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: iss,
        audience: issuer.audience,
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: clock.now(),
      })
    ).payload;
  return cachedResolver(verify, () => clock.now().getTime());
}

/** The first resolver that knows the caller (the local server takes dev tokens and the app's own). */
export function firstIdentity(...resolvers: IdentityResolver[]): IdentityResolver {
  const rest = async (c: Context, from: number, pending: PromiseLike<string | null>): Promise<string | null> => {
    const id = await pending;
    if (id) return id;
    for (let i = from; i < resolvers.length; i++) {
      const next = await resolvers[i]!(c);
      if (next) return next;
    }
    return null;
  };
  // Synchronous while the resolvers answer synchronously (cache hits); the first promise hands over to `rest`.
  return (c) => {
    for (let i = 0; i < resolvers.length; i++) {
      const id = resolvers[i]!(c);
      if (id !== null && typeof id !== 'string') return rest(c, i + 1, id);
      if (id) return id;
    }
    return null;
  };
}

const DEV_ISSUER = 'songli-local';
const DEV_AUDIENCE = 'songli';
export const DEV_TOKEN_LIFETIME = '7d';

/**
 * Local mode: `Authorization: Bearer <token>` where the token is an HS256 JWT issued by POST /dev/login. A token must
 * carry `exp` (one without would be valid forever) and `sub`.
 */
export function devTokenIdentity(secret: Uint8Array): { resolve: IdentityResolver; issue(userId: string): Promise<string> } {
  // Imported once: jose keeps the imported form of a KeyObject, where a Uint8Array was re-imported on every call.
  const key: KeyObject = createSecretKey(secret);
  // Dev tokens are issued and checked on the system clock (jose's default), so the cache reads the same one.
  const verify = async (token: string) =>
    (await jwtVerify(token, key, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] }))
      .payload;
  return {
    resolve: cachedResolver(verify, Date.now),
    issue: (userId) =>
      new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(userId)
        .setIssuer(DEV_ISSUER)
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(DEV_TOKEN_LIFETIME)
        .sign(key),
  };
}
