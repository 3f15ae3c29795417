/**
 * Serialises async critical sections per key inside one process. The LevelDB stores need it for
 * compare-and-set: LevelDB batches are atomic, but "read version, then write" is two steps, and only this
 * process can open the database (LevelDB holds a LOCK file), so an in-process lock makes the pair atomic.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, critical: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    this.tails.set(key, mine);
    if (previous) await previous;
    try {
      return await critical();
    } finally {
      release();
      // Only the last waiter in line removes the entry, so the map holds keys with work in flight only.
      if (this.tails.get(key) === mine) this.tails.delete(key);
    }
  }
}
