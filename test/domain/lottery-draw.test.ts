import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyDraw } from '../../scripts/verify-draw';
import { DEFAULT_GIFT_POLICY } from '../../shared/domain/gift-policy';
import type { GroupOrder } from '../../shared/domain/group-order';
import { DEFAULT_GROUP_POLICY } from '../../shared/domain/group-policy';
import {
  countedEntries,
  type DrawRecord,
  drawList,
  drawLottery,
  drawWinners,
  enterLottery,
  entrantHashOf,
  entrantsDigestOf,
  type LotteryEntry,
  publishedDraw,
} from '../../shared/domain/lottery-draw';
import { refundNoOfBatch } from '../../shared/domain/refund-batches';
import { addSeconds } from '../../shared/domain/time';
import { DRAW_IN, paidOrder, SCARF_PRICE, testBytes, unpaidOrder } from '../support/group-fixtures';
import { at, codeOf, GIVER } from '../support/memory-deps';

const P = DEFAULT_GROUP_POLICY;
const G = DEFAULT_GIFT_POLICY;
const DRAW_DUE = DRAW_IN + P.lotteryDrawGraceSeconds;
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const enter = (order: GroupOrder, who: string, seconds: number): LotteryEntry =>
  enterLottery(order, null, who, testBytes(`salt:${order.id}:${who}`, 16), at(seconds)).entry;
const entrants = (order: GroupOrder, n: number) => Array.from({ length: n }, (_, i) => enter(order, `user${i}`, 10 + i));

