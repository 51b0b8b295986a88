// Browser benchmark of cold first loads, for "Phones first" (not part of the test run):
//   BIJEEN_RELAY_BIN=target/debug/bijeen-relay BIJEEN_DIST=dist node tests/bench/first-paint.bench.mjs [runs=5]
// Loads, side by side in one run and served by the same relay from a copy of the dist dir:
//   blank  /blank.html, a minimal HTML page written into that copy: the floor of what
//          this browser, relay and network need for a page;
//   home   / (the facilitator's home), key element its h1;
//   join   /w/{id}/join, key element form.join-form: a phone that joined before and opens
//          the room again. It runs in one context per profile prepared by one /j/{CODE}
//          visit (its localStorage knows the room), with the HTTP cache disabled, so every
//          byte is fetched again while the room is already known here;
//   code   /j/{CODE}, key element form.join-form after the code is looked up and the app
//          routes to /w/{id}/join: a phone's first visit, in a fresh context every run.
// Every other load is in a fresh browser context (nothing cached, service worker blocked),
// the pages interleaved within a run (blank, home, join, code, blank, …) so noise hits
// all of them alike, under three profiles: unthrottled at 1366×768; CPU ×4 at 390×844;
// slow 4G (562 ms latency, 1474/675 kbit/s, network only) at 390×844.
// Prints per page the medians of first paint (first-contentful-paint if the browser
// reports no first-paint), first contentful paint, the key element (the frame after it is
// in the DOM, seen by a MutationObserver installed before the page's own scripts), and the
// js+wasm+css bytes transferred (CDP encodedDataLength), plus the js/wasm files fetched.
// The budgets: participant entry ≤ 120 KB brotli, first paint ≤ 2× blank, key
// element ≤ 3× blank. The last two are checked at the end (informational: exit code 0).
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAPTOP, PHONE, ROOT, launchBrowser, openWindow, startRelay, waitFor } from '../e2e/harness.mjs';
import { createWorkshop } from '../e2e/flows.mjs';

const RUNS = Number(process.argv[2] ?? 5);
const BLANK_HTML = '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Blank</title></head><body><h1>Bijeen</h1></body></html>';
const BUDGETS = [
  { metric: 'firstPaint', label: 'first paint', limit: 2 },
  { metric: 'keyElement', label: 'key element', limit: 3 },
];
const MOBILE = { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 3 };
const PROFILES = [
  { name: 'unthrottled, 1366×768', options: { viewport: LAPTOP }, throttle: async () => {} },
  { name: 'CPU ×4, 390×844', options: MOBILE, throttle: (cdp) => cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 }) },
  {
    name: 'slow 4G, 390×844',
    options: MOBILE,
    throttle: (cdp) => cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 562, downloadThroughput: (1474 * 1000) / 8, uploadThroughput: (675 * 1000) / 8,
    }),
  },
];

// Runs in every document before its own scripts: once `selector` matches, records
// performance.now() after the next animation frame (a task queued from
// requestAnimationFrame runs after that frame's style, layout and paint).
function recordKeyElement(selector) {
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__keyElementAt = performance.now(); }, 0));
  });
  observer.observe(document, { childList: true, subtree: true });
}

const newContext = async (browser, profile, keySelector) => {
  const context = await browser.newContext({ ...profile.options, reducedMotion: 'reduce', serviceWorkers: 'block' });
  await context.addInitScript(recordKeyElement, keySelector);
  return context;
};

