import * as z from 'zod/mini';
import { requiredText } from './common';
import { withMeta } from './schema-meta';
import { THANKS_MAX_CHARS } from './text-limits';

/** POST /claims/:token/thanks: the same rules as the gift message (line breaks kept), required, at most 50 characters. */
export const ThanksBody = z.strictObject({
  message: withMeta(requiredText('message', THANKS_MAX_CHARS, { allowLineBreaks: true }), {
    description: 'A thank-you note to the giver: 1 to 50 characters, trimmed; sent once',
  }),
});
export type ThanksBody = z.output<typeof ThanksBody>;
