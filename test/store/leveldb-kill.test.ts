/**
 * Durability of the LevelDB store's group commit: a writer process is killed with SIGKILL mid-stream; after
 * reopening, every write it had acknowledged is there, and documents and index entries agree (each batch
 * landed whole or not at all).
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LevelDbGiftStore } from '../../shared/adapters/leveldb/leveldb-gift-store';
import { openLevelDb } from '../../shared/adapters/leveldb/open-leveldb';
import { tempDataDir } from '../support/http-harness';

const tmp = tempDataDir();
afterAll(() => tmp.remove());

it('keeps every acknowledged write across a SIGKILL, and no half-written batch', async () => {
  const path = join(tmp.dir, 'killed');
  const acked = new Map<string, number>();
  const child = fork(join(import.meta.dirname, 'support/leveldb-writer.ts'), [path], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { id: string; version: number }) => {
      acked.set(m.id, Math.max(acked.get(m.id) ?? 0, m.version));
      if (acked.size === 2_000) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited on its own (${signal})`))));
  });

  const db = await openLevelDb(path);
  try {
    const store = new LevelDbGiftStore(db);
    for (const [id, version] of acked) expect((await store.get(id))?.version ?? 0, id).toBeGreaterThanOrEqual(version);
    // Index entries and documents agree: the giver index lists every stored document once, with its latest version.
    const docs = await db.values({ gt: 'doc\u0000', lt: 'doc\u0001' }).all();
    const listed = (await store.listByGiver('giver_kill', 1_000_000)).items;
    expect(listed.length).toBe(docs.length);
    expect(new Set(listed.map((g) => g.id)).size).toBe(docs.length);
    const due = await store.listDue('sweep', '2026-11-26T00:00:00.000Z', 1_000_000);
    expect(due.items.length).toBe(docs.length);
    expect(docs.length).toBeGreaterThanOrEqual(2_000);
  } finally {
    await db.close();
  }
}, 60_000);
