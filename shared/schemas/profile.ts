import * as z from 'zod';
import { requiredText } from './common';
import { DISPLAY_NAME_MAX_CHARS } from './text-limits';

/** PUT /me: the name gifts show as their sender; one line, the same character rules as the gift message. */
export const DisplayNameBody = z.strictObject({
  displayName: requiredText('displayName', DISPLAY_NAME_MAX_CHARS).meta({
    description: 'Shown on the gifts you send from now on: 1 to 20 characters, one line, trimmed',
  }),
});
export type DisplayNameBody = z.output<typeof DisplayNameBody>;
