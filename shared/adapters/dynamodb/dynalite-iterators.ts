import { createRequire } from 'node:module';

/** The slice of an abstract-level iterator this fix touches. */
interface ClosableIterator {
  close(): Promise<void>;
  return?: () => Promise<{ done: true; value: undefined }>;
}

let installed: number | null = null;

/**
 * dynalite 4.0.0 reads its LevelDB (classic-level on disk, memory-level in memory) through streams whose destroy()
 * closes the underlying iterator with `iterator.return()`, a method abstract-level 3 iterators do not have: so every
 * Query and Scan left its iterator open for the life of the process. An open iterator stays registered with the
 * database (~1.5 KB of JS heap each, plus its prefetched entries) and, on disk, pins the LevelDB memtables and
 * table versions it was opened on, so none of them is ever freed: ~0.8 MB of RSS per gift lifecycle on the local
 * server, and more with every dispatcher poll (every 5 s) while idle.
 *
 * This gives the iterators of the abstract-level copies dynalite loads the `return()` dynalite calls (it closes the
 * iterator, as an async generator's return() would end it), so its streams release them when they end or are
 * destroyed. A later abstract-level that defines return() itself is left alone. Returns how many iterator classes
 * were patched (0 when already done).
 */
export function closeDynaliteIteratorsOnDestroy(): number {
  if (installed !== null) return 0;
  const fromHere = createRequire(import.meta.url);
  const fromDynalite = createRequire(fromHere.resolve('dynalite'));
  // level → classic-level → abstract-level (on disk) and memory-level → abstract-level (in memory).
  const fromClassic = createRequire(createRequire(fromDynalite.resolve('level')).resolve('classic-level'));
  const fromMemory = createRequire(fromDynalite.resolve('memory-level'));
  const modules = new Set([fromClassic('abstract-level'), fromMemory('abstract-level')] as Array<{
    AbstractIterator: { prototype: object };
  }>);
  let patched = 0;
  for (const abstractLevel of modules) {
    // AbstractIterator, AbstractKeyIterator and AbstractValueIterator share this base, which defines close().
    const common = Object.getPrototypeOf(abstractLevel.AbstractIterator.prototype) as ClosableIterator;
    if (typeof common.close !== 'function' || 'return' in common) continue;
    Object.defineProperty(common, 'return', {
      configurable: true,
      writable: true,
      value: async function (this: ClosableIterator) {
        await this.close();
        return { done: true as const, value: undefined };
      },
    });
    patched++;
  }
  installed = patched;
  return patched;
}
