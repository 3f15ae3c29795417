/**
 * The README's CloudBase steps against the real CLI (@cloudbase/cli, a devDependency): every `tcb` command of the
 * "Deploy to CloudBase" section, in its sh blocks and in its inline code, must be a command of that CLI, and every
 * flag it uses must be listed by that command's own `-h` (or be one of the CLI's global options).
 *
 * Only `-h` is ever run, so nothing reaches CloudBase. Each run gets a fresh HOME (the CLI writes
 * ~/.config/.cloudbase and ~/.cloudbase-mcp/logs at start-up), an empty working directory (no cloudbaserc.json or
 * .env to read), English messages, no colours, the MCP telemetry switched off and an HTTP(S) proxy on a closed
 * 127.0.0.1 port, so an unexpected request fails at once instead of leaving the machine. (In 2.12.10 the
 * update check is a no-op and the usage beacon fires only when a command's action runs, never for `-h`.)
 *
 * Two traps of the CLI the checks account for: an unknown top-level command prints "… is not a valid command" and
 * still exits 0 (with `-h` it fails on the `-h` instead), and an unknown subcommand (`tcb fn bogus -h`) prints the
 * parent's help, exit code 0. So a command counts as found only when the `Usage:` line of its help names exactly
 * the words the README wrote.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI_DIR = join(ROOT, 'node_modules', '@cloudbase', 'cli');
const CLI_PKG = JSON.parse(readFileSync(join(CLI_DIR, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const TCB_BIN = join(CLI_DIR, CLI_PKG.bin.tcb!);
const SECTION_TITLE = 'Deploy to CloudBase';

// ---------------------------------------------------------------------------------------------------------------
// README → `tcb` commands

/** The text of one `## ` section of a markdown document. */
function section(md: string, title: string): string {
  const start = md.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}

/** Splits a shell line into words, honouring quotes; stops at an unquoted comment. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unbalanced quote in: ${line}`);
  if (inWord) words.push(word);
  return words;
}

/** Splits a list of words into simple commands at `&&`, `||`, `;` and `|`. */
function simpleCommands(words: string[]): string[][] {
  const out: string[][] = [[]];
  for (const w of words) {
    if (['&&', '||', ';', '|'].includes(w)) out.push([]);
    else if (w.endsWith(';')) {
      out.at(-1)!.push(w.slice(0, -1));
      out.push([]);
    } else out.at(-1)!.push(w);
  }
  return out.filter((c) => c.length > 0);
}

/** The arguments after `tcb` (or `npx tcb`), or null for any other command. */
function tcbArgs(command: string[]): string[] | null {
  if (command[0] === 'tcb') return command.slice(1);
  if (command[0] === 'npx' && command[1] === 'tcb') return command.slice(2);
  return null;
}

interface ReadmeCommand {
  /** Where it came from, for messages: the logical line as written. */
  source: string;
  /** The arguments after `tcb`. */
  args: string[];
}

/** Every `tcb` command of the sh blocks: line continuations joined, comments and heredoc bodies skipped. */
function commandsOfShBlocks(text: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  for (const block of text.matchAll(/```(?:sh|bash|shell|console)\n([\s\S]*?)```/g)) {
    const logical: string[] = [];
    let pending = '';
    let heredocEnd: string | null = null;
    for (const raw of block[1]!.split('\n')) {
      if (heredocEnd !== null) {
        if (raw.trim() === heredocEnd) heredocEnd = null;
        continue;
      }
      const line = pending + raw;
      if (/\\\s*$/.test(raw) && !/(^|\s)#/.test(raw)) {
        pending = line.replace(/\\\s*$/, ' ');
        continue;
      }
      pending = '';
      logical.push(line);
      const heredoc = line.match(/<<-?\s*(['"]?)(\w+)\1/);
      if (heredoc) heredocEnd = heredoc[2]!;
    }
    if (pending) logical.push(pending);
    for (const line of logical) {
      for (const command of simpleCommands(shellWords(line))) {
        const args = tcbArgs(command);
        if (args) commands.push({ source: line.trim(), args });
      }
    }
  }
  return commands;
}

/** Every inline code span of the prose that is a `tcb` command (`tcb fn list`, `tcb service auth switch`). */
function commandsOfInlineCode(text: string): ReadmeCommand[] {
  const prose = text.replace(/```[\s\S]*?```/g, '');
  const commands: ReadmeCommand[] = [];
  for (const span of prose.matchAll(/`([^`]+)`/g)) {
    const code = span[1]!.replace(/\s+/g, ' ').trim();
    if (!/^(npx )?tcb /.test(code)) continue;
    commands.push({ source: `\`${code}\``, args: tcbArgs(shellWords(code))! });
  }
  return commands;
}