describe('enterLottery', () => {
  const order = paidOrder({ mode: 'lottery', quantity: 3 });

  it('creates one salted entry; a repeat gets it back, even after the draw closed', () => {
    const { entry, created } = enterLottery(order, null, 'bob', testBytes('salt', 16), at(5));
    expect(created).toBe(true);
    expect(entry).toMatchObject({ orderId: order.id, userId: 'bob', enteredAt: at(5) });
    expect(entry.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(entry.entrantHash).toBe(sha(`${order.id}:bob:${entry.salt}`));
    const again = enterLottery(order, entry, 'bob', testBytes('other', 16), at(DRAW_IN + 5));
    expect(again).toEqual({ entry, created: false });
  });

  it('closes at drawAt exactly, and once drawn', () => {
    expect(enterLottery(order, null, 'bob', testBytes('s', 16), at(DRAW_IN - 0.001)).created).toBe(true);
    expect(codeOf(() => enterLottery(order, null, 'bob', testBytes('s', 16), at(DRAW_IN)))).toBe('DRAW_CLOSED');
    const drawn = { ...order, lottery: { ...order.lottery!, drawnAt: at(5) } };
    expect(codeOf(() => enterLottery(drawn, null, 'bob', testBytes('s', 16), at(6)))).toBe('DRAW_CLOSED');
  });

  it('refuses the giver, unpaid orders and group orders', () => {
    expect(codeOf(() => enterLottery(order, null, GIVER, testBytes('s', 16), at(5)))).toBe('CANNOT_CLAIM_OWN_GIFT');
    expect(codeOf(() => enterLottery(unpaidOrder({ mode: 'lottery' }), null, 'bob', testBytes('s', 16), at(5)))).toBe('GIFT_NOT_FOUND');
    expect(codeOf(() => enterLottery(paidOrder(), null, 'bob', testBytes('s', 16), at(5)))).toBe('GIFT_NOT_FOUND');
    expect(() => enterLottery(order, null, 'bob', testBytes('s', 15), at(5))).toThrow(/salt/);
  });

  it('gives one person unlinkable hashes in two orders, and none anyone can test from the openid alone', () => {
    const other = paidOrder({ mode: 'lottery', id: 'g_group000000002' });
    expect(enter(order, 'bob', 5).entrantHash).not.toBe(enter(other, 'bob', 5).entrantHash);
    // Without the salt, the openid does not lead to the hash: the naive per-order hash is not it.
    expect(enter(order, 'bob', 5).entrantHash).not.toBe(sha(`${order.id}:bob`));
  });
});

describe('drawWinners (the rule)', () => {
  const seed = Buffer.from(testBytes('rule-seed')).toString('hex');
  const hashes = Array.from({ length: 12 }, (_, i) => sha(`entrant ${i}`)).sort();

  it('ranks by SHA-256(seed bytes ‖ entrant hash bytes) and takes the smallest, in rank order', () => {
    const rank = (h: string) => sha(Buffer.concat([Buffer.from(seed, 'hex'), Buffer.from(h, 'hex')]));
    const expected = [...hashes].sort((a, b) => (rank(a) < rank(b) ? -1 : 1)).slice(0, 5);
    expect(drawWinners(seed, hashes, 5)).toEqual(expected);
  });

  it('does not depend on the order entrants are listed in, and takes everyone when fewer than N entered', () => {
    expect(drawWinners(seed, [...hashes].reverse(), 5)).toEqual(drawWinners(seed, hashes, 5));
    expect(drawWinners(seed, hashes.slice(0, 3), 5)).toHaveLength(3);
    expect(new Set(drawWinners(seed, hashes.slice(0, 3), 5))).toEqual(new Set(hashes.slice(0, 3)));
    expect(drawWinners(seed, [], 5)).toEqual([]);
  });

  it('changes with the seed', () => {
    const other = Buffer.from(testBytes('another-seed')).toString('hex');
    expect(drawWinners(other, hashes, 5)).not.toEqual(drawWinners(seed, hashes, 5));
  });

  it('refuses malformed input rather than drawing from it', () => {
    expect(() => drawWinners('XYZ', hashes, 1)).toThrow(/hex/);
    expect(() => drawWinners(seed, ['abc'], 1)).toThrow(/entrant hash/);
    expect(() => drawWinners(seed, [hashes[0]!, hashes[0]!], 1)).toThrow(/distinct/);
  });
});

describe('drawLottery', () => {
  const order = paidOrder({ mode: 'lottery', quantity: 3 });

  it('waits for drawAt plus the grace, and draws once', () => {
    const es = entrants(order, 5);
    expect(drawLottery(order, es, at(DRAW_DUE - 1), G, P)).toBe(order);
    const drawn = drawLottery(order, es, at(DRAW_DUE), G, P);
    expect(drawn.version).toBe(order.version + 1);
    expect(drawLottery(drawn, es, at(DRAW_DUE + 10), G, P)).toBe(drawn);
  });

  it('records N winners in rank order and starts their 24 hours', () => {
    const es = entrants(order, 5);
    const drawn = drawLottery(order, es, at(DRAW_DUE), G, P);
    const hashes = es.map((e) => e.entrantHash).sort();
    const winners = drawWinners(order.lottery!.seed, hashes, 3);
    expect(drawn.lottery).toMatchObject({ drawnAt: at(DRAW_DUE), entrantCount: 5, entrantsDigest: entrantsDigestOf(hashes) });
    expect(drawn.lottery!.winners!.map((w) => w.entrantHash)).toEqual(winners);
    for (const w of drawn.lottery!.winners!) expect(es.find((e) => e.userId === w.userId)!.entrantHash).toBe(w.entrantHash);
    expect(drawn.expiresAt).toBe(addSeconds(at(DRAW_DUE), G.giftTtlSeconds));
    expect(drawn.refundBatches).toEqual([]);
    expect(drawn.status).toBe('sent');
  });

  it('counts only entries made before drawAt, not the giver, one per person', () => {
    const early = enter(order, 'bob', 10);
    const late = { ...enter(order, 'carol', 10), enteredAt: at(DRAW_IN) };
    const giver = { ...enter(order, 'dave', 10), userId: GIVER };
    const twice = { ...early, enteredAt: at(20) };
    expect(countedEntries(order, [early, late, twice]).map((e) => e.userId)).toEqual(['bob']);
    expect(countedEntries(order, [{ ...giver, entrantHash: entrantHashOf(order.id, GIVER, giver.salt) }])).toEqual([]);
    expect(() => countedEntries(order, [{ ...early, salt: '00'.repeat(16) }])).toThrow(/corrupt/);
  });

  it('refunds the units nobody won in the same write: one batch, one version', () => {
    const es = entrants(order, 1);
    const drawn = drawLottery(order, es, at(DRAW_DUE), G, P);
    expect(drawn.version).toBe(order.version + 1);
    expect(drawn.lottery!.winners).toHaveLength(1);
    expect(drawn.refundBatches).toEqual([
      expect.objectContaining({ batchNo: 1, unitNos: [1, 2], amountFen: 2 * SCARF_PRICE, trigger: 'draw' }),
    ]);
    expect(drawn.effects).toEqual([
      expect.objectContaining({ id: 'r1', kind: 'refund', paymentId: `pay_${order.id}`, amountFen: 2 * SCARF_PRICE }),
    ]);
    expect(refundNoOfBatch(order.id, 1)).toBe(`${order.id}-r1`);
  });

  it('settles an order nobody entered, refunding all of it', () => {
    const drawn = drawLottery(order, [], at(DRAW_DUE), G, P);
    expect(drawn).toMatchObject({ status: 'settled', settledAt: at(DRAW_DUE) });
    expect(drawn.refundBatches[0]).toMatchObject({ unitNos: [0, 1, 2], amountFen: order.amountFen });
  });
});

describe('the published draw and scripts/verify-draw.ts', () => {
  const order = paidOrder({ mode: 'lottery', quantity: 4 });
  const es = entrants(order, 9);
  const drawn = drawLottery(order, es, at(DRAW_DUE), G, P);
  const list = drawList(order, es);
  const record = publishedDraw(drawn, list);

  it('publishes the seed, sorted entrant hashes and the winners, and nothing that names a person', () => {
    expect(record.seed).toBe(order.lottery!.seed);
    expect(sha(Buffer.from(record.seed, 'hex'))).toBe(record.commitment);
    expect(record.entrants).toEqual([...record.entrants].sort());
    expect(record.winners).toHaveLength(4);
    expect(JSON.stringify(record)).not.toMatch(/user\d/);
  });

  it('verifies what the domain drew', () => {
    expect(verifyDraw(record)).toEqual({ problems: [], expected: record.winners });
  });

  it('catches a changed seed, a swapped winner, a dropped entrant and a reordered result', () => {
    const bad = (change: Partial<DrawRecord>) => verifyDraw({ ...record, ...change }).problems;
    expect(bad({ seed: Buffer.from(testBytes('forged')).toString('hex') })).toContainEqual(expect.stringMatching(/commitment/));
    const loser = record.entrants.find((e) => !record.winners.includes(e))!;
    expect(bad({ winners: [loser, ...record.winners.slice(1)] })).toContainEqual(expect.stringMatching(/winners/));
    expect(bad({ entrants: record.entrants.filter((e) => e !== loser) })).toContainEqual(expect.stringMatching(/entrantsDigest/));
    expect(bad({ winners: [...record.winners].reverse() })).toContainEqual(expect.stringMatching(/winners/));
    expect(bad({ entrants: [...record.entrants].reverse() })).toContainEqual(expect.stringMatching(/sorted/));
  });

  it('publishes the list the draw froze, whatever entries land later', () => {
    const late = { ...enter(order, 'latecomer', 20) };
    expect(publishedDraw(drawn, [...list, ...drawList(order, [...es, late])])).toEqual(record);
    expect(list[0]!.entrantsDigest).toBe(drawn.lottery!.entrantsDigest);
    expect(() => publishedDraw(drawn, drawList(order, [...es, late]))).toThrow(/incomplete/);
    expect(() => publishedDraw(drawn, [{ ...list[0]!, entrants: list[0]!.entrants.slice(1) }])).toThrow(/not the one drawn/);
    expect(() => publishedDraw(order, list)).toThrow(/not been drawn/);
  });

  it('cuts a long list into chunks that put it back together', () => {
    const many = entrants(order, 5);
    const chunks = drawList(order, many, 2);
    expect(chunks.map((c) => [c.chunkNo, c.chunks, c.entrants.length])).toEqual([
      [0, 3, 2],
      [1, 3, 2],
      [2, 3, 1],
    ]);
    expect(chunks.flatMap((c) => c.entrants)).toEqual(drawList(order, many)[0]!.entrants);
    expect(drawList(order, [])).toEqual([expect.objectContaining({ chunkNo: 0, chunks: 1, entrants: [] })]);
  });

  it('runs from the command line, on a file, and tells an entrant whether they won', () => {
    const dir = mkdtempSync(join(tmpdir(), 'draw-'));
    const file = join(dir, 'draw.json');
    writeFileSync(file, JSON.stringify(record));
    const run = (...args: string[]) =>
      execFileSync(process.execPath, ['--import', 'tsx', 'scripts/verify-draw.ts', ...args], { encoding: 'utf8', stdio: 'pipe' });
    const out = run(file, '--entrant', record.winners[2]!);
    expect(out).toContain('4 winner(s) of 9 entrant(s)');
    expect(out).toContain('won unit 2');
    writeFileSync(file, JSON.stringify({ ...record, winners: record.winners.slice(1) }));
    expect(() => run(file)).toThrow(/winners are not the ones/);
  });
});
