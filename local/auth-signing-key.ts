import { generateKeyPair } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const newRsaKey = async (): Promise<string> =>
  (
    await promisify(generateKeyPair)('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    })
  ).privateKey;

/**
 * The key the local server signs the app's own tokens with (AUTH_JWT_PRIVATE_KEY): the configured one, else one kept in
 * DATA_DIR (0600, like dev-jwt-secret) so tokens outlive restarts, else (nothing persists) a new one per start.
 * Generated off the main thread, so it overlaps opening the store.
 */
export async function localSigningKey(configured: string | undefined, dataDir: string | null): Promise<string> {
  if (configured) return configured;
  if (!dataDir) return newRsaKey();
  const file = join(dataDir, 'auth-jwt-private-key.pem');
  if (!existsSync(file)) writeFileSync(file, await newRsaKey(), { mode: 0o600 });
  return readFileSync(file, 'utf8');
}