// ---------------------------------------------------------------------------------------------------------------
// The CLI's help

interface Run {
  code: number | null;
  output: string;
}

let homes: string;
let runCount = 0;

/** Runs at most one CLI per core: each is ~2 s of CPU (a 32 MB bundle to compile), more at once only thrash. */
const slots = Math.max(2, availableParallelism());
let running = 0;
const waiting: (() => void)[] = [];
async function limited<T>(task: () => Promise<T>): Promise<T> {
  if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

function runTcb(args: string[]): Promise<Run> {
  return limited(() => spawnTcb(args));
}

function spawnTcb(args: string[]): Promise<Run> {
  const home = join(homes, `run-${runCount++}`);
  const cwd = join(home, 'cwd');
  mkdirSync(cwd, { recursive: true });
  const proxy = 'http://127.0.0.1:9';
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    USERPROFILE: home,
    LC_ALL: 'en_US.UTF-8',
    LANG: 'en_US.UTF-8',
    LANGUAGE: 'en',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    CLOUDBASE_MCP_TELEMETRY_DISABLED: 'true',
    CLOUDBASE_LOG_DIR: join(home, 'logs'),
    HTTP_PROXY: proxy,
    HTTPS_PROXY: proxy,
    http_proxy: proxy,
    https_proxy: proxy,
    NO_PROXY: '',
    no_proxy: '',
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [TCB_BIN, ...args], { cwd, env, timeout: 60_000, maxBuffer: 4 << 20 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
      resolve({ code, output: `${stdout}\n${stderr}`.replace(/\x1b\[[0-9;]*m/g, '') });
    });
  });
}

type OptionValue = 'none' | 'required' | 'optional';

interface Help {
  run: Run;
  /** The command words of the `Usage:` line (`['fn', 'deploy']`), null when there is none. */
  path: string[] | null;
  /** Its positional arguments (`[options]` and `[command]` left out). */
  params: { required: boolean; variadic: boolean }[];
  /** `[command]` in the usage: the words after the path would have to be one of its subcommands. */
  hasSubcommands: boolean;
  /** Every flag the help lists (`-e`, `--envId`, …) and whether it takes a value. */
  options: Map<string, OptionValue>;
}

/** Flags and their value kind from the option lines of a help text (`  -p, --service-path <servicePath>  …`). */
function parseOptions(text: string): Map<string, OptionValue> {
  const options = new Map<string, OptionValue>();
  for (const m of text.matchAll(/^ {2,}(-[\w-]+(?:, -[\w-]+)*)(?: (<[^>]+>|\[[^\]]+\]))?(?= {2,}|$)/gm)) {
    const value: OptionValue = !m[2] ? 'none' : m[2].startsWith('<') ? 'required' : 'optional';
    for (const flag of m[1]!.split(', ')) options.set(flag, value);
  }
  return options;
}

function parseHelp(run: Run): Help {
  const usage = run.output.match(/^Usage: tcb(?: (.*))?$/m);
  if (!usage) return { run, path: null, params: [], hasSubcommands: false, options: parseOptions(run.output) };
  const words = (usage[1] ?? '').trim().split(/\s+/).filter(Boolean);
  const firstParam = words.findIndex((w) => w.startsWith('[') || w.startsWith('<'));
  const path = firstParam < 0 ? words : words.slice(0, firstParam);
  const params = (firstParam < 0 ? [] : words.slice(firstParam))
    .filter((w) => w !== '[options]' && w !== '[command]')
    .map((w) => ({ required: w.startsWith('<'), variadic: w.includes('...') }));
  return { run, path, params, hasSubcommands: words.includes('[command]'), options: parseOptions(run.output) };
}

/** The words before the first flag: the command, maybe followed by its positional arguments. */
function leadingWords(args: string[]): string[] {
  const i = args.findIndex((a) => a.startsWith('-'));
  return i < 0 ? args : args.slice(0, i);
}

const helps = new Map<string, Promise<Help>>();
/**
 * `tcb <words> -h`, once per distinct list of words; the help of a shorter list is reused when it names exactly
 * that command and the command has no subcommands (`fn deploy http-api` → the help of `fn deploy`).
 */
