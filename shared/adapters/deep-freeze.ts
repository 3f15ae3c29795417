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

/**
 * The in-process engines (memory, LevelDB) share one object per stored document with every reader. Freezing it turns
 * a use case that mutates what it read into a TypeError instead of silent corruption of stored state: on by default
 * (tests, the local server). Object.freeze is not free, though (~1.5 µs a written gift, 9 % of a lifecycle's CPU on
 * the memory store): the throughput benchmarks and the day replay, which run code the tests already ran frozen, turn
 * it off. DynamoDB and CloudBase return a fresh parse per read and never freeze.
 */
export interface StoreFreezeOption {
  freezeDocuments?: boolean;
}
