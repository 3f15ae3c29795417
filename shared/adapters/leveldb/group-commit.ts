import type { LevelDb } from './open-leveldb';

export type WriteOp = { type: 'put'; key: string; value: string } | { type: 'del'; key: string };
type Batch = ReturnType<LevelDb['batch']>;

/**
 * Group commit: writes that arrive while a LevelDB batch is being written go into the next one. An idle
 * store writes at once; a busy one pays one native write and one log append per group instead of per write
 * (separate batch calls cost ~4× the CPU here). Each caller's operations land in the same batch, so each
 * caller's write stays atomic. Callers must not have conflicting writes to one key in flight together (the
 * stores' per-key lock sees to it).
 */
export class GroupCommit {
  private batch: Batch | null = null;
  private waiters: Array<{ resolve(): void; reject(e: unknown): void }> = [];
  private flushing = false;

  constructor(private readonly db: LevelDb) {}

  write(ops: WriteOp[]): Promise<void> {
    this.batch ??= this.db.batch();
    const batch = this.batch;
    for (const op of ops) {
      if (op.type === 'put') batch.put(op.key, op.value);
      else batch.del(op.key);
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let writers already in this turn of the event loop join the first batch.
        queueMicrotask(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.batch) {
      const batch = this.batch;
      const waiters = this.waiters;
      this.batch = null;
      this.waiters = [];
      try {
        await batch.write();
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
    this.flushing = false;
  }
}
