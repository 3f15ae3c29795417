/**
 * How `npm test` gets a Chromium (test/support/browser.ts), on machines described rather than touched: nothing is
 * installed here, the commands the plan would run are recorded.
 */
import { describe, expect, it } from 'vitest';
import { APT_PACKAGES, type BrowserEnv, ensureChromium, findChromium, planBrowser } from '../support/browser';

const PLAYWRIGHT = '/home/me/.cache/ms-playwright/chromium-1255/chrome-linux64/chrome';

/** A Linux x64 machine with nothing installed, as a non-root user on a non-Debian system unless told. */
function machine(over: Partial<BrowserEnv> & { files?: string[] } = {}): BrowserEnv & { files: Set<string> } {
  const files = new Set(over.files ?? []);
  return {
    chromiumPath: undefined,
    isRoot: false,
    isDebian: false,
    platform: 'linux',
    arch: 'x64',
    playwrightChromium: PLAYWRIGHT,
    ...over,
    files,
    exists: (p: string) => files.has(p),
  };
}

describe('choosing the Chromium', () => {
  it('uses CHROMIUM_PATH when set, before any installed browser', () => {
    const env = machine({ chromiumPath: '/opt/chrome/chrome', files: ['/opt/chrome/chrome', '/usr/bin/chromium', PLAYWRIGHT] });
    expect(planBrowser(env)).toEqual({ action: 'use', path: '/opt/chrome/chrome', source: 'CHROMIUM_PATH' });
  });

  it('refuses a CHROMIUM_PATH that does not exist instead of quietly taking another browser', () => {
    const plan = planBrowser(machine({ chromiumPath: '/nope/chrome', files: ['/usr/bin/chromium'], isRoot: true, isDebian: true }));
    expect(plan.action).toBe('fail');
    expect(plan.action === 'fail' && plan.message).toMatch(/CHROMIUM_PATH is set to \/nope\/chrome, which does not exist/);
  });

  it("uses Debian's Chromium when installed, else Ubuntu's chromium-browser, else Playwright's", () => {
    expect(planBrowser(machine({ files: ['/usr/bin/chromium', PLAYWRIGHT] }))).toEqual({
      action: 'use',
      path: '/usr/bin/chromium',
      source: 'system',
    });
    expect(planBrowser(machine({ files: ['/usr/bin/chromium-browser'] }))).toMatchObject({ path: '/usr/bin/chromium-browser' });
    expect(planBrowser(machine({ files: [PLAYWRIGHT] }))).toEqual({ action: 'use', path: PLAYWRIGHT, source: 'playwright' });
  });

  it('installs Debian’s package by apt when root on Debian (what .ci/run installs)', () => {
    const plan = planBrowser(machine({ isRoot: true, isDebian: true }));
    expect(plan).toEqual({
      action: 'install',
      via: 'apt',
      commands: [
        ['apt-get', 'update', '-qq'],
        ['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-noto-cjk', 'fonts-noto-color-emoji'],
      ],
      path: '/usr/bin/chromium',
    });
    expect(APT_PACKAGES).toContain('chromium');
  });

  it('installs Playwright’s managed Chromium elsewhere: Debian without root, another Linux, macOS, Windows', () => {
    for (const env of [
      machine({ isDebian: true }),
      machine({ isRoot: true }),
      machine({ platform: 'darwin', arch: 'arm64' }),
      machine({ platform: 'win32', arch: 'x64' }),
      machine({ arch: 'arm64' }),
    ]) {
      const plan = planBrowser(env);
      expect(plan).toMatchObject({ action: 'install', via: 'playwright', path: PLAYWRIGHT });
      const [node, cli, ...args] = plan.action === 'install' ? plan.commands[0]! : [];
      expect(node).toBe(process.execPath);
      expect(cli).toMatch(/playwright-core[/\\]cli\.js$/);
      expect(args).toEqual(['install', '--no-shell', 'chromium']);
    }
  });

  it('says what to do by hand when neither can work', () => {
    for (const env of [
      machine({ platform: 'freebsd' }),
      machine({ arch: 'ia32' }),
      machine({ playwrightChromium: null, isDebian: true }),
    ]) {
      const plan = planBrowser(env);
      expect(plan.action, `${env.platform}/${env.arch}`).toBe('fail');
      const message = plan.action === 'fail' ? plan.message : '';
      expect(message).toContain('apt-get install -y chromium');
      expect(message).toContain('npx playwright-core install chromium');
      expect(message).toContain('CHROMIUM_PATH');
    }
  });
});

describe('ensureChromium', () => {
  it('runs the plan’s commands in order and answers the installed browser', () => {
    const env = machine({ isRoot: true, isDebian: true });
    const ran: string[][] = [];
    const path = ensureChromium(
      env,
      (command) => {
        ran.push(command);
        if (command[1] === 'install') env.files.add('/usr/bin/chromium'); // what apt would do
        return { ok: true };
      },
      () => undefined,
    );
    expect(path).toBe('/usr/bin/chromium');
    expect(ran.map((c) => c.slice(0, 2).join(' '))).toEqual(['apt-get update', 'apt-get install']);
  });

  it('installs nothing when a browser is there', () => {
    const ran: string[][] = [];
    const record = (command: string[]) => {
      ran.push(command);
      return { ok: true };
    };
    expect(ensureChromium(machine({ files: [PLAYWRIGHT] }), record)).toBe(PLAYWRIGHT);
    expect(ran).toEqual([]);
  });

  it('stops at a failing command, and notices an install that left no browser', () => {
    const ran: string[][] = [];
    const failing = (command: string[]) => {
      ran.push(command);
      return { ok: false };
    };
    expect(() => ensureChromium(machine({ isRoot: true, isDebian: true }), failing, () => undefined)).toThrow(
      /Installing Chromium failed at `apt-get update -qq`.*by hand/,
    );
    expect(ran).toHaveLength(1);
    expect(() =>
      ensureChromium(
        machine(),
        () => ({ ok: true }),
        () => undefined,
      ),
    ).toThrow(/finished but .* is not there/);
  });
});

describe('findChromium (what the browser tests launch)', () => {
  it('never installs: it names the command that does', () => {
    expect(findChromium(machine({ files: ['/usr/bin/chromium'] }))).toBe('/usr/bin/chromium');
    expect(() => findChromium(machine({ isRoot: true, isDebian: true }))).toThrow(/npm run test:browser` installs one \(apt\)/);
  });
});
