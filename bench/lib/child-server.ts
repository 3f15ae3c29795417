import { type ChildProcess, fork, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A server running in its own process, so the load generator and the server do not share a core. */
export interface ChildServer {
  url: string;
  pid: number;
  /** The child process (its IPC channel carries e.g. bench/lib/memory-probe.cjs's samples). */
  process: ChildProcess;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for the process to exit. */
  stop(): Promise<void>;
}

const SERVERS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'servers');
const running = new Set<ChildProcess>();
let hooked = false;

/** Kills every child still running when this process ends, also on errors and Ctrl-C. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const c of running) c.kill('SIGTERM');
      process.exit(130);
    });
  }
}

/**
 * Starts `bench/servers/<name>.ts` in a child Node process (through tsx) and resolves once it reported its URL
 * over IPC. The child also exits by itself when the IPC channel closes, i.e. if this process dies.
 *
 * @param name `bare-server` or `songli-server`
 * @param opts.env extra environment for the child (e.g. `{ BENCH_STORE: 'memory' }` or `{ DATA_DIR }`)
 * @param opts.execArgv extra Node flags (e.g. `['--cpu-prof', '--cpu-prof-dir=bench/results/profiles']`)
 * @param opts.quiet discard the child's stdout (a server logging every request), keep its stderr
 */
export async function startChildServer(
  name: string,
  opts: { env?: Record<string, string>; execArgv?: string[]; quiet?: boolean } = {},
): Promise<ChildServer> {
  hookExit();
  const child = fork(resolve(SERVERS_DIR, `${name}.ts`), [], {
    execArgv: ['--import', 'tsx', ...(opts.execArgv ?? [])],
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', opts.quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'] satisfies StdioOptions,
  });
  running.add(child);
  const exited = new Promise<void>((r) =>
    child.once('exit', () => {
      running.delete(child);
      r();
    }),
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s`)), 30_000);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolveUrl((m as { url: string }).url);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code} before listening`));
    });
  });
  return {
    url,
    pid: child.pid!,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds (user + system) the process has used so far, from /proc (Linux); null elsewhere. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th, in clock ticks.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
