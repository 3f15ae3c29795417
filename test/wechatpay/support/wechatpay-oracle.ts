/**
 * wechatpay-axios-plugin@0.9.6 (a devDependency) as the test oracle: an independent implementation of the same
 * recipes. Loaded through require with the few members the tests use typed here, because its index.d.ts does not
 * expose Aes.AesGcm or Decorator.responseVerifier's result on the exported classes (its issue #64).
 */
import type { KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';

type KeyLike = string | Buffer | KeyObject;

export interface Oracle {
  Rsa: {
    sign(message: string, privateKey: KeyLike): string;
    verify(message: string, signature: string, publicKey: KeyLike): boolean;
    from(thing: KeyLike, type: 'public' | 'private'): KeyObject;
    fromPkcs8(base64Der: string): KeyObject;
    fromPkcs1(base64Der: string, type: 'public' | 'private'): KeyObject;
    fromSpki(base64Der: string): KeyObject;
  };
  Aes: {
    AesGcm: {
      encrypt(plaintext: string, key: string, iv: string, aad?: string): string;
      decrypt(ciphertext: string, key: string, iv: string, aad?: string): string;
    };
  };
  Formatter: {
    nonce(size?: number): string;
    timestamp(): number;
    authorization(mchid: string, nonce: string, signature: string, timestamp: string | number, serial: string): string;
    request(method: string, uri: string, timestamp: string | number, nonce: string, body?: string): string;
    response(timestamp: string | number, nonce: string, body?: string): string;
    joinedByLineFeed(...pieces: string[]): string;
  };
  Decorator: {
    /** Its axios transformResponse step: returns the data when the signature holds, an Error (BusinessError) when not. */
    responseVerifier(certs: Record<string, KeyLike>): (this: { url: string }, data: string, headers: object, status: number) => unknown;
  };
  Wechatpay: new (config: Record<string, unknown>) => OracleClient;
}

/** The plugin's chained client: `client.v3.pay.transactions.jsapi.post(body)`, path segments as properties (a Proxy). */
export type OracleClient = any;

export const oracle = createRequire(import.meta.url)('wechatpay-axios-plugin') as Oracle;
