import { readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by this process's main thread (the JavaScript; not GC helpers, LevelDB's or libuv's
 * threads), from Linux's /proc in 10 ms ticks; NaN elsewhere. On a shared machine it moves far less with other
 * load than wall time does, so before/after comparisons taken minutes apart stay meaningful.
 */
export function mainThreadCpuSeconds(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}
