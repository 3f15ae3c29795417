/**
 * Freezes a document and everything inside it, so a store can hand the stored object itself to every reader
 * and nobody can change stored state behind the store's back. Transitions build new versions by spreading,
 * so the parts they did not touch are already frozen and skipped.
 */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const x of Object.values(value)) deepFreeze(x);
  }
  return value;
}
