// Browser benchmark of the projector's brainstorm board (not part of the test run):
//   BIJEEN_RELAY_BIN=target/debug/bijeen-relay node tests/bench/board.bench.mjs [notes=1000] [runs=5]
// 1. board render: the projector shows a non-board block, the console moves to the
//    brainstorm block, and the projector renders all notes; measured in the projector as
//    CDP ScriptDuration + LayoutDuration + RecalcStyleDuration (until every note is drawn),
//    and the time from the click in the console until the first frame with notes (the
//    board's first screen) and until the frame with every note is drawn.
// 2. one more note: a participant adds a note; the projector's script time (CDP
//    ScriptDuration) to receive, apply and render it, and the time from the click in the
//    participant window until the projector has drawn the note, both read from the
//    browser's clock. The waits observe the DOM from inside the page instead of polling it.
//    Meanwhile the console shows its Brainstorm tab; its script time per note is printed too.
// Prints medians.
import { LAPTOP, PHONE, PROJECTOR, launchBrowser, newProfile, openWindow, startRelay, waitFor } from '../e2e/harness.mjs';
import { createWorkshop } from '../e2e/flows.mjs';

const NOTES = Number(process.argv[2] ?? 1000);
const RUNS = Number(process.argv[3] ?? 5);
// Waits inside the projector until it shows `count` notes: a MutationObserver over a live
// HTMLCollection, so the wait itself costs the page next to nothing (polling with a
// Playwright locator ran a selector query over every note every few ms and was counted
// in the projector's script time). Call `armNotes` before the action, `notesShown` after.
// Resolves with the time the frame that shows them was drawn: after the next animation
// frame's style, layout and paint (a task queued from requestAnimationFrame runs after).
const armNotes = (page, count) => page.evaluate((n) => {
  const drawnAt = () => new Promise((resolve) =>
    requestAnimationFrame(() => setTimeout(() => resolve(performance.timeOrigin + performance.now()), 0)));
  const live = document.getElementsByClassName('board-note');
  // When the board's first screen is painted: the paint time of the board's heading, by
  // Element Timing (the rest of a long board follows over the next frames). The attribute
  // must be there before the first paint: a mutation observer sets it on insertion.
  window.__firstShown = new Promise((resolve) => {
    const timing = new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries()) {
        if (entry.identifier === 'board') { timing.disconnect(); resolve(performance.timeOrigin + entry.renderTime); }
      }
    });
    timing.observe({ type: 'element' });
    const mark = new MutationObserver(() => {
      const heading = document.querySelector('.board__status');
      if (heading) { heading.setAttribute('elementtiming', 'board'); mark.disconnect(); }
    });
    mark.observe(document.body, { childList: true, subtree: true });
  });
  window.__notesShown = new Promise((resolve) => {
    if (live.length === n) { drawnAt().then(resolve); return; }
    const observer = new MutationObserver(() => {
      if (live.length === n) { observer.disconnect(); drawnAt().then(resolve); }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
}, count);
const firstShown = (page) => page.evaluate(() => window.__firstShown);
const notesShown = (page) => page.evaluate(() => window.__notesShown);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function metrics(cdp) {
  const { metrics: list } = await cdp.send('Performance.getMetrics');
  const get = (name) => (list.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { script: get('ScriptDuration'), layout: get('LayoutDuration') + get('RecalcStyleDuration') };
}

async function startProfile(cdp) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
}

async function printProfile(cdp) {
  const { profile: cpu } = await cdp.send('Profiler.stop');
  const self = new Map();
  const dt = new Map(cpu.nodes.map((n) => [n.id, 0]));
  cpu.samples.forEach((id, i) => dt.set(id, dt.get(id) + (cpu.timeDeltas[i] ?? 0)));
  for (const n of cpu.nodes) {
    const name = `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + dt.get(n.id) / 1000);
  }
  const top = [...self].filter(([n]) => !n.startsWith('(idle)') && !n.startsWith('(program)')).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_TOP ?? 25));
  // BENCH_STACK=name: also print the heaviest call stacks that end in that function.
  if (process.env.BENCH_STACK) {
    const parent = new Map();
    for (const n of cpu.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const byId = new Map(cpu.nodes.map((n) => [n.id, n]));
    const stacks = cpu.nodes.filter((n) => n.callFrame.functionName.includes(process.env.BENCH_STACK))
      .map((n) => {
        const names = [];
        for (let id = n.id; id !== undefined && names.length < 14; id = parent.get(id)) names.push(byId.get(id).callFrame.functionName.slice(0, 90));
        return [dt.get(n.id) / 1000, names];
      }).sort((a, b) => b[0] - a[0]).slice(0, 4);
    for (const [ms, names] of stacks) console.log(`${ms.toFixed(1)} ms:\n    ${names.join('\n    ')}`);
  }
  console.log('self time over the profiled runs (ms):');
  for (const [name, ms] of top) console.log(`  ${ms.toFixed(1).padStart(8)}  ${name.slice(0, 150)}`);
}

const relay = await startRelay();
const browser = await launchBrowser();
try {
  const profile = await newProfile(browser, LAPTOP);
  const console_ = await openWindow(profile);
  const id = await createWorkshop(console_, relay.url);
  await console_.getByRole('tab', { name: 'Brainstorm' }).click();
  await console_.getByRole('button', { name: 'Bord openen' }).click();
  // Block 2 runs (no board); block 3 is the brainstorm.
  await console_.getByRole('tab', { name: 'Programma' }).click();
  await console_.locator('.block-row').nth(1).getByRole('button', { name: /nu starten/ }).click();

  const participant = await openWindow(profile, `${relay.url}/w/${id}/join`);
  await participant.setViewportSize(PHONE);
  await participant.getByRole('button', { name: 'Anoniem meedoen' }).click();
  await participant.locator('#my-group').selectOption({ index: 1 });
  const started = Date.now();
  // Fill the board quickly: the same form a person uses, driven from inside the page.
  await participant.evaluate(async (n) => {
    const text = document.querySelector('#new-note-text');
    const button = document.querySelector('.note-form button[type=submit]');
    for (let i = 0; i < n; i += 1) {
      text.value = `Idee nummer ${i + 1} voor de bibliotheek`;
      text.dispatchEvent(new Event('input', { bubbles: true }));
      button.click();
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 0));
    }
  }, NOTES);
  console.log(`added ${NOTES} notes in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Ablation for profiling: BENCH_ABLATE=storage keeps the projector from hearing storage
  // events (the fallback path), so the difference to a normal run is that path's cost.
  if (process.env.BENCH_ABLATE === 'storage') {
    await profile.addInitScript(() => {
      const add = window.addEventListener.bind(window);
      window.addEventListener = (type, ...rest) => (type === 'storage' ? undefined : add(type, ...rest));
    });
  }
  const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
  await projector.setViewportSize(PROJECTOR);
  await projector.locator('[data-testid=projector-block]').waitFor();
  // BENCH_CSS: extra CSS for the projector, to try a layout change without a rebuild.
  if (process.env.BENCH_CSS) await projector.addStyleTag({ content: process.env.BENCH_CSS });
  const cdp = await projector.context().newCDPSession(projector);
  await cdp.send('Performance.enable');

  // BENCH_PROFILE=render, =add or =console: a CDP CPU profile over the render or the
  // one-more-note runs; prints where the projector (or the console) spends its self time. Wasm functions are unnamed in
  // the release build: run wasm-bindgen --keep-debug on target/.../release/bijeen.wasm
  // into a copy of dist (without the integrity attributes) for names.
  const profiling = process.env.BENCH_PROFILE;
  if (profiling === 'render') await startProfile(cdp);
  const render = { script: [], layout: [], wall: [], first: [] };
  for (let run = 0; run < RUNS; run += 1) {
    await armNotes(projector, NOTES);
    const before = await metrics(cdp);
    // Clicked inside the console, timed on the browser's clock (see below).
    const clickedAt = await console_.evaluate(() => {
      const at = performance.timeOrigin + performance.now();
      [...document.querySelectorAll('button')].find((b) => b.textContent.includes('Volgend blok')).click();
      return at;
    });
    const wall = (await notesShown(projector)) - clickedAt;
    render.first.push((await firstShown(projector)) - clickedAt);
    const after = await metrics(cdp);
    render.script.push(after.script - before.script);
    render.layout.push(after.layout - before.layout);
    render.wall.push(wall);
    await console_.getByRole('button', { name: 'Vorig blok' }).click();
    await waitFor('the board to go', async () => (await projector.locator('.board').count()) === 0, { timeout: 30_000 });
  }
  if (profiling === 'render') await printProfile(cdp);
  await console_.getByRole('button', { name: 'Volgend blok' }).click();
  await waitFor('the board', async () => (await projector.locator('.board-note').count()) === NOTES, { timeout: 60_000 });
  // BENCH_SHOT=file.png: a screenshot of the full board on the projector, to look at.
  if (process.env.BENCH_SHOT) await projector.screenshot({ path: process.env.BENCH_SHOT });

  // The facilitator watches the board in the console's Brainstorm tab meanwhile: its
  // script time per note is reported too (after the tab's own first render).
  await console_.getByRole('tab', { name: 'Brainstorm' }).click();
  await waitFor('the console board', async () => (await console_.locator('.mod-note').count()) === NOTES, { timeout: 60_000 });
  const consoleCdp = await console_.context().newCDPSession(console_);
  await consoleCdp.send('Performance.enable');
  if (profiling === 'add') await startProfile(cdp);
  if (profiling === 'console') await startProfile(consoleCdp);
  const add = { script: [], wall: [], console: [] };
  for (let run = 0; run < RUNS; run += 1) {
    const count = NOTES + run;
    await participant.locator('#new-note-text').fill(`Nog een idee ${run}`);
    // Let the previous note's follow-up work (saves, the storage check) settle first.
    await projector.waitForTimeout(600);
    await armNotes(projector, count + 1);
    const before = await metrics(cdp);
    const consoleBefore = await metrics(consoleCdp);
    // The click is made inside the participant page and both ends are read from the
    // browser's own clock (shared by its windows): the latency a person sees, without
    // Playwright's round trips and its accessibility scan of a thousand-note page.
    const clickedAt = await participant.evaluate(() => {
      const at = performance.timeOrigin + performance.now();
      document.querySelector('.note-form button[type=submit]').click();
      return at;
    });
    const shownAt = await notesShown(projector);
    const wall = shownAt - clickedAt;
    const after = await metrics(cdp);
    add.script.push(after.script - before.script);
    add.wall.push(wall);
    await console_.waitForTimeout(300);
    add.console.push((await metrics(consoleCdp)).script - consoleBefore.script);
  }
  if (profiling === 'add') await printProfile(cdp);
  if (profiling === 'console') await printProfile(consoleCdp);
  const f = (xs) => `${median(xs).toFixed(1)} ms (runs: ${xs.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(`board render, ${NOTES} notes: script ${f(render.script)}; style+layout ${f(render.layout)}; console click to first screen drawn ${f(render.first)}, to every note drawn ${f(render.wall)}`);
  console.log(`one more note on the projector: script ${f(add.script)}; participant click to shown on the projector ${f(add.wall)}`);
  console.log(`one more note in the console's Brainstorm tab: script ${f(add.console)}`);
} finally {
  await browser.close();
  await relay.stop();
}
