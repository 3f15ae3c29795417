/** Sign-in with WeChat and the app's own token issuer: request and response bodies (see shared/http/contract.ts). */
import * as z from 'zod/mini';
import './zod-english';

/** A wx.login code: opaque, printable ASCII, valid 5 minutes and once (facts §7). */
export const WechatLoginBody = z.strictObject({
  code: z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[\x21-\x7E]+$/, 'must be the code wx.login returned')),
});

export const AuthTokenResult = z.strictObject({
  /** The app's RS256 JWT: send it as `Authorization: Bearer <token>`. */
  token: z.string(),
  expiresAt: z.iso.datetime(),
});

export const OpenIdConfigurationBody = z.strictObject({
  issuer: z.url(),
  jwks_uri: z.url(),
  id_token_signing_alg_values_supported: z.array(z.literal('RS256')),
  subject_types_supported: z.array(z.literal('public')),
  response_types_supported: z.array(z.literal('id_token')),
});

export const JwksBody = z.strictObject({
  keys: z.array(
    z.strictObject({
      kty: z.literal('RSA'),
      n: z.string(),
      e: z.string(),
      kid: z.string(),
      alg: z.literal('RS256'),
      use: z.literal('sig'),
    }),
  ),
});
