/**
 * How long user-typed texts may be, in characters (code points). The schemas enforce them; the pages set `maxlength`
 * and counters from the same numbers. No imports, so the pages bundle nothing of the server with them.
 */
export const ADDRESS_NAME_MAX_CHARS = 30;
export const ADDRESS_DETAIL_MAX_CHARS = 120;
/** The gift message (POST /gifts). */
export const MESSAGE_MAX_CHARS = 100;
/** The giver's display name (PUT /me), shown on the gifts he sends. */
export const DISPLAY_NAME_MAX_CHARS = 20;
/** The recipient's thank-you note to the giver (POST /claims/:token/thanks). */
export const THANKS_MAX_CHARS = 50;
