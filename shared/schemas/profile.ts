import * as z from 'zod/mini';
import { requiredText } from './common';
import { withMeta } from './schema-meta';
import { DISPLAY_NAME_MAX_CHARS } from './text-limits';

/** PUT /me: the name gifts show as their sender; one line, the same character rules as the gift message. */
export const DisplayNameBody = z.strictObject({
  displayName: withMeta(requiredText('displayName', DISPLAY_NAME_MAX_CHARS), {
    description: 'Shown on the gifts you send from now on: 1 to 20 characters, one line, trimmed',
  }),
});
export type DisplayNameBody = z.output<typeof DisplayNameBody>;
