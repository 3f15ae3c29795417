/**
 * The JSON already written for a view snapshot (serialized-views.ts), kept apart from it so the edge, which every
 * function carries, reads it without carrying the snapshot code only view-claim needs.
 */
const written = new WeakMap<object, string>();

/** The JSON of a snapshot made by serialized-views.ts, else undefined. */
export const jsonOfView = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null ? written.get(value) : undefined;

export const rememberViewJson = (snapshot: object, json: string): void => void written.set(snapshot, json);
