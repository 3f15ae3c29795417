/**
 * The local server's close() with its timers on: a dispatch pass the timer started is awaited before the store closes
 * (a pass still querying the embedded store as it closed ended a benchmark with dynalite's LEVEL_ITERATOR_NOT_OPEN).
 */
import { afterEach, expect, it } from 'vitest';
import { startLocalServer } from '../../local/start-local-server';
import type { Deps } from '../../shared/ports/deps';
import { tempDataDir } from '../support/http-harness';
import { override } from '../support/override';

const tmp = tempDataDir();
afterEach(() => tmp.remove());

it('waits for the timer’s dispatch pass in flight before it closes the store', async () => {
  let entered: () => void = () => {};
  const passStarted = new Promise<void>((r) => {
    entered = r;
  });
  let release: () => void = () => {};
  const held = new Promise<void>((r) => {
    release = r;
  });
  const events: string[] = [];
  const holdFirstListDue = (deps: Deps): Deps => {
    let first = true;
    const store = override(deps.store, {
      async listDue(...args: Parameters<Deps['store']['listDue']>) {
        if (first) {
          first = false;
          entered();
          await held;
          const page = await deps.store.listDue(...args); // the store must still be open here
          events.push('pass read the store');
          return page;
        }
        return deps.store.listDue(...args);
      },
    });
    return { ...deps, store };
  };
  const server = await startLocalServer({
    env: {
      PORT: '0',
      DATA_DIR: tmp.dir,
      LOG_LEVEL: 'silent',
      LOCAL_STORE: 'leveldb',
      LOCAL_CHANGE_FEED: 'false',
      DISPATCH_INTERVAL_SECONDS: '1',
      SWEEP_INTERVAL_SECONDS: '3600',
    },
    wrapDeps: holdFirstListDue,
    webRoot: null,
  });
  await passStarted;
  const closing = server.close().then(() => events.push('closed'));
  await new Promise((r) => setTimeout(r, 200));
  expect(events).toEqual([]); // still waiting for the pass
  release();
  await closing;
  expect(events).toEqual(['pass read the store', 'closed']);
});
