import { createHash, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { privateKeyOf } from '../../lib/pem-keys';
import type { Clock } from '../../ports/clock';
import type { IssuedToken, OpenIdConfiguration, PublicJwk, TokenIssuer } from '../../ports/token-issuer';

export interface JoseTokenIssuerOptions {
  /** AUTH_JWT_PRIVATE_KEY: RSA ≥ 2048 bits, PEM. */
  privateKeyPem: string;
  /** AUTH_JWT_ISSUER: the tokens' `iss`, the base URL the discovery document is served under. */
  issuer: string;
  /** AUTH_JWT_AUDIENCE: the tokens' `aud`, what API Gateway's authorizer expects. */
  audience: string;
  /** AUTH_TOKEN_TTL_SECONDS (≤ 2 h). */
  ttlSeconds: number;
  clock: Clock;
}

/** RFC 7638: SHA-256 of the required members in lexicographic order, no whitespace, base64url. */
export const rsaJwkThumbprint = (n: string, e: string): string =>
  createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64url');

/** The tokens' issuer must match the authorizer's byte for byte; paths under it are joined without a doubled slash. */
const under = (issuer: string, path: string) => `${issuer.replace(/\/+$/, '')}${path}`;

const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');

/**
 * The app's own RS256 tokens, signed with node:crypto as jose's SignJWT signs them (the same header, claims and order,
 * byte for byte: test/http/token-issuer.test.ts), without jose's ~13 KB in the sign-in functions. The key is imported
 * when the instance is wired (once per process or warm function, by the composition root), never per request; its
 * `kid` is the key's RFC 7638 thumbprint, so a rotated key gets a new one by itself.
 */
export class JoseTokenIssuer implements TokenIssuer {
  readonly audience: string;
  private readonly privateKey: KeyObject;
  private readonly jwk: PublicJwk;

  constructor(private readonly opts: JoseTokenIssuerOptions) {
    this.audience = opts.audience;
    this.privateKey = privateKeyOf(opts.privateKeyPem); // the settings check parsed it at this cold start
    const publicKey = createPublicKey(this.privateKey);
    const { n, e } = publicKey.export({ format: 'jwk' });
    if (publicKey.asymmetricKeyType !== 'rsa' || !n || !e) throw new Error('AUTH_JWT_PRIVATE_KEY must be an RSA private key');
    this.jwk = { kty: 'RSA', n, e, kid: rsaJwkThumbprint(n, e), alg: 'RS256', use: 'sig' };
  }

  async issue(subject: string): Promise<IssuedToken> {
    const iat = Math.floor(this.opts.clock.now().getTime() / 1000);
    const exp = iat + this.opts.ttlSeconds;
    const header = base64url({ alg: 'RS256', typ: 'JWT', kid: this.jwk.kid });
    const claims = base64url({ sub: subject, iss: this.opts.issuer, aud: this.opts.audience, iat, exp });
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), this.privateKey).toString('base64url');
    return { token: `${header}.${claims}.${signature}`, expiresAt: new Date(exp * 1000) };
  }

  openIdConfiguration(): OpenIdConfiguration {
    return {
      issuer: this.opts.issuer,
      jwks_uri: under(this.opts.issuer, '/.well-known/jwks.json'),
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['id_token'],
    };
  }

  jwks(): { keys: PublicJwk[] } {
    return { keys: [{ ...this.jwk }] };
  }
}
