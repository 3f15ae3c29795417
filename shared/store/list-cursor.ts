/**
 * List cursors: opaque to callers and bound to the caller and the list. A cursor carries the sort key of the last
 * item returned plus a digest over (list, owner, sort key); a cursor from another user or another list, an edited
 * one or an empty one fails the digest or the shape check and is refused with InvalidCursorError.
 *
 * The digest needs no secret: the owner it covers is the authenticated caller, never read from the cursor, so a
 * caller who recomputes it can only start their own list at a position of their choosing (what paging does anyway),
 * and nothing in the cursor reaches an engine unchecked.
 */
import { createHash } from 'node:crypto';
import { GIFT_ID_PATTERN } from '../domain/gift';
import { InvalidCursorError } from '../ports/gift-store';

export type GiftList = 'sent' | 'received';

const SORT_KEY = new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z#${GIFT_ID_PATTERN.source.slice(1, -1)}$`);
const digest = (list: GiftList, owner: string, sk: string) =>
  createHash('sha256').update(`songli-cursor-v1\n${list}\n${owner}\n${sk}`).digest('base64url').slice(0, 22);

export function encodeListCursor(list: GiftList, owner: string, sk: string): string {
  return `${Buffer.from(JSON.stringify([list, sk])).toString('base64url')}.${digest(list, owner, sk)}`;
}

/** The sort key to continue before; throws InvalidCursorError for anything this store did not issue to `owner`. */
export function decodeListCursor(list: GiftList, owner: string, cursor: string): string {
  const [payload, mac, ...rest] = cursor.split('.');
  if (!payload || !mac || rest.length > 0) throw new InvalidCursorError('not a cursor returned by this list');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('not a cursor returned by this list');
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[1] !== 'string')
    throw new InvalidCursorError('not a cursor returned by this list');
  const [cursorList, sk] = parsed as [unknown, string];
  if (cursorList !== list) throw new InvalidCursorError(`the cursor belongs to another list than "${list}"`);
  if (!SORT_KEY.test(sk) || mac !== digest(list, owner, sk))
    throw new InvalidCursorError('the cursor was not issued to this caller, or was changed');
  return sk;
}
