import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { JoseTokenIssuer } from '../../shared/adapters/auth/jose-token-issuer';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';

describe("the app's token issuer (shared/adapters/auth/jose-token-issuer.ts)", () => {
  const privateKeyPem = String(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const clock = new FixedClock(new Date('2026-05-01T08:00:00.500Z'));
  const issuer = new JoseTokenIssuer({ privateKeyPem, issuer: 'https://api.example.com/', audience: 'songli', ttlSeconds: 7200, clock });

  it("signs exactly the token jose's SignJWT signs (RS256 is deterministic): same header, claims, order, signature", async () => {
    const { token, expiresAt } = await issuer.issue('user-送礼-1');
    const iat = Math.floor(clock.now().getTime() / 1000);
    const expected = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: issuer.jwks().keys[0]!.kid })
      .setSubject('user-送礼-1')
      .setIssuer('https://api.example.com/')
      .setAudience('songli')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 7200)
      .sign(createPrivateKey(privateKeyPem));
    expect(token).toBe(expected);
    expect(expiresAt.getTime()).toBe((iat + 7200) * 1000);
  });

  it('verifies against its own JWKS with the issuer and audience it names', async () => {
    const { token } = await issuer.issue('user-2');
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(issuer.jwks()), {
      issuer: 'https://api.example.com/',
      audience: 'songli',
      currentDate: clock.now(),
    });
    expect(payload.sub).toBe('user-2');
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: issuer.jwks().keys[0]!.kid });
  });
});
