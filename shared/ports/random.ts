/** n cryptographically secure random bytes (a lottery's seed, an entrant's salt). Injected so tests can fix them. */
export type RandomBytes = (n: number) => Uint8Array;
