/** The claim-guessing counters on every store they run on: memory, DynamoDB (dynalite), LevelDB, CloudBase (stand-in). */
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoDBDocumentClient, PutCommand } from '../../shared/adapters/aws/dynamodb-document';
import { CloudbaseAttemptLimiter } from '../../shared/adapters/cloudbase/cloudbase-attempt-limiter';
import { DynamoDbAttemptLimiter } from '../../shared/adapters/dynamodb/dynamodb-attempt-limiter';
import { giftItem } from '../../shared/adapters/dynamodb/dynamodb-gift-store';
import { ensureGiftsTable, startEmbeddedDynamo } from '../../shared/adapters/dynamodb/embedded-dynalite';
import { LevelDbAttemptLimiter } from '../../shared/adapters/leveldb/leveldb-attempt-limiter';
import { openLevelDb } from '../../shared/adapters/leveldb/open-leveldb';
import { MemoryAttemptLimiter } from '../../shared/adapters/memory/memory-attempt-limiter';
import type { AttemptLimiter } from '../../shared/ports/attempt-limiter';
import { CloudbaseStandin } from '../support/cloudbase-standin';
import { tempDataDir } from '../support/http-harness';
import { sentGift } from '../support/memory-deps';

const tmp = tempDataDir();

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers) await c();
  tmp.remove();
});

const adapters: Array<[string, () => Promise<AttemptLimiter>]> = [
  ['memory', async () => new MemoryAttemptLimiter()],
  [
    'DynamoDB on dynalite',
    async () => {
      const d = await startEmbeddedDynamo();
      closers.push(d.close);
      await ensureGiftsTable(d.client, 'limits');
      return new DynamoDbAttemptLimiter(d.client, 'limits');
    },
  ],
  [
    'LevelDB (on disk)',
    async () => {
      const db = await openLevelDb(`${tmp.dir}/limits-${closers.length}`);
      closers.push(() => db.close());
      return new LevelDbAttemptLimiter(db);
    },
  ],
  ['CloudBase (in-process stand-in of the SDK collection API)', async () => new CloudbaseAttemptLimiter(new CloudbaseStandin())],
];

const T = '2026-11-24T08:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T) + s * 1000).toISOString();

describe.each(adapters)('AttemptLimiter: %s', (_name, open) => {
  it('counts failures per key within a window and starts over in the next one', async () => {
    const l = await open();
    expect(await l.failures('u1', T, 600)).toBe(0);
    expect(await l.recordFailure('u1', T, 600)).toBe(1);
    expect(await l.recordFailure('u1', at(10), 600)).toBe(2);
    expect(await l.failures('u1', at(20), 600)).toBe(2);
    expect(await l.failures('u2', at(20), 600)).toBe(0);
    expect(await l.failures('u1', at(600), 600)).toBe(0); // T is on a window boundary: +600 s is the next window
  });

  it('loses no increment when 30 failures land at once', async () => {
    const l = await open();
    const counts = await Promise.all(Array.from({ length: 30 }, () => l.recordFailure('burst', T, 600)));
    expect(await l.failures('burst', T, 600)).toBe(30);
    expect(Math.max(...counts)).toBe(30);
  });
});

describe('MemoryAttemptLimiter: drops the counters of ended windows', () => {
  it("keeps only the current window's counters", async () => {
    const l = new MemoryAttemptLimiter();
    for (let i = 0; i < 1_000; i++) await l.recordFailure(`guesser_${i}`, at(i * 0.1), 600);
    expect(l.size).toBe(1_000);
    expect(await l.recordFailure('next-window', at(600), 600)).toBe(1);
    expect(l.size).toBe(1);
  });
});

