import { createCipheriv, createDecipheriv } from 'node:crypto';
import { nonce as randomNonce } from './wechatpay-nonce';

/**
 * AEAD_AES_256_GCM, the encryption of notification resources (and of nothing else songli receives): the key is the
 * 32-character APIv3 key used as bytes, the nonce is 12 characters used as bytes, the associated data may be "", and
 * the base64 ciphertext ends with the 16-byte tag.
 */
export const AEAD_ALGORITHM = 'AEAD_AES_256_GCM';
const TAG_BYTES = 16;
const NONCE_BYTES = 12;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A resource that does not decrypt: malformed (wrong nonce size, not base64, too short) or tampered with / wrong key. */
export class ResourceDecryptError extends Error {
  constructor(
    readonly reason: 'malformed' | 'tampered',
    message: string,
  ) {
    super(message);
    this.name = 'ResourceDecryptError';
  }
}

export interface EncryptedResource {
  nonce: string;
  associatedData: string;
  ciphertext: string;
}

/** A wrong key is a configuration error, not a bad notification: it throws a TypeError at the first use. */
function keyBytes(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new TypeError(`the APIv3 key must be 32 bytes, got ${key.length}`);
  return key;
}

export function decryptResource(req: EncryptedResource & { apiV3Key: string }): string {
  const key = keyBytes(req.apiV3Key);
  const iv = Buffer.from(req.nonce ?? '', 'utf8');
  if (iv.length !== NONCE_BYTES) throw new ResourceDecryptError('malformed', `nonce must be ${NONCE_BYTES} bytes, got ${iv.length}`);
  if (typeof req.ciphertext !== 'string' || !BASE64.test(req.ciphertext))
    throw new ResourceDecryptError('malformed', 'ciphertext is not base64');
  const sealed = Buffer.from(req.ciphertext, 'base64');
  if (sealed.length < TAG_BYTES) throw new ResourceDecryptError('malformed', 'ciphertext is shorter than its tag');
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  decipher.setAAD(Buffer.from(req.associatedData ?? '', 'utf8'));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch (e) {
    throw new ResourceDecryptError('tampered', `resource failed authentication: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The inverse, for the stand-in that plays WeChat (and for tests): a fresh 12-character nonce unless given. */
export function encryptResource(req: { apiV3Key: string; plaintext: string; associatedData?: string; nonce?: string }): EncryptedResource {
  const nonce = req.nonce ?? randomNonce(NONCE_BYTES);
  const iv = Buffer.from(nonce, 'utf8');
  if (iv.length !== NONCE_BYTES) throw new TypeError(`nonce must be ${NONCE_BYTES} bytes, got ${iv.length}`);
  const associatedData = req.associatedData ?? '';
  const cipher = createCipheriv('aes-256-gcm', keyBytes(req.apiV3Key), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const sealed = Buffer.concat([cipher.update(req.plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { nonce, associatedData, ciphertext: sealed.toString('base64') };
}
