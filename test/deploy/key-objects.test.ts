/** Keys parsed once per process (shared/lib/key-objects.ts): the start-up check's parse is the one the adapters use. */
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { privateKeyFromPem, publicKeyFromPem } from '../../shared/lib/key-objects';

const pair = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
};

describe('PEM keys parsed once', () => {
  it('hands back the same key object for the same PEM, and another for another PEM', () => {
    const a = pair();
    const b = pair();
    expect(privateKeyFromPem(a.privatePem)).toBe(privateKeyFromPem(a.privatePem));
    expect(publicKeyFromPem(a.publicPem)).toBe(publicKeyFromPem(a.publicPem));
    expect(privateKeyFromPem(b.privatePem)).not.toBe(privateKeyFromPem(a.privatePem));
  });

  it('the keys work: what the private key signs, the public key verifies', () => {
    const { privatePem, publicPem } = pair();
    const signature = sign('sha256', Buffer.from('songli'), privateKeyFromPem(privatePem));
    expect(verify('sha256', Buffer.from('songli'), publicKeyFromPem(publicPem), signature)).toBe(true);
  });

  it('a PEM that does not parse throws every time (nothing is kept for it)', () => {
    expect(() => privateKeyFromPem('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----')).toThrow();
    expect(() => privateKeyFromPem('-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----')).toThrow();
    expect(() => publicKeyFromPem('not a key')).toThrow();
  });
});
