/**
 * zod/mini carries no error messages (its issues would all read "Invalid input"); classic zod loaded English by
 * itself. Every module that builds or parses schemas imports this first, so the API's and start-up's messages stay
 * English and identical. A side-effect module: package.json "sideEffects" lists it, so esbuild keeps it.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
