import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a node_modules package, a project file, Node internals, or a V8 pseudo-frame. */
function origin(url: string, fn: string, by: 'package' | 'function'): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return by === 'function' ? url : 'node internals';
  const project = /\/(shared|local|functions|bench)\/(.+)$/.exec(url);
  return project ? `${project[1]}/${project[2]}` : url;
}

/**
 * Reads a `.cpuprofile` (written by `node --cpu-prof`) and returns the top self-time buckets, as table rows
 * for printTable: by `package` (node_modules package, project file, node internals, GC) or by `function`.
 */
export function summarizeCpuProfile(
  file: string,
  top = 15,
  by: 'package' | 'function' = 'package',
): { where: string; 'self ms': number; share: string }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const f = nodes.get(id)!.callFrame;
    const o = origin(f.url, f.functionName, by);
    const key = by === 'package' ? o : `${f.functionName || '(anonymous)'} ${o}:${f.lineNumber + 1}`;
    const us = profile.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, us]) => ({ where, 'self ms': Math.round(us / 1000), share: `${((us / total) * 100).toFixed(1)}%` }));
}
