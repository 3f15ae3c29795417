import { generateKeyPairSync } from 'node:crypto';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { JoseTokenIssuer } from '../../shared/adapters/auth/jose-token-issuer';
import { FixedClock } from '../../shared/adapters/system/fixed-clock';
import { appTokenIdentity, devTokenIdentity, type IdentityResolver } from '../../shared/http/identity';
import { VerifiedTokenCache } from '../../shared/http/verified-token-cache';

/** Who `resolve` says the bearer of `token` is ('null' when nobody), through a real Hono request. */
function whoami(resolve: IdentityResolver) {
  const app = new Hono().get('/', async (c) => c.text(String(await resolve(c))));
  return async (token: string) => (await app.request('/', { headers: { authorization: `Bearer ${token}` } })).text();
}

/** The same token with one signature character changed (a forgery that a cache keyed loosely would accept). */
const tampered = (token: string) => token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);

describe('verified-token cache', () => {
  it('answers a remembered token until its exp, never after, and forgets the least recently used beyond its capacity', () => {
    const cache = new VerifiedTokenCache(2);
    cache.set('a', 'alice', 1000);
    cache.set('b', 'bob', 1000);
    expect(cache.get('a', 999_999)).toBe('alice');
    expect(cache.get('a', 1_000_000)).toBeUndefined(); // exp is exclusive, as jose checks it
    cache.set('a', 'alice', 1000);
    expect(cache.get('b', 0)).toBe('bob'); // b is now the most recently used
    cache.set('c', 'carol', 1000); // evicts a
    expect(cache.size).toBe(2);
    expect([cache.get('a', 0), cache.get('b', 0), cache.get('c', 0)]).toEqual([undefined, 'bob', 'carol']);
  });

  it('app tokens: a cached token is refused once the injected clock passes its exp; a forged copy is never accepted', async () => {
    const clock = new FixedClock('2026-03-01T00:00:00.000Z');
    const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const issuer = new JoseTokenIssuer({
      privateKeyPem: String(privateKeyPem),
      issuer: 'https://songli.test',
      audience: 'songli',
      ttlSeconds: 3600,
      clock,
    });
    const ask = whoami(appTokenIdentity(issuer, clock));
    const { token } = await issuer.issue('alice');
    expect(await ask(token)).toBe('alice');
    expect(await ask(token)).toBe('alice'); // from the cache
    expect(await ask(tampered(token))).toBe('null');
    clock.advanceSeconds(3599);
    expect(await ask(token)).toBe('alice');
    clock.advanceSeconds(1);
    expect(await ask(token)).toBe('null');
    expect(await ask(token)).toBe('null');
  });

  it('dev tokens: verified once, then served from the cache; forged or foreign tokens are refused', async () => {
    const dev = devTokenIdentity(new TextEncoder().encode('a-dev-secret-of-enough-length-0123456789'));
    const other = devTokenIdentity(new TextEncoder().encode('another-dev-secret-of-enough-length-987'));
    const ask = whoami(dev.resolve);
    const token = await dev.issue('bob');
    expect(await ask(token)).toBe('bob');
    expect(await ask(token)).toBe('bob');
    expect(await ask(tampered(token))).toBe('null');
    expect(await ask(await other.issue('bob'))).toBe('null');
    expect(await ask('not-a-jwt')).toBe('null');
  });

  it('judges the whole Authorization header: a remembered token in a malformed header is still refused', async () => {
    const dev = devTokenIdentity(new TextEncoder().encode('a-dev-secret-of-enough-length-0123456789'));
    const app = new Hono().get('/', async (c) => c.text(String(await dev.resolve(c))));
    const ask = async (authorization: string) => (await app.request('/', { headers: { authorization } })).text();
    const token = await dev.issue('carol');
    expect(await ask(`Bearer ${token}`)).toBe('carol');
    expect(await ask(`Bearer ${token}`)).toBe('carol'); // from the cache
    expect(await ask(`bearer   ${token}`)).toBe('carol');
    expect(await ask(`Bearer ${token} extra`)).toBe('null');
    expect(await ask(`Basic ${token}`)).toBe('null');
    expect(await ask(token)).toBe('null');
    expect(await ask('')).toBe('null');
  });
});