function helpFor(words: string[]): Promise<Help> {
  const key = words.join(' ');
  if (!helps.has(key)) {
    const prefixes = words
      .map((_, i) => words.slice(0, i).join(' '))
      .filter((p) => p && helps.has(p))
      .reverse();
    helps.set(
      key,
      (async () => {
        for (const prefix of prefixes) {
          const help = await helps.get(prefix)!;
          if (help.run.code === 0 && help.path?.join(' ') === prefix && !help.hasSubcommands) return help;
        }
        return parseHelp(await runTcb([...words, '-h']));
      })(),
    );
  }
  return helps.get(key)!;
}

let globalOptions: Map<string, OptionValue>;
/** The top-level commands `tcb -h` lists: a first word not among them needs no run to be rejected. */
let topCommands: Set<string>;

const REJECTIONS = /is not a valid command|不是有效的命令|unknown command|unknown option|error:/i;

/** What is wrong with one `tcb` command: [] when the CLI has the command and every flag it uses. */
async function problemsOf(args: string[]): Promise<string[]> {
  const words = leadingWords(args);
  if (words.length === 0) return ['no command after tcb'];
  if (!topCommands.has(words[0]!)) return [`tcb has no command ${words[0]} (\`tcb -h\` lists ${[...topCommands].join(' ')})`];
  const help = await helpFor(words);
  const shown = `\`tcb ${words.join(' ')} -h\``;
  const rejected = help.run.output.match(REJECTIONS);
  if (help.run.code !== 0 || rejected || !help.path) {
    const said = help.run.output
      .split('\n')
      .find((l) => REJECTIONS.test(l))
      ?.trim();
    return [`${shown} exits ${help.run.code}${said ? `: ${said}` : ' without a Usage line'}`];
  }
  const samePath = help.path.join(' ') === words.slice(0, help.path.length).join(' ');
  if (help.path.length === 0 || !samePath || (help.hasSubcommands && words.length > help.path.length)) {
    return [`${shown} shows the help of \`tcb ${help.path.join(' ')}\`: no command \`tcb ${words.join(' ')}\``];
  }
  const problems: string[] = [];
  const positionals = words.slice(help.path.length);
  for (let i = words.length; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = help.options.get(flag) ?? globalOptions.get(flag);
    if (value === undefined) {
      problems.push(`\`tcb ${help.path.join(' ')}\` has no option ${flag} (its -h lists ${[...help.options.keys()].join(' ')})`);
      continue;
    }
    if (value === 'none' && inline !== undefined) problems.push(`${flag} of \`tcb ${help.path.join(' ')}\` takes no value`);
    if (value !== 'none' && inline === undefined) {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-')) i++;
      else if (value === 'required') problems.push(`${flag} of \`tcb ${help.path.join(' ')}\` needs a value`);
    }
  }
  const variadic = help.params.some((p) => p.variadic);
  const required = help.params.filter((p) => p.required).length;
  if (!variadic && positionals.length > help.params.length) {
    problems.push(
      `\`tcb ${help.path.join(' ')}\` takes ${help.params.length} argument(s), given ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  if (positionals.length < required)
    problems.push(`\`tcb ${help.path.join(' ')}\` needs ${required} argument(s), given ${positionals.length}`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------------

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const text = section(readme, SECTION_TITLE);
const blockCommands = commandsOfShBlocks(text);
const inlineCommands = commandsOfInlineCode(text);
const documented = [...blockCommands, ...inlineCommands];

/** The lines of the issue (commands of a newer CLI that 2.12 lacks) and two more traps: each must be caught. */
const WRONG = [
  { args: ['validate'], because: /tcb has no command validate/ },
  { args: ['deploy', '--yes'], because: /tcb has no command deploy/ },
  { args: ['fn', 'bogus', '-e', '<envId>'], because: /shows the help of `tcb fn`/ },
  { args: ['fn', 'deploy', '--all', '--dry-run'], because: /has no option --dry-run/ },
  { args: ['service', 'create', '--env-id', '<envId>'], because: /has no option --env-id/ },
];

const problems = new Map<string, string[]>();
let elapsedMs = 0;

beforeAll(async () => {
  homes = mkdtempSync(join(tmpdir(), 'songli-tcb-'));
  const started = performance.now();
  const root = await runTcb(['-h']);
  expect(root.code, root.output).toBe(0);
  const commandsPart = root.output.slice(root.output.indexOf('Commands'), root.output.indexOf('Options'));
  topCommands = new Set([...commandsPart.matchAll(/^ {2,}([a-z][\w-]*) /gm)].map((m) => m[1]!));
  globalOptions = parseOptions(root.output.slice(root.output.indexOf('Options')));
  const all = [...documented.map((c) => c.args), ...WRONG.map((w) => w.args)];
  // Every distinct `tcb … -h` is queued at once, shortest first (so longer ones can reuse them), one per core;
  // then each command is checked against its (cached) help.
  const queued = all.map(leadingWords).filter((w) => w.length > 0 && topCommands.has(w[0]!));
  for (const words of queued.sort((a, b) => a.length - b.length)) void helpFor(words);
  await Promise.all(all.map(async (args) => problems.set(args.join(' '), await problemsOf(args))));
  elapsedMs = performance.now() - started;
  console.log(
    `tcb-cli: ${runCount} help runs of @cloudbase/cli ${CLI_PKG.version} ` +
      `for ${documented.length} README commands in ${(elapsedMs / 1000).toFixed(1)} s`,
  );
}, 180_000);

afterAll(() => {
  if (homes) rmSync(homes, { recursive: true, force: true });
});

describe(`README "${SECTION_TITLE}" against @cloudbase/cli`, () => {
  it('is checked against the installed CLI, the version the README names', () => {
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).devDependencies).toHaveProperty(['@cloudbase/cli']);
    expect(text).toContain(`\`@cloudbase/cli\` ${CLI_PKG.version}`);
    expect(globalOptions.has('--mode') && globalOptions.has('--config-file')).toBe(true);
    expect([...topCommands]).toEqual(expect.arrayContaining(['login', 'logout', 'env', 'fn', 'service']));
    expect(topCommands.has('deploy') || topCommands.has('validate')).toBe(false);
  });

  it('finds the deploy steps: tcb commands in sh blocks and in the prose', () => {
    const paths = blockCommands.map((c) => leadingWords(c.args).slice(0, 2).join(' '));
    expect(paths).toEqual(expect.arrayContaining(['login', 'fn deploy', 'service create', 'fn list', 'service list']));
    expect(inlineCommands.length).toBeGreaterThan(0);
  });

  it('uses only commands the CLI has, with flags their -h lists', () => {
    const failures = documented.flatMap((c) => (problems.get(c.args.join(' ')) ?? ['not checked']).map((p) => `${c.source}\n    → ${p}`));
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('would catch the commands of the issue and the CLI’s silent traps', () => {
    for (const w of WRONG) {
      const found = problems.get(w.args.join(' '))!;
      expect(found.join('\n'), `tcb ${w.args.join(' ')}`).toMatch(w.because);
    }
  });

  it('names every environment <envId>', () => {
    const ids = blockCommands.flatMap((c) => c.args.flatMap((a, i) => (a === '-e' || a === '--envId' ? [c.args[i + 1]] : [])));
    expect(ids.length).toBeGreaterThan(3);
    expect(new Set(ids)).toEqual(new Set(['<envId>']));
  });

  it('deploys every function of cloudbaserc.json with its config, over the routes and timers it records', () => {
    const rc = JSON.parse(readFileSync(join(ROOT, 'cloudbaserc.json'), 'utf8')) as {
      functionRoot: string;
      functions: { name: string; triggers?: { name: string }[] }[];
      gateway: { routes: { path: string; target: string }[] };
    };
    const args = (c: ReadmeCommand, short: string, long: string) => c.args[c.args.findIndex((a) => a === short || a === long) + 1];
    const deployAll = blockCommands.find((c) => c.args[0] === 'fn' && c.args[1] === 'deploy' && c.args.includes('--all'));
    expect(deployAll?.args).toEqual(expect.arrayContaining(['--force', '-e']));
    expect(rc.functionRoot).toBe('./dist/cloudbase');
    expect(text).toContain('npm run build:cloudbase');

    const routes = blockCommands
      .filter((c) => c.args[0] === 'service' && c.args[1] === 'create')
      .map((c) => ({ path: args(c, '-p', '--service-path'), target: `function:${args(c, '-f', '--function')}` }));
    expect(routes).toEqual(rc.gateway.routes.map(({ path, target }) => ({ path, target })));

    const names = new Set(rc.functions.map((f) => f.name));
    for (const c of blockCommands.filter((c) => c.args[0] === 'fn' && ['deploy', 'delete', 'trigger'].includes(c.args[1]!))) {
      const positionals = leadingWords(c.args).slice(c.args[1] === 'trigger' ? 3 : 2);
      if (positionals[0]) expect(names, c.source).toContain(positionals[0]);
      if (c.args[1] === 'trigger' && positionals[1]) {
        expect(
          rc.functions.find((f) => f.name === positionals[0])?.triggers?.map((t) => t.name),
          c.source,
        ).toContain(positionals[1]);
      }
    }
  });
});
