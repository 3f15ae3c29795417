import { inflateRawSync } from 'node:zlib';
import type { AttributeValue } from 'aws-lambda';
import type { OutboxDocument } from '../../domain/outbox-document';

/** The sort-key prefix of a unit in the parts table (group-store-core.ts): the only parts with effects. */
const UNIT_SK_PREFIX = 'u#';

/**
 * The document in a stream record's NewImage (DynamoDB's JSON, binary values base64 as Lambda delivers them): a gift
 * or group order of the gifts table (`id`, deflated `docz` as dynamodb-gift-store.ts writes it, or an older plain
 * `doc`), or a unit of the parts table (`pk`, `sk` = `u#…`, `docz`). Null for any other item (counters, markers…).
 */
export function documentOfStreamImage(image: Record<string, AttributeValue> | undefined): OutboxDocument | null {
  if (!image) return null;
  const isGift = image.id?.S !== undefined;
  const isUnit = image.pk?.S !== undefined && image.sk?.S?.startsWith(UNIT_SK_PREFIX) === true;
  if (!isGift && !isUnit) return null;
  const zipped = image.docz?.B;
  if (zipped !== undefined) return JSON.parse(inflateRawSync(Buffer.from(zipped, 'base64')).toString('utf8')) as OutboxDocument;
  const plain = image.doc?.S;
  return plain === undefined ? null : (JSON.parse(plain) as OutboxDocument);
}
