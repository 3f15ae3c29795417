/**
 * DynamoDB Local (Amazon's own engine, a Java server) for tests: the jar ships inside the npm package
 * amplify-dynamodb-simulator; we spawn `java` ourselves (the package's launcher pulls in amplify-cli-core).
 *
 * Needs a JRE (11+) on PATH. Without one, startDynamoDbLocal() rejects with a message that says how to install
 * it: the tests that use it fail rather than skip, since CI (.ci/run) installs the JRE.
 *
 * DynamoDB Local has no flag to choose the listening address (flags: -port -inMemory -dbPath -sharedDb
 * -delayTransientStatuses -disableTelemetry -optimizeDbBeforeStartup -cors -version -help): its Jetty listens
 * on every interface (`*:<port>`). The client only ever talks to 127.0.0.1, and telemetry is turned off.
 *
 * The port: a free one picked by the OS; if another process takes it before java binds it (java then logs a
 * BindException but does not exit), the JVM is killed and another port tried. The JVM is killed by close(),
 * and when this process exits or gets SIGINT/SIGTERM/SIGHUP (not when it is SIGKILLed).
 * Start-up is 1.6-2.5 s on an idle 2-core machine (3-6 s under load), with C1-only JIT and the serial GC.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '../../shared/adapters/aws/dynamodb-client';

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  /** Milliseconds from spawning java to the first answered ListTables. */
  startupMs: number;
  close(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Keep everything in memory (the default when dbPath is not given). */
  inMemory?: boolean;
  /** A directory for the SQLite file (shared-local-instance.db); implies inMemory false. */
  dbPath?: string;
  /** Give up when the engine has not answered within this many ms (default 25 s: under vitest's 30 s hook timeout). */
  startTimeoutMs?: number;
}

export const JAVA_MISSING =
  'DynamoDB Local needs Java, and no `java` was found on PATH: install a JRE: apt-get install -y default-jre-headless';

/** True when `java -version` runs. */
export function hasJava(): boolean {
  const r = spawnSync('java', ['-version'], { stdio: 'ignore', timeout: 15_000 });
  return !r.error && r.status === 0;
}

/** The directory holding DynamoDBLocal.jar and DynamoDBLocal_lib/ (with the sqlite4java native libraries). */
export function dynamoDbLocalDir(): string {
  const pkg = createRequire(import.meta.url).resolve('amplify-dynamodb-simulator/package.json');
  const dir = join(dirname(pkg), 'emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar')))
    throw new Error(`DynamoDBLocal.jar not found in ${dir} (is amplify-dynamodb-simulator installed?)`);
  return dir;
}

/**
 * A port that is free on every interface (DynamoDB Local binds them all): the OS picks one for a throwaway
 * listener. Another process can still take it before java binds it; startDynamoDbLocal retries then.
 */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/* ---------- children are killed when this process goes away ---------- */

const children = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
}

function hookParentExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAll();
      // Keep the default behaviour (terminate) unless someone else handles the signal.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.once(sig, onSignal);
  }
}

class StartFailure extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

function localClient(endpoint: string, timeoutMs?: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    timeoutMs: timeoutMs ?? 60_000, // a JVM on a loaded machine: slow, not lost
  });
}

async function startOnce(dir: string, opts: DynamoDbLocalOptions, timeoutMs: number): Promise<DynamoDbLocal> {
  const port = await freePort();
  const storage = opts.dbPath ? ['-dbPath', opts.dbPath] : ['-inMemory'];
  const args = [
    // Start-up matters more than peak speed for a test engine: C1 only, one GC thread, a modest heap.
    '-XX:TieredStopAtLevel=1',
    '-XX:+UseSerialGC',
    '-Xmx1g',
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    ...storage,
    // One database whatever the client's credentials and region are.
    '-sharedDb',
    // No network but 127.0.0.1 in tests.
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  const started = performance.now();
  const child = spawn('java', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  hookParentExit();

  let output = '';
  let fatal: StartFailure | null = null;
  let crashSeen = false;
  let failStartup: (e: StartFailure) => void = () => {};
  const failed = new Promise<never>((_, reject) => {
    failStartup = (e) => {
      fatal ??= e;
      reject(e);
    };
  });
  failed.catch(() => {});
  let announced!: () => void;
  const banner = new Promise<void>((r) => (announced = r));
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-8_000);
    if (output.includes('Initializing DynamoDB Local')) announced();
    // A failed start (a taken port above all) kills the main thread but not the JVM (other threads keep it
    // alive): watch the output, and give the stack trace a moment to arrive before classifying it.
    if (!crashSeen && /Exception in thread "main"|Failed to bind/.test(output)) {
      crashSeen = true;
      setTimeout(() => {
        const inUse = /Failed to bind|BindException|Address already in use/.test(output);
        failStartup(
          new StartFailure(`DynamoDB Local ${inUse ? 'could not bind' : 'failed to start on'} port ${port}:\n${output.trim()}`, inUse),
        );
      }, 250);
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.once('error', (e: NodeJS.ErrnoException) => {
    children.delete(child);
    failStartup(
      e.code === 'ENOENT' ? new StartFailure(JAVA_MISSING, false) : new StartFailure(`could not spawn java: ${e.message}`, false),
    );
  });
  child.once('exit', (code, signal) => {
    children.delete(child);
    failStartup(
      new StartFailure(`DynamoDB Local exited during start-up (code ${code}, signal ${signal}) on port ${port}:\n${output.trim()}`, false),
    );
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localClient(endpoint);
  const probe = localClient(endpoint, 2_000);
  const kill = async () => {
    client.destroy();
    probe.destroy();
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    await gone;
    clearTimeout(timer);
    children.delete(child);
  };

  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const tooSlow = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StartFailure(`DynamoDB Local printed nothing within ${timeoutMs} ms:\n${output.trim()}`, false)),
      timeoutMs,
    );
  });
  tooSlow.catch(() => {});
  for (;;) {
    try {
      // The banner comes just before Jetty binds the port: probing earlier could only reach someone else's server.
      await Promise.race([banner, failed, tooSlow]);
      // Each probe gets its own short timeout: a socket that accepts but never answers must not hang start-up.
      await Promise.race([probe.send(new ListTablesCommand({ Limit: 1 })), failed]);
      // An answer while our start failed came from another process on that port.
      if (crashSeen) throw fatal ?? (await failed);
      break;
    } catch (e) {
      if (e instanceof StartFailure) {
        clearTimeout(timer);
        await kill();
        throw e;
      }
      if (Date.now() > deadline) {
        clearTimeout(timer);
        await kill();
        throw new StartFailure(
          `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms (last error: ${String(e)}):\n${output.trim()}`,
          false,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  clearTimeout(timer);
  const startupMs = Math.round(performance.now() - started);
  return { endpoint, client, startupMs, close: kill };
}

/** Spawns DynamoDB Local on a free port and resolves once it answers ListTables. */
export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  if (opts.dbPath && opts.inMemory) throw new Error('startDynamoDbLocal: pass either inMemory or dbPath, not both');
  // Without -inMemory or -dbPath the jar writes into its own directory (node_modules): never that.
  if (opts.inMemory === false && !opts.dbPath) throw new Error('startDynamoDbLocal: inMemory false needs a dbPath');
  const dir = dynamoDbLocalDir();
  const timeoutMs = opts.startTimeoutMs ?? 25_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(dir, opts, timeoutMs);
    } catch (e) {
      // Lost the port to another process between picking and binding it: pick another.
      if (e instanceof StartFailure && e.retryable && attempt < 5) continue;
      throw e instanceof StartFailure ? new Error(e.message) : e;
    }
  }
}
