import { generateKeyPairSync } from 'node:crypto';

/** A fresh 2048-bit RSA private key, PKCS#8 PEM: the app's token-signing key (AUTH_JWT_PRIVATE_KEY) in tests. */
export const newRsaPrivateKeyPem = (): string =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
