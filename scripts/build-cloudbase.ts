/**
 * Builds every CloudBase function into dist/cloudbase/<name>/ (index.js exporting `main`, plus a
 * package.json so CloudBase installs the SDK online): what `cloudbaserc.json` deploys. `npm run build:cloudbase`.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleFunction, CLOUDBASE_EXTERNALS, deployableFunctions, ROOT } from '../build/bundle';

export async function buildCloudbase(outDir = join(ROOT, 'dist', 'cloudbase')): Promise<string[]> {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  rmSync(outDir, { recursive: true, force: true });
  const names = deployableFunctions('cloudbase');
  for (const name of names) {
    const dir = join(outDir, name);
    mkdirSync(dir, { recursive: true });
    const { bytes } = await bundleFunction(name, 'cloudbase', join(dir, 'index.js'));
    const dependencies = Object.fromEntries(CLOUDBASE_EXTERNALS.map((d) => [d, pkg.dependencies[d]!]));
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: `songli-${name}`, private: true, main: 'index.js', dependencies }, null, 2)}\n`,
    );
    console.log(`${name.padEnd(24)} ${(bytes / 1024).toFixed(1).padStart(7)} KB`);
  }
  return names;
}

if (import.meta.url === `file://${process.argv[1]}`) await buildCloudbase();