/** One cold load of `url` in `context`: its paint and key element times and its bytes. */
async function coldLoad(context, profile, url) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const assets = new Map(); // requestId → file name, for js, wasm and css responses
  const loaded = { bytes: 0, files: [], encodings: new Set() };
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    const name = new URL(response.url).pathname.split('/').pop();
    if (!/\.(js|wasm|css)$/.test(name)) return;
    assets.set(requestId, name);
    loaded.encodings.add(response.headers['content-encoding'] ?? response.headers['Content-Encoding'] ?? 'identity');
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    if (!assets.has(requestId)) return;
    loaded.bytes += encodedDataLength;
    if (!assets.get(requestId).endsWith('.css')) loaded.files.push(assets.get(requestId));
  });
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await profile.throttle(cdp);
  await page.goto(url, { waitUntil: 'commit' });
  const timing = await (await page.waitForFunction(() => {
    const paint = (name) => performance.getEntriesByName(name, 'paint')[0]?.startTime;
    const fcp = paint('first-contentful-paint');
    return window.__keyElementAt !== undefined && fcp !== undefined && {
      firstPaint: paint('first-paint') ?? fcp,
      fcp,
      keyElement: window.__keyElementAt,
      document: performance.getEntriesByType('navigation')[0].name,
    };
  }, null, { polling: 100, timeout: 120_000 })).jsonValue();
  // Times count from this document's start: a full navigation on the way (instead of the
  // router's) would restart the clock and hide the first document's cost.
  if (timing.document !== url) throw new Error(`${url} was replaced by the document ${timing.document}`);
  await page.close();
  return { ...timing, ...loaded };
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (x) => `${x.toFixed(0)} ms`.padStart(9);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`.padStart(10);

// The relay serves the copy, which also holds blank.html. startRelay reads BIJEEN_DIST.
const servedDist = mkdtempSync(join(tmpdir(), 'bijeen-bench-dist-'));
cpSync(process.env.BIJEEN_DIST ?? join(ROOT, 'dist'), servedDist, { recursive: true });
writeFileSync(join(servedDist, 'blank.html'), BLANK_HTML);
process.env.BIJEEN_DIST = servedDist;
// Every code visit is a join-code lookup: lift the per-address limit on them.
const relay = await startRelay({ args: ['--joins-per-minute', '100000', '--joins-burst', '100000'] });
const browser = await launchBrowser();
try {
  // A workshop with a room and a join code, made the way a facilitator does it.
  const facilitator = await browser.newContext({ viewport: LAPTOP, reducedMotion: 'reduce' });
  const console_ = await openWindow(facilitator);
  await createWorkshop(console_, relay.url);
  await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
  const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
  await waitFor('the console to be connected', async () =>
    (await console_.locator('[data-testid=connection]').getAttribute('data-state')) === 'connected');

  // Per profile, the context of a phone that visited the code once (the join page's).
  const joinContexts = [];
  let room;
  for (const profile of PROFILES) {
    const context = await newContext(browser, profile, 'form.join-form');
    const phone = await openWindow(context, `${relay.url}/j/${code}`);
    await phone.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
    await phone.locator('form.join-form').waitFor();
    room = new URL(phone.url()).pathname.split('/')[2];
    await phone.close();
    joinContexts.push(context);
  }
  await facilitator.close();

  const pages = [
    { name: 'blank', path: '/blank.html', key: 'h1' },
    { name: 'home', path: '/', key: 'h1#home-title' },
    { name: 'join', path: `/w/${room}/join`, key: 'form.join-form', prepared: true },
    { name: 'code', path: `/j/${code}`, key: 'form.join-form' },
  ];
  console.log(`${RUNS} cold loads per page and profile; workshop room ${room}, code ${code}`);
  const verdicts = [];
  for (const [p, profile] of PROFILES.entries()) {
    const results = new Map(pages.map((page) => [page.name, []]));
    for (let run = 0; run < RUNS; run += 1) {
      for (const page of pages) {
        const context = page.prepared ? joinContexts[p] : await newContext(browser, profile, page.key);
        results.get(page.name).push(await coldLoad(context, profile, `${relay.url}${page.path}`));
        if (!page.prepared) await context.close();
      }
    }
    const medianOf = (name, metric) => median(results.get(name).map((r) => r[metric]));
    console.log(`\n${profile.name}`);
    console.log('  page   first paint      FCP   key element   js+wasm+css   paint/blank  key/blank');
    for (const page of pages) {
      const ratio = (metric) => `${(medianOf(page.name, metric) / medianOf('blank', metric)).toFixed(2)}×`;
      console.log(`  ${page.name.padEnd(5)} ${ms(medianOf(page.name, 'firstPaint'))}  ${ms(medianOf(page.name, 'fcp'))}  ${ms(medianOf(page.name, 'keyElement'))}    ${kb(medianOf(page.name, 'bytes'))}  ${ratio('firstPaint').padStart(11)}  ${ratio('keyElement').padStart(9)}`);
    }
    for (const page of pages.slice(1)) {
      const last = results.get(page.name).at(-1);
      console.log(`  ${page.name} fetched (${[...last.encodings].join(', ')}): ${last.files.sort().join(', ') || 'no js or wasm'}`);
      for (const budget of BUDGETS) {
        const ratio = medianOf(page.name, budget.metric) / medianOf('blank', budget.metric);
        verdicts.push(`${ratio <= budget.limit ? 'PASS' : 'FAIL'} ${budget.label} ≤ ${budget.limit}× blank: ${page.name}, ${profile.name}: ${ratio.toFixed(2)}×`);
      }
    }
  }
  console.log(`\nbudgets (informational)\n${verdicts.join('\n')}`);
} finally {
  await browser.close();
  await relay.stop();
  rmSync(servedDist, { recursive: true, force: true });
}
