/** How the DynamoDB item holds a gift document: deflated with a fixed preset dictionary; earlier layouts still read. */
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeDocument, encodeDocument } from '../../shared/adapters/dynamodb/stored-document';
import type { GiftDocument } from '../../shared/domain/gift-document';
import { accept } from '../../shared/domain/gift-transitions';
import { addressedGift, RECIPIENT, T0 } from '../support/memory-deps';

describe('stored document', () => {
  const gift = accept(addressedGift(), RECIPIENT, T0) as GiftDocument;

  it('round-trips, and is smaller than plain deflate (the first occurrence of every key is a back-reference)', () => {
    const { dz1 } = encodeDocument(gift);
    expect(decodeDocument({ dz1 })).toEqual(gift);
    const plain = deflateRawSync(JSON.stringify(gift));
    expect(dz1.byteLength).toBeLessThan(plain.byteLength * 0.8);
  });

  it('reads every earlier layout: plain deflate (docz), a JSON string and a map (doc)', () => {
    expect(decodeDocument({ docz: deflateRawSync(JSON.stringify(gift)) })).toEqual(gift);
    expect(decodeDocument({ doc: JSON.stringify(gift) })).toEqual(gift);
    expect(decodeDocument({ doc: gift })).toEqual(gift);
    expect(decodeDocument({ id: 'limit#x', hits: 3 })).toBeNull();
  });

  it('still reads bytes stored with DICTIONARY_V1 (a changed dictionary would garble every stored gift)', () => {
    const stored = Buffer.from('gxuVnp+TkppnAAKGuI2NB7ORYwpa4yFSRGwtAA==', 'base64');
    expect(decodeDocument({ dz1: stored })).toEqual({ id: 'g_golden000001', version: 1, giverId: 'o_giver', status: 'sent', effects: [] });
  });
});
