/**
 * Does a claim link with a wrong secret for a real gift answer at the same speed as one for a gift that does not
 * exist? Interleaved pairs over real HTTP against the local server (each store), medians and the share of pairs in
 * which the wrong secret was slower (50 % = indistinguishable). Printed and written to
 * bench/results/claim-timing.json; never asserted (test/http/hostile-client-defects.test.ts checks the equal work).
 *
 *   npx tsx bench/claim-timing.ts [--pairs 400]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalServer } from '../local/start-local-server';
import { printTable, round, writeJson } from './lib/report';

const { values } = parseArgs({ options: { pairs: { type: 'string', default: '400' } } });
const PAIRS = Number(values.pairs);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function get(url: string, token: string): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', reject);
    req.end();
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: Array<Record<string, string | number>> = [];
for (const store of ['dynalite', 'leveldb', 'memory'] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'songli-timing-'));
  // A high guessing limit: this measures the lookup, not the limiter's 429.
  const server = await startLocalServer({
    timers: false,
    webRoot: null,
    env: { PORT: '0', DATA_DIR: dir, LOCAL_STORE: store, LOG_LEVEL: 'silent', CLAIM_LOOKUP_MAX_FAILURES: '1000000' },
  });
  try {
    const giver = await server.dev.issueToken('timing_giver');
    const guesser = await server.dev.issueToken('timing_guesser');
    const created = await fetch(`${server.url}/gifts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${giver}`, 'content-type': 'application/json' },
      body: JSON.stringify({ skuId: 'sku_scarf_blue' }),
    }).then((r) => r.json() as Promise<{ gift: { id: string } }>);
    await fetch(`${server.url}/gifts/${created.gift.id}/pay`, { method: 'POST', headers: { authorization: `Bearer ${giver}` } });
    const wrongSecret = `${server.url}/claims/${created.gift.id}.${'w'.repeat(32)}`;
    const unknownGift = `${server.url}/claims/g_${'n'.repeat(20)}.${'w'.repeat(32)}`;
    for (let i = 0; i < 50; i++) await get(i % 2 ? wrongSecret : unknownGift, guesser); // warm-up
    const a: number[] = [];
    const b: number[] = [];
    let slower = 0;
    for (let i = 0; i < PAIRS; i++) {
      // Alternate which goes first, so drift in the machine's load falls on both sides.
      const first = i % 2 === 0;
      const x = await get(first ? wrongSecret : unknownGift, guesser);
      const y = await get(first ? unknownGift : wrongSecret, guesser);
      const [wrong, unknown] = first ? [x, y] : [y, x];
      if (wrong.status !== 404 || unknown.status !== 404) throw new Error(`expected 404s, got ${wrong.status}/${unknown.status}`);
      a.push(wrong.ms);
      b.push(unknown.ms);
      if (wrong.ms > unknown.ms) slower++;
    }
    rows.push({
      store,
      pairs: PAIRS,
      'wrong secret median ms': round(median(a), 3),
      'unknown gift median ms': round(median(b), 3),
      'wrong secret slower in': `${round((100 * slower) / PAIRS, 1)} %`,
    });
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
agent.destroy();
printTable(rows);
console.log(`results: ${writeJson('claim-timing.json', { rows })}`);
