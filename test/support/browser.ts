/**
 * The Chromium the browser tests drive through playwright-core, and how `npm test` gets one on a machine without it
 * (scripts/ensure-browser.ts): CHROMIUM_PATH when set, else a Chromium already there (Debian's, then Playwright's
 * managed one), else one installed — Debian's package by apt when root on Debian, Playwright's managed Chromium
 * elsewhere — else a message saying what to do by hand.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** What the choice depends on: injected, so the decisions are tested without touching this machine. */
export interface BrowserEnv {
  /** CHROMIUM_PATH, when set. */
  chromiumPath: string | undefined;
  exists(path: string): boolean;
  isRoot: boolean;
  /** Debian or a derivative with apt-get. */
  isDebian: boolean;
  platform: NodeJS.Platform;
  arch: string;
  /** Where Playwright's managed Chromium is (or would be, once installed). */
  playwrightChromium: string | null;
}

export type BrowserPlan =
  | { action: 'use'; path: string; source: 'CHROMIUM_PATH' | 'system' | 'playwright' }
  | { action: 'install'; via: 'apt' | 'playwright'; commands: string[][]; path: string }
  | { action: 'fail'; message: string };

/** Debian's package installs /usr/bin/chromium; Ubuntu's is chromium-browser. */
export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
/** The packages .ci/run installs: the browser, and fonts so Chinese text and emoji render in screenshots. */
export const APT_PACKAGES = ['chromium', 'fonts-noto-cjk', 'fonts-noto-color-emoji'];
/** Where Playwright ships Chromium builds (its own support matrix). */
const PLAYWRIGHT_PLATFORMS = new Set(['linux/x64', 'linux/arm64', 'darwin/x64', 'darwin/arm64', 'win32/x64']);

const BY_HAND =
  'Install one by hand (Debian/Ubuntu: `apt-get install -y chromium fonts-noto-cjk`; elsewhere: ' +
  '`npx playwright-core install chromium`), or set CHROMIUM_PATH to a Chromium or Chrome binary.';

export function planBrowser(env: BrowserEnv): BrowserPlan {
  if (env.chromiumPath) {
    if (env.exists(env.chromiumPath)) return { action: 'use', path: env.chromiumPath, source: 'CHROMIUM_PATH' };
    return { action: 'fail', message: `CHROMIUM_PATH is set to ${env.chromiumPath}, which does not exist. ${BY_HAND}` };
  }
  const system = SYSTEM_CHROMIUMS.find((p) => env.exists(p));
  if (system) return { action: 'use', path: system, source: 'system' };
  if (env.playwrightChromium && env.exists(env.playwrightChromium))
    return { action: 'use', path: env.playwrightChromium, source: 'playwright' };
  if (env.isRoot && env.isDebian)
    return {
      action: 'install',
      via: 'apt',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...APT_PACKAGES],
      ],
      path: SYSTEM_CHROMIUMS[0]!,
    };
  if (env.playwrightChromium && PLAYWRIGHT_PLATFORMS.has(`${env.platform}/${env.arch}`))
    return {
      action: 'install',
      via: 'playwright',
      // The full Chromium only (the tests launch it by path); no system packages: that would need root.
      commands: [[process.execPath, playwrightCli(), 'install', '--no-shell', 'chromium']],
      path: env.playwrightChromium,
    };
  const apt = env.isDebian ? 'apt needs root here' : 'this is not Debian';
  const where = `${env.platform}/${env.arch}`;
  return {
    action: 'fail',
    message: `No Chromium for the browser tests, and none can be installed here (${apt}; Playwright has none for ${where}). ${BY_HAND}`,
  };
}

/** `npx playwright-core`, run by this Node (the package exports no path to its bin). */
const playwrightCli = () => join(dirname(createRequire(import.meta.url).resolve('playwright-core/package.json')), 'cli.js');

export function systemBrowserEnv(): BrowserEnv {
  let playwrightChromium: string | null = null;
  try {
    playwrightChromium = chromium.executablePath();
  } catch {
    // No Playwright build for this platform.
  }
  return {
    chromiumPath: process.env.CHROMIUM_PATH || undefined,
    exists: existsSync,
    isRoot: process.getuid?.() === 0,
    isDebian: existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get'),
    platform: process.platform,
    arch: process.arch,
    playwrightChromium,
  };
}

export type CommandRunner = (command: string[]) => { ok: boolean };
const runCommand: CommandRunner = ([cmd, ...args]) => {
  const r = spawnSync(cmd!, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return { ok: r.status === 0 };
};

/** The Chromium to use, installing one when the plan says so; throws with what to do by hand when none can be had. */
export function ensureChromium(env: BrowserEnv = systemBrowserEnv(), run: CommandRunner = runCommand, log = console.log): string {
  const plan = planBrowser(env);
  if (plan.action === 'use') return plan.path;
  if (plan.action === 'fail') throw new Error(plan.message);
  log(`No Chromium found for the browser tests: installing ${plan.via === 'apt' ? "Debian's" : "Playwright's"} (${plan.path})`);
  for (const command of plan.commands) {
    if (!run(command).ok) throw new Error(`Installing Chromium failed at \`${command.join(' ')}\`. ${BY_HAND}`);
  }
  if (!env.exists(plan.path)) throw new Error(`Installing Chromium finished but ${plan.path} is not there. ${BY_HAND}`);
  return plan.path;
}

/** The Chromium already there (no install: `npm test` installs one first, through scripts/ensure-browser.ts). */
export function findChromium(env: BrowserEnv = systemBrowserEnv()): string {
  const plan = planBrowser(env);
  if (plan.action === 'use') return plan.path;
  if (plan.action === 'fail') throw new Error(plan.message);
  throw new Error(`No Chromium for the browser tests: \`npm run test:browser\` installs one (${plan.via}). ${BY_HAND}`);
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * An iPhone-sized page in Simplified Chinese that may use the clipboard. Without the pages' service worker unless
 * `serviceWorkers: 'allow'` (the offline shell's own test): once it controls a page, the requests it sees go around
 * Playwright's page.route, which the tests use to cut off or hold a request, so whether a route held would depend on
 * whether the worker had started yet.
 */
export async function phoneContext(
  browser: Browser,
  origin: string,
  { serviceWorkers = 'block' }: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    serviceWorkers,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return context;
}
