import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { GiftDocument } from '../../domain/gift-document';

/**
 * How a gift document is stored in its item. DynamoDB bills a write per started KB of the item, and a gift's JSON grows
 * to ~2.5 KB; deflated alone it is ~0.9 KB, which with the index attributes put most writes just past 1 KB (2 units).
 * Deflated with a preset dictionary (the document's keys and usual values, RFC 1951 §3.2 / zlib's `dictionary`), the
 * first occurrence of every key costs a back-reference too: ~0.55 KB, so a write costs 1 unit.
 *
 * Attributes, newest first, all still read: `dz1` (deflate with DICTIONARY_V1), `docz` (plain raw deflate), `doc` (the
 * JSON string, or the first layout's map). DICTIONARY_V1 must never change: stored items depend on it byte for byte;
 * a better dictionary gets a new attribute (`dz2`) and this one stays for reading.
 */
const DICTIONARY_V1 = Buffer.from(
  [
    '"giverName":null,"productId":"p_","productTitle":"","category":"apparel","skuId":"sku_","skuAttrs":{},',
    '"originalSkuId":"sku_","originalSkuAttrs":{},"priceFen":,"message":"","mode":"group","lottery","quantity":,',
    '"status":"awaiting_payment","sent","claimed","accepted","declined","expired","canceled","settled",',
    '"updatedAt":"","paymentDueAt":"","payment":null,"payment":{"paymentId":"pay_","amountFen":,"paidAt":"2026-',
    '"claimTokenHash":null,"claimTokenHash":"","sentAt":null,"expiresAt":null,"recipientId":null,"claimedAt":null,',
    '"address":null,"address":{"name":"","phone":"+86","regionCode":"","province":"","city":"","district":"","detail":""},',
    '"swaps":[],"swaps":[{"fromSkuId":"sku_","toSkuId":"sku_","at":""}],"acceptedAt":null,"declinedAt":null,',
    '"expiredAt":null,"canceledAt":null,"thanks":null,"fulfillment":null,',
    '"kind":"refund","reason":"expired","declined","canceled","amountFen":,"paymentId":null,"paymentId":"pay_",',
    '"outcome":"refunded","payment_closed","providerStatus":"processing","succeeded",',
    '"kind":"handoff"},{"id":"handoff","idempotencyKey":"songli:g_:handoff","status":"done","attempts":1,',
    '"kind":"notify","event":"gift_expiring","userId":"o"},{"id":"notify:gift_expiring",',
    '"idempotencyKey":"songli:g_:notify:gift_expiring","status":"canceled","attempts":0,',
    '"kind":"notify","event":"gift_refunded","userId":"o"},{"id":"notify:gift_refunded",',
    '"kind":"notify","event":"gift_accepted","userId":"o"},{"id":"notify:gift_accepted",',
    '"lastError":null,"createdAt":"","completedAt":"","receipt":null,',
    '"effects":[{"id":"notify:gift_claimed","idempotencyKey":"songli:g_:notify:gift_claimed","status":"pending",',
    '"attempts":0,"nextAttemptAt":"2026-11-24T00:00:00.000Z","lastError":null,"createdAt":"2026-11-24T00:00:00.000Z",',
    '"completedAt":null,"receipt":null,"kind":"notify","event":"gift_claimed","userId":"o"}],',
    '"idempotency":null,"idempotency":{"key":"","requestHash":""},"linkVersion":1}',
    '{"id":"g_","version":1,"giverId":"o","createdAt":"2026-11-24T00:00:00.000Z"',
  ].join(''),
);

/** The attributes a read must ask for (ProjectionExpression names). */
export const DOCUMENT_ATTRIBUTES = { '#dz1': 'dz1', '#docz': 'docz', '#doc': 'doc' } as const;
export const DOCUMENT_PROJECTION = '#dz1, #docz, #doc';

export const encodeDocument = (doc: GiftDocument): { dz1: Uint8Array } => ({
  dz1: deflateRawSync(JSON.stringify(doc), { dictionary: DICTIONARY_V1 }),
});

/** The document of an item in any layout, or null when the item holds none (a rate-limit counter, a shared value). */
export function decodeDocument(item: Record<string, unknown>): GiftDocument | null {
  if (item.dz1) return JSON.parse(inflateRawSync(item.dz1 as Uint8Array, { dictionary: DICTIONARY_V1 }).toString('utf8')) as GiftDocument;
  if (item.docz) return JSON.parse(inflateRawSync(item.docz as Uint8Array).toString('utf8')) as GiftDocument;
  if (typeof item.doc === 'string') return JSON.parse(item.doc) as GiftDocument;
  if (item.doc && typeof item.doc === 'object') return item.doc as GiftDocument; // the first layout stored a map
  return null;
}
