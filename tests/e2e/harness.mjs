// The end-to-end harness: a relay on a free port serving the release build, Debian's
// Chromium driven by playwright-core, windows that share a profile (one browser context)
// and isolated profiles (separate contexts), console-error capture, axe-core audits and
// screenshots. Tests wait on conditions, never on fixed sleeps.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCREENSHOT_DIR = join(ROOT, 'target', 'screenshots');

export const PROJECTOR = { width: 1920, height: 1080 };
export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1366, height: 768 };

/**
 * Starts `bijeen-relay` on a free port with a fresh data directory. `crash()` kills it
 * with SIGKILL and `restart()` starts it again on the same port and data directory.
 */
export async function startRelay({ dataDir, args = [] } = {}) {
  const bin = process.env.BIJEEN_RELAY_BIN ?? join(ROOT, 'target', 'release', 'bijeen-relay');
  const dist = process.env.BIJEEN_DIST ?? join(ROOT, 'dist');
  const ownDataDir = !dataDir;
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'bijeen-relay-'));
  let child;
  let port = 0;
  const launch = async () => {
    child = spawn(bin, ['--dist', dist, '--host', '127.0.0.1', '--port', String(port), '--data-dir', dir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const started = child;
    port = await new Promise((resolvePort, reject) => {
      let stdout = '';
      const timer = setTimeout(() => reject(new Error(`relay did not start in 20 s:\n${stderr}`)), 20_000);
      started.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = stdout.match(/http:\/\/[^:\s]+:(\d+)\//);
        if (match) {
          clearTimeout(timer);
          resolvePort(Number(match[1]));
        }
      });
      started.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`relay exited with ${code} before it was ready:\n${stderr}`));
      });
    });
  };
  const stopChild = async (signal) => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill(signal);
      await exited;
    }
  };
  await launch();
  return {
    url: `http://127.0.0.1:${port}`,
    dataDir: dir,
    async crash() {
      await stopChild('SIGKILL');
    },
    async restart() {
      await stopChild('SIGKILL');
      await launch();
    },
    async stop() {
      await stopChild('SIGTERM');
      if (ownDataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Launches Debian's Chromium headless. Close it in an `after` hook, also on failure. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A new isolated profile (its own storage): a participant's own device, or a fresh
 * browser. Pages opened in one profile are windows of one browser and share storage and
 * BroadcastChannel.
 */
export async function newProfile(browser, viewport = LAPTOP) {
  return browser.newContext({ viewport, reducedMotion: 'reduce' });
}

/** Opens a window in `profile` and records every console error and uncaught exception. */
export async function openWindow(profile, url) {
  const page = await profile.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`uncaught: ${error.message}`));
  if (url) await page.goto(url);
  return page;
}

/** Fails when the page logged an error: a blank page from a broken wasm shows up here. */
export function assertNoProblems(page) {
  if (page.problems.length > 0) {
    throw new Error(`the page reported problems:\n${page.problems.join('\n')}`);
  }
}

/** Runs axe-core and returns the serious and critical violations, described for a human. */
export async function audit(page) {
  // Evaluated through DevTools rather than added as an inline <script>, which the app's
  // Content-Security-Policy rightly blocks.
  await page.evaluate(`${readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')}\n;true`);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes
      .slice(0, 3)
      .map((node) => node.target.join(' '))
      .join(', ')}`);
}

/** Saves a screenshot of the viewport (or the whole page) to target/screenshots/NAME.png. */
export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/** Polls `condition` until it returns a truthy value, or fails with `what` after `timeout`. */
export async function waitFor(what, condition, { timeout = 5_000, interval = 25 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await condition();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((done) => setTimeout(done, interval));
  }
}

/**
 * A relay and a browser for the tests of the enclosing `describe`: started before them,
 * stopped after them (whichever of the two did start). `use` receives `{ relay, browser }`.
 */
export function relayAndBrowserForSuite(use, { relayArgs = [] } = {}) {
  const started = {};
  before(async () => {
    started.relay = await startRelay({ args: relayArgs });
    started.browser = await launchBrowser();
    use(started);
  });
  after(async () => {
    await started.browser?.close();
    await started.relay?.stop();
  });
}
