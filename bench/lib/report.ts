import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** bench/results/, where every bench writes its JSON and SVG files (BENCHMARKS.md is written from them). */
export const RESULTS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** The machine a result was measured on; saved with every result so figures are never read out of context. */
export interface MachineInfo {
  cpuModel: string;
  cpuCount: number;
  totalMemGiB: number;
  os: string;
  node: string;
  date: string;
  /** 1-minute load average when measured: near or above cpuCount means something else was competing for the cores. */
  loadAvg1m: number;
}

/** Describes this machine (CPU model and count, memory, OS, Node version) and the current date. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cpuCount: list.length,
    totalMemGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    loadAvg1m: round(loadavg()[0] ?? 0, 2),
  };
}

/** Warns (one line) when the machine is already busy, since concurrent work skews every figure. */
export function warnIfBusy(m: MachineInfo = machineInfo()): void {
  if (m.loadAvg1m > m.cpuCount * 0.5) {
    console.log(
      `WARNING: 1-minute load average is ${m.loadAvg1m} on ${m.cpuCount} cores before starting: other work competes with this bench`,
    );
  }
}

/** A table cell: numbers are printed as given (round them first), null/undefined as an empty cell. */
export type Cell = string | number | boolean | null | undefined;

/**
 * Prints rows as an aligned text table; the columns are the keys of the first row, in order. Numbers are
 * right-aligned, everything else left-aligned.
 *
 * @example printTable([{ target: 'bare', 'req/s': 41000 }, { target: 'songli', 'req/s': 2100 }])
 */
export function printTable(rows: readonly Record<string, Cell>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const text = (v: Cell) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[], numeric: boolean[]) =>
    cells
      .map((s, i) => (numeric[i] ? s.padStart(widths[i]!) : s.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log(
    line(
      columns,
      columns.map(() => false),
    ),
  );
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows)
    console.log(
      line(
        columns.map((c) => text(r[c])),
        columns.map((c) => typeof r[c] === 'number'),
      ),
    );
}

/**
 * Writes `{ machine, ...data }` as pretty JSON. A bare file name (`http.json`) goes under bench/results/;
 * a path with a directory is used as given. Returns the path written.
 */
export function writeJson(file: string, data: Record<string, unknown>): string {
  const path = file.includes('/') ? resolve(file) : resolve(RESULTS_DIR, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ machine: machineInfo(), ...data }, null, 2)}\n`);
  return path;
}

/** Rounds to `digits` decimals (for table cells and JSON figures). */
export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
