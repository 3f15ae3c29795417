import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Payload } from './static-response';

/**
 * The built pages' files, read and compressed once and kept while unchanged on disk (a rebuild is picked up: the
 * size and modification time are checked on every request, which costs one stat).
 */
export class WebFiles {
  private readonly root: string;
  private readonly cache = new Map<string, { stamp: string; payload: Payload }>();

  constructor(root: string) {
    this.root = resolve(root);
  }

  hasShell(): boolean {
    return existsSync(join(this.root, 'index.html'));
  }

  /**
   * index.html with its asset URLs made absolute: Vite builds them relative (`./assets/…`, so the pages work from any
   * folder of a static host), which would break under /g/<token> and in the service worker's copy of the shell.
   */
  async shell(): Promise<Payload> {
    const absolute = (bytes: Buffer) => Buffer.from(bytes.toString('utf8').replace(/\b(src|href)="\.\//g, '$1="/'));
    const shell = await this.load('index.html', absolute);
    if (!shell) throw new Error(`the pages' index.html is gone from ${this.root} (npm run build:web)`);
    return shell;
  }

  /** A file under the root (a name already checked by the caller), or null when there is none. */
  file(relative: string): Promise<Payload | null> {
    return this.load(relative, (bytes) => bytes);
  }

  private async load(relative: string, transform: (bytes: Buffer) => Buffer): Promise<Payload | null> {
    const path = join(this.root, relative);
    if (!path.startsWith(`${this.root}/`)) return null;
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) return null;
    const stamp = `${info.size}:${info.mtimeMs}`;
    const cached = this.cache.get(relative);
    if (cached?.stamp === stamp) return cached.payload;
    const payload = Payload.forFile(relative, transform(await readFile(path)));
    this.cache.set(relative, { stamp, payload });
    return payload;
  }
}
