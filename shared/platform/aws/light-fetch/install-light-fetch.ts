import { LightHeaders } from './light-headers';
import { LightResponse } from './light-response';
import { type FetchClassName, originalDescriptor, rememberOriginal } from './real-fetch-classes';

const STAND_INS = { Response: LightResponse, Headers: LightHeaders } as const;

/**
 * Puts the light `Response` and `Headers` on globalThis, where Hono's Context finds them (`new Response(…)`,
 * `new Headers()`), so answering a request does not load undici (~20 ms of a Lambda's first call on Node 20).
 * Only while Node still holds its lazy getters: once undici is loaded there is nothing left to save. A stand-in turns
 * into the real object when something needs what only undici has; `instanceof` accepts both kinds.
 * Returns whether it installed them (`evenIfLoaded`: also when undici is loaded, for tests of the stand-ins).
 * Called by the Lambda HTTP edge only (a Lambda process serves nothing else).
 */
export function installLightFetchClasses(opts: { evenIfLoaded?: boolean } = {}): boolean {
  const names = Object.keys(STAND_INS) as (keyof typeof STAND_INS)[];
  const lazy = (name: FetchClassName) => typeof Object.getOwnPropertyDescriptor(globalThis, name)?.get === 'function';
  if (!opts.evenIfLoaded && !names.every(lazy)) return false;
  for (const name of names) {
    rememberOriginal(name);
    Object.defineProperty(globalThis, name, { value: STAND_INS[name], writable: true, configurable: true, enumerable: false });
  }
  rememberOriginal('Request');
  return true;
}

/** Puts Node's own getters back (tests). */
export function uninstallLightFetchClasses(): void {
  for (const name of Object.keys(STAND_INS) as FetchClassName[]) {
    const original = originalDescriptor(name);
    if (original && (globalThis as Record<string, unknown>)[name] === STAND_INS[name as keyof typeof STAND_INS])
      Object.defineProperty(globalThis, name, original);
  }
}
