import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Append-only JSON-lines file behind the local mode's built-in receivers, so what they received survives a
 * restart like the gifts do, and so they need not hold it in memory: they append, and read the file back when
 * asked for their lists. With no file it keeps the records in memory (tests and in-process benchmarks, which
 * list them), unless told to keep nothing (`retain: false`: a deployed demo, where nobody lists them).
 */
export class JsonlJournal<T> {
  private readonly memory: T[] | null;

  constructor(
    private readonly file: string | null,
    opts: { retain?: boolean } = {},
  ) {
    if (file) mkdirSync(dirname(file), { recursive: true });
    this.memory = file === null && opts.retain !== false ? [] : null;
  }

  /** Every record, oldest first. */
  load(): T[] {
    if (this.memory) return [...this.memory];
    if (!this.file || !existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);
  }

  append(record: T): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(record)}\n`);
    else this.memory?.push(record);
  }
}

/**
 * The first record per key, in order of first appearance, with how many records carried that key: receivers
 * append every delivery and drop the repeats when they list.
 */
export function firstPerKey<T>(records: readonly T[], key: (r: T) => string): Array<{ first: T; count: number }> {
  const out = new Map<string, { first: T; count: number }>();
  for (const r of records) {
    const k = key(r);
    const seen = out.get(k);
    if (seen) seen.count++;
    else out.set(k, { first: r, count: 1 });
  }
  return [...out.values()];
}
