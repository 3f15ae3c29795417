import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Append-only JSON-lines file behind the local mode's built-in receivers, so what they received survives a
 * restart like the gifts do. With no file it keeps records in memory only.
 */
export class JsonlJournal<T> {
  constructor(private readonly file: string | null) {
    if (file) mkdirSync(dirname(file), { recursive: true });
  }

  load(): T[] {
    if (!this.file || !existsSync(this.file)) return [];
    return readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as T);
  }

  append(record: T): void {
    if (this.file) appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }
}
