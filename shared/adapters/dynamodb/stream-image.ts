import type { AttributeValue } from 'aws-lambda';
import type { OutboxDocument } from '../../domain/outbox-document';
import { decodeDocument } from './stored-document';

/** The sort-key prefix of a unit in the parts table (group-store-core.ts): the only parts with effects. */
const UNIT_SK_PREFIX = 'u#';

/**
 * The document in a stream record's NewImage (DynamoDB's JSON, binary values base64 as Lambda delivers them): a gift
 * or group order of the gifts table (`id`; `dz1`, or the older `docz` / `doc`, as stored-document.ts reads them), or
 * a unit of the parts table (`pk`, `sk` = `u#…`, `docz`). Null for any other item (counters, markers…).
 */
export function documentOfStreamImage(image: Record<string, AttributeValue> | undefined): OutboxDocument | null {
  if (!image) return null;
  const isGift = image.id?.S !== undefined;
  const isUnit = image.pk?.S !== undefined && image.sk?.S?.startsWith(UNIT_SK_PREFIX) === true;
  if (!isGift && !isUnit) return null;
  // Every layout the stores write (stored-document.ts for gifts: `dz1`, `docz`, `doc`; units: `docz`).
  const binary = (b: string | undefined) => (b === undefined ? undefined : Buffer.from(b, 'base64'));
  return decodeDocument({ dz1: binary(image.dz1?.B), docz: binary(image.docz?.B), doc: image.doc?.S }) as OutboxDocument | null;
}