describe('LevelDbAttemptLimiter', () => {
  it('deletes spent windows and keeps the current ones', async () => {
    const db = await openLevelDb(`${tmp.dir}/limits-purge`);
    try {
      const l = new LevelDbAttemptLimiter(db);
      await l.recordFailure('old', T, 600);
      await l.recordFailure('same-window', at(30), 600);
      expect(await l.failures('old', at(30), 600)).toBe(1);
      await l.recordFailure('current', at(700), 600); // a later minute: windows that ended before it are dropped
      expect(await l.failures('old', at(30), 600)).toBe(0);
      expect(await l.failures('same-window', at(30), 600)).toBe(0);
      expect(await l.failures('current', at(700), 600)).toBe(1);
      expect(await db.keys().all()).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});

describe('LevelDbAttemptLimiter: counters mirrored in memory', () => {
  it('reads a counter from disk once, then from memory, and the disk always holds what it answers', async () => {
    const path = `${tmp.dir}/limits-mirror`;
    let db = await openLevelDb(path);
    try {
      await db.put(`limit\u0000${at(600)}\u0000limit#u1#${Date.parse(T) / 600_000}`, '4'); // written by an earlier run
      const l = new LevelDbAttemptLimiter(db);
      expect(await l.failures('u1', T, 600)).toBe(4);
      expect(l.mirrored).toBe(1);
      await db.close(); // a read from disk now would throw: the mirror answers
      expect(await l.failures('u1', at(1), 600)).toBe(4);
      db = await openLevelDb(path);
      const again = new LevelDbAttemptLimiter(db);
      expect(await again.recordFailure('u1', T, 600)).toBe(5);
      expect(await again.failures('u1', T, 600)).toBe(5);
      expect(await new LevelDbAttemptLimiter(db).failures('u1', T, 600)).toBe(5);
    } finally {
      await db.close();
    }
  });

  it('blocks after N failures however many other callers push counters out of a small mirror', async () => {
    const db = await openLevelDb(`${tmp.dir}/limits-small-mirror`);
    try {
      const l = new LevelDbAttemptLimiter(db, 3);
      for (let i = 1; i <= 20; i++) {
        expect(await l.recordFailure('guesser', T, 600)).toBe(i);
        for (let j = 0; j < 4; j++) expect(await l.failures(`honest_${i}_${j}`, T, 600)).toBe(0);
        expect(l.mirrored).toBeLessThanOrEqual(3);
        expect(await l.failures('guesser', T, 600)).toBe(i);
      }
    } finally {
      await db.close();
    }
  });

  it('drops spent windows from memory with their keys on disk', async () => {
    const db = await openLevelDb(`${tmp.dir}/limits-mirror-purge`);
    try {
      const l = new LevelDbAttemptLimiter(db);
      await l.recordFailure('old', T, 600);
      expect(await l.failures('reader', T, 600)).toBe(0);
      expect(l.mirrored).toBe(2);
      await l.recordFailure('current', at(700), 600);
      expect(l.mirrored).toBe(1);
      expect(await l.failures('old', at(30), 600)).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('LevelDbAttemptLimiter.open: every counter on disk loaded first', () => {
  it('answers counters of an earlier run and zeros without reading the disk, and keeps what it records', async () => {
    const path = `${tmp.dir}/limits-open`;
    let db = await openLevelDb(path);
    try {
      await new LevelDbAttemptLimiter(db).recordFailure('u1', T, 600);
      await db.put(`limit\u0000${at(600)}\u0000limit#u2#${Date.parse(T) / 600_000}`, '3'); // written by an earlier run
      const l = await LevelDbAttemptLimiter.open(db);
      expect(l.mirrored).toBe(2);
      expect(await l.recordFailure('u2', T, 600)).toBe(4);
      await db.close(); // a read from disk now would throw: the loaded counters and the zeros need none
      expect(await l.failures('u1', at(1), 600)).toBe(1);
      expect(await l.failures('u2', at(1), 600)).toBe(4);
      for (let i = 0; i < 50; i++) expect(l.failuresNow(`never_${i}`, at(2), 600)).toBe(0);
      expect(l.mirrored).toBe(2); // zeros are not kept
      db = await openLevelDb(path);
      expect(await (await LevelDbAttemptLimiter.open(db)).failures('u2', T, 600)).toBe(4);
    } finally {
      await db.close();
    }
  });

  it('reads the disk again once the mirror overflows, and still blocks a guesser', async () => {
    const path = `${tmp.dir}/limits-open-overflow`;
    let db = await openLevelDb(path);
    try {
      const first = new LevelDbAttemptLimiter(db);
      for (let i = 0; i < 5; i++) await first.recordFailure(`earlier_${i}`, T, 600);
      await db.close();
      db = await openLevelDb(path);
      // Five counters on disk, a mirror of three: it starts over while loading, so unknown counters are read.
      const l = await LevelDbAttemptLimiter.open(db, 3);
      for (let i = 0; i < 5; i++) expect(await l.failures(`earlier_${i}`, T, 600)).toBe(1);
      for (let i = 1; i <= 10; i++) {
        expect(await l.recordFailure('guesser', T, 600)).toBe(i);
        for (let j = 0; j < 4; j++) expect(await l.recordFailure(`other_${i}_${j}`, T, 600)).toBe(1);
        expect(await l.failures('guesser', T, 600)).toBe(i);
        expect(l.mirrored).toBeLessThanOrEqual(3);
      }
    } finally {
      await db.close();
    }
  });
});

describe('DynamoDbAttemptLimiter with the gifts in its table: the counter and the claim match in one request', () => {
  it('finds the gift for its hash only; a wrong secret reads like an unknown id and is never decoded', async () => {
    const d = await startEmbeddedDynamo();
    closers.push(d.close);
    await ensureGiftsTable(d.client, 'gifts');
    const commands: string[] = [];
    d.client.intercept((operation, _input, next) => {
      commands.push(operation);
      return next();
    });
    const l = new DynamoDbAttemptLimiter(d.client, 'gifts', { withGifts: true });
    const gift = { ...sentGift(), claimTokenHash: 'h_right' };
    const doc = DynamoDBDocumentClient.from(d.client);
    await doc.send(new PutCommand({ TableName: 'gifts', Item: giftItem(gift) }));
    // An item whose document cannot be decoded: only a lookup that decodes it would throw.
    await doc.send(
      new PutCommand({ TableName: 'gifts', Item: { id: 'g_undecodable', version: 1, claimHash: 'h_x', dz1: new Uint8Array([1, 2, 3]) } }),
    );
    await l.recordFailure('u1', T, 600);
    commands.length = 0;
    const right = await l.failuresWithClaim!('u1', T, 600, { giftId: gift.id, claimTokenHash: 'h_right' });
    expect(right.failures).toBe(1);
    expect(right.gift).toMatchObject({ id: gift.id });
    const wrong = await l.failuresWithClaim!('u1', T, 600, { giftId: 'g_undecodable', claimTokenHash: 'h_wrong' });
    const unknown = await l.failuresWithClaim!('u1', T, 600, { giftId: 'g_nothing_here', claimTokenHash: 'h_wrong' });
    expect(wrong).toEqual({ failures: 1, gift: null });
    expect(unknown).toEqual(wrong);
    expect(commands).toEqual(['BatchGetItem', 'BatchGetItem', 'BatchGetItem']);
    expect(new DynamoDbAttemptLimiter(d.client, 'gifts').failuresWithClaim).toBeUndefined();
  });
});
