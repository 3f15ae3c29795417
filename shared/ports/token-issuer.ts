/** A signed token for a caller, and when it stops being accepted. */
export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** The public half of the signing key as a JSON Web Key (RFC 7517). */
export interface PublicJwk {
  kty: 'RSA';
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** What OpenID Connect discovery publishes: enough for API Gateway's JWT authorizer to find and trust the keys. */
export interface OpenIdConfiguration {
  issuer: string;
  jwks_uri: string;
  id_token_signing_alg_values_supported: ['RS256'];
  subject_types_supported: ['public'];
  response_types_supported: ['id_token'];
}

/**
 * The app as its own token issuer: it signs the tokens its callers send as `Authorization: Bearer`, and publishes the
 * discovery document and public keys that let a verifier (API Gateway's JWT authorizer, the local server) check them.
 * Verifying is the verifier's business (shared/http/identity.ts locally), not the signer's: deployed functions only sign.
 */
export interface TokenIssuer {
  readonly audience: string;
  issue(subject: string): Promise<IssuedToken>;
  openIdConfiguration(): OpenIdConfiguration;
  jwks(): { keys: PublicJwk[] };
}
