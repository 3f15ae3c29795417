/**
 * Lines of source ≤ 140 characters (Biome's formatter wraps code at that width but cannot break a long string or
 * comment). Checks every tracked TypeScript, JavaScript, CSS, YAML and shell file; counts characters, not bytes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const MAX = 140;
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' })
  .split('\n')
  .filter((f) => /\.(ts|tsx|cjs|mjs|js|css|ya?ml)$|^\.ci\/run$/.test(f) && !f.startsWith('bench/results/'));
const long: string[] = [];
for (const file of files) {
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const length = [...line].length;
      if (length > MAX) long.push(`${file}:${i + 1}: ${length} characters`);
    });
}
if (long.length > 0) {
  console.error(`lines over ${MAX} characters:\n  ${long.join('\n  ')}`);
  process.exit(1);
}
console.log(`${files.length} files, every line ≤ ${MAX} characters`);
