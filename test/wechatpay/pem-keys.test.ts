import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { privateKeyOf, publicKeyOf } from '../../shared/lib/pem-keys';
import { newRsaPrivateKeyPem } from '../support/rsa-key';

describe('keys parsed once per instance (shared/lib/pem-keys.ts)', () => {
  it('hands the settings check and the adapter one key object for one PEM text', () => {
    const pem = newRsaPrivateKeyPem();
    const key = privateKeyOf(pem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(privateKeyOf(pem)).toBe(key);
    const publicPem = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
    expect(publicKeyOf(publicPem)).toBe(publicKeyOf(publicPem));
    expect(publicKeyOf(publicPem).equals(createPublicKey(key))).toBe(true);
  });

  it('keeps no failure: a malformed text throws every time', () => {
    expect(() => privateKeyOf('not a key')).toThrow();
    expect(() => privateKeyOf('not a key')).toThrow();
    expect(() => publicKeyOf('not a key')).toThrow();
  });
});
