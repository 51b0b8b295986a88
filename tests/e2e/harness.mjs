// The end-to-end harness: a relay on a free port serving the release build, Debian's
// Chromium driven by playwright-core, windows that share a profile (one browser context)
// and isolated profiles (separate contexts), console-error capture, axe-core audits and
// screenshots. Tests wait on conditions, never on fixed sleeps.
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
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

/** Saves a screenshot of the viewport (or the whole page, or the `clip` rectangle of it) to
 * target/screenshots/NAME.png. */
export async function screenshot(page, name, { fullPage = false, clip } = {}) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage, clip });
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

const SETUP_HINT = 'run `scripts/setup.sh --test` (installs Debian\'s postgresql and haproxy)';

/** A free TCP port on 127.0.0.1 (free when asked; taken ports are retried by the callers). */
async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Where `initdb` and `pg_ctl` are: BIJEEN_PG_BIN, else Debian's newest /usr/lib/postgresql/N/bin. */
function postgresBin() {
  if (process.env.BIJEEN_PG_BIN) {
    if (existsSync(join(process.env.BIJEEN_PG_BIN, 'initdb'))) return process.env.BIJEEN_PG_BIN;
    throw new Error(`BIJEEN_PG_BIN=${process.env.BIJEEN_PG_BIN} has no initdb: ${SETUP_HINT}`);
  }
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)
      && existsSync(join('/usr/lib/postgresql', v, 'bin', 'initdb'))).sort((a, b) => Number(a) - Number(b))
    : [];
  if (versions.length === 0) {
    throw new Error(`PostgreSQL server binaries (initdb, pg_ctl) not found: ${SETUP_HINT}, or point BIJEEN_PG_BIN at them`);
  }
  return join('/usr/lib/postgresql', versions.at(-1), 'bin');
}

/** uid/gid to run PostgreSQL as when we are root (it refuses to run as root). */
function unprivilegedUser() {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':'));
  for (const name of ['postgres', 'nobody']) {
    const entry = passwd.find((f) => f[0] === name && f.length > 3);
    if (entry) return { uid: Number(entry[2]), gid: Number(entry[3]) };
  }
  throw new Error('running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as');
}

/**
 * A throw-away PostgreSQL cluster: `initdb` in a temporary directory, its own port on
 * 127.0.0.1 and its unix socket in that directory; `stop()` stops it and deletes it all.
 * Nothing on the machine is changed. `url` is what `--database-url` takes.
 */
export async function startPostgres() {
  const bin = postgresBin();
  const dir = mkdtempSync(join(tmpdir(), 'bijeen-pg-'));
  const owner = process.getuid?.() === 0 ? unprivilegedUser() : null;
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const run = (tool, args) => execFileSync(join(bin, tool), args, {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], ...(owner ?? {}),
  });
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-U', 'bijeen', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  let last;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort();
    try {
      run('pg_ctl', ['-D', data, '-l', join(dir, 'postgres.log'), '-w', '-t', '60', '-o',
        `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off`, 'start']);
      return {
        url: `postgres://bijeen@127.0.0.1:${port}/postgres`,
        async stop() {
          try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already gone */ }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      last = `${error.stderr ?? error}\n${existsSync(join(dir, 'postgres.log')) ? readFileSync(join(dir, 'postgres.log'), 'utf8') : ''}`;
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`PostgreSQL did not start: ${last}`);
}

/** The haproxy binary: HAPROXY, else haproxy on PATH, else Debian's /usr/sbin/haproxy. */
function haproxyBin() {
  if (process.env.HAPROXY) return process.env.HAPROXY;
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin']) {
    if (dir && existsSync(join(dir, 'haproxy'))) return join(dir, 'haproxy');
  }
  throw new Error(`haproxy not found: ${SETUP_HINT}`);
}

/**
 * HAProxy in front of `backends` (relay URLs), from a temporary config: round robin, the
 * WebSocket upgrade passed through, no sticky sessions, dead relays taken out by their
 * health check and refused connections sent to another relay. `setState(i, state)` sets
 * backend `i` (0-based) to `ready`, `drain` (keeps its connections, takes no new ones) or
 * `maint` through the admin socket, the way an operator takes a server out.
 */
export async function startHaproxy(backends) {
  const bin = haproxyBin();
  const dir = mkdtempSync(join(tmpdir(), 'bijeen-haproxy-'));
  const admin = join(dir, 'admin.sock');
  const port = await freePort();
  const servers = backends.map((url, i) =>
    `  server relay${i + 1} ${new URL(url).host} check inter 500ms fall 2 rise 1`).join('\n');
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, `global
  stats socket ${admin} mode 600 level admin
defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout tunnel 1h
  retries 3
  option redispatch 1
frontend bijeen
  bind 127.0.0.1:${port}
  option forwardfor
  default_backend relays
backend relays
  balance roundrobin
  option httpchk GET /healthz
${servers}
`);
  execFileSync(bin, ['-c', '-q', '-f', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const child = spawn(bin, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const command = (line) => new Promise((done, fail) => {
    const socket = createConnection(admin);
    let out = '';
    socket.on('data', (chunk) => { out += chunk; });
    socket.on('end', () => done(out));
    socket.on('error', fail);
    socket.end(`${line}\n`);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('haproxy to listen', async () => {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${stderr}`);
    const res = await fetch(`${url}/healthz`).catch(() => null);
    return res?.ok;
  }, { timeout: 10_000 });
  return {
    url,
    command,
    async setState(i, state) {
      const out = await command(`set server relays/relay${i + 1} state ${state}`);
      if (out.trim() !== '') throw new Error(`haproxy refused: ${out}`);
    },
    /** Current sessions per backend server (HAProxy's `scur`). */
    async sessions() {
      const csv = (await command('show stat')).split('\n');
      const header = csv[0].replace(/^# /, '').split(',');
      const scur = header.indexOf('scur');
      return backends.map((_, i) => Number(csv.find((l) => l.startsWith(`relays,relay${i + 1},`))?.split(',')[scur]));
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Words (split at spaces, and after a hyphen or soft hyphen, where a break shows a hyphen)
 * that the browser broke over two lines. */
export async function brokenWords(page, selector) {
  return page.evaluate((selector) => {
    const broken = [];
    for (const element of document.querySelectorAll(selector)) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const word of node.data.matchAll(/[^\s\u00AD-]+[-\u00AD]?/g)) {
          // The line of each letter, by its bottom: Chromium gives the letter after a
          // soft hyphen that broke the line a box over both lines.
          const lines = new Set();
          for (let i = word.index; i < word.index + word[0].length; i += 1) {
            if (/[\s\u00AD-]/.test(node.data[i])) continue;
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            const rect = range.getBoundingClientRect();
            if (rect.width > 0) lines.add(Math.round(rect.bottom));
          }
          if (lines.size > 1) broken.push(word[0]);
        }
      }
    }
    return broken;
  }, selector);
}

/** A projector text as typed: without the soft hyphens put between the syllables of long
 * words, and with the non-breaking hyphens of dates as plain ones. */
export const typedText = (text) => text.replaceAll('\u00AD', '').replaceAll('\u2011', '-');
