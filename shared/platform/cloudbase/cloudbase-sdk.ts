import type tcbModule from '@cloudbase/node-sdk';
import { once } from '../../lib/once';

export type Tcb = typeof tcbModule;

/**
 * @cloudbase/node-sdk costs ~350 ms to load, so it is imported on first use, never at module scope: a
 * cold start pays for it only in functions that reach the database or the caller's identity.
 */
export const loadTcb = once(async (): Promise<Tcb> => (await import('@cloudbase/node-sdk')).default);
