/**
 * Verifies a published 群礼物抽奖 draw: `npx tsx scripts/verify-draw.ts draw.json [--entrant <your entrant hash>]`
 * (or the JSON on stdin). Standalone on purpose: node:crypto only, none of songli's code, so a reader can check the
 * rule below against docs/group-gifts.md and trust nothing else.
 *
 *   commitment      = hex SHA-256(seed bytes)                       (published when the lottery was created)
 *   entrantsDigest  = hex SHA-256(entrants sorted, joined by "\n")  (recorded by the draw)
 *   rank(e)         = hex SHA-256(seed bytes ‖ bytes of entrant hash e)
 *   winners         = the min(quantity, entrants) entrants of smallest rank (ties by hash), in rank order
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface PublishedDraw {
  orderId: string;
  quantity: number;
  commitment: string;
  seed: string;
  entrants: string[];
  entrantsDigest?: string;
  winners: string[];
}

const HASH = /^[0-9a-f]{64}$/;
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Problems with a published draw (none: it is exactly what the rule gives), and the winners the rule gives. */
export function verifyDraw(d: PublishedDraw): { problems: string[]; expected: string[] } {
  const problems: string[] = [];
  if (!Number.isInteger(d.quantity) || d.quantity < 1) problems.push('quantity must be a positive integer');
  if (!/^([0-9a-f]{2}){16,}$/.test(d.seed)) problems.push('seed must be lowercase hex of at least 16 bytes');
  if (!HASH.test(d.commitment)) problems.push('commitment must be a lowercase hex SHA-256');
  if (!Array.isArray(d.entrants) || !d.entrants.every((e) => HASH.test(e))) problems.push('entrants must be lowercase hex SHA-256s');
  if (!Array.isArray(d.winners)) problems.push('winners must be a list');
  if (problems.length) return { problems, expected: [] };

  const seed = Buffer.from(d.seed, 'hex');
  if (sha256(seed) !== d.commitment) problems.push('the seed does not match the commitment published before the draw');
  if (d.entrants.some((e, i) => i > 0 && d.entrants[i - 1]! >= e)) problems.push('entrants must be sorted and distinct');
  if (d.entrantsDigest !== undefined && sha256(d.entrants.join('\n')) !== d.entrantsDigest)
    problems.push('the entrants are not the list the draw recorded (entrantsDigest)');

  const rank = (e: string) => sha256(Buffer.concat([seed, Buffer.from(e, 'hex')]));
  const expected = d.entrants
    .map((e) => ({ e, r: rank(e) }))
    .sort((a, b) => (a.r !== b.r ? (a.r < b.r ? -1 : 1) : a.e < b.e ? -1 : 1))
    .slice(0, d.quantity)
    .map((x) => x.e);
  if (expected.length !== d.winners.length || expected.some((e, i) => e !== d.winners[i]))
    problems.push(`the winners are not the ones the rule gives: expected ${JSON.stringify(expected)}`);
  return { problems, expected };
}

function main(args: string[]): number {
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--entrant');
  const mine = args[args.indexOf('--entrant') + 1];
  const draw = JSON.parse(readFileSync(file ?? 0, 'utf8')) as PublishedDraw;
  const { problems } = verifyDraw(draw);
  for (const p of problems) console.error(`✗ ${p}`);
  if (problems.length) return 1;
  const counts = `${draw.winners.length} winner(s) of ${draw.entrants.length} entrant(s)`;
  console.log(`✓ ${draw.orderId}: the seed matches its commitment; ${counts} as the rule gives`);
  if (args.includes('--entrant') && mine) {
    const unit = draw.winners.indexOf(mine);
    if (unit >= 0) console.log(`  ${mine.slice(0, 12)}… entered and won unit ${unit}`);
    else console.log(`  ${mine.slice(0, 12)}… ${draw.entrants.includes(mine) ? 'entered and did not win' : 'is not among the entrants'}`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
