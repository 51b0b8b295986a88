// Issue "Agenda and live timer": the seed template with its conflict, a console and a
// projector window running the timer together, editing and reordering, a bad import, and
// screenshots of every state.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LAPTOP, PROJECTOR, assertNoProblems, audit, newProfile, openWindow, relayAndBrowserForSuite,
  screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop, sameTimeOnBoth, secondsLeft, startWorkshop } from './flows.mjs';

describe('agenda and live timer', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('creates the seed workshop with seven blocks, computed times and the 12:05 conflict', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const page = await openWindow(profile);
      await createWorkshop(page, relay.url);
      const starts = await page.locator('[data-testid=block-start]').allTextContents();
      assert.deepEqual(starts, ['09:45', '10:15', '10:40', '11:10', '11:40', '11:55', '12:05']);
      const titles = await page.locator('.block-row input[id$=-title]').evaluateAll((inputs) => inputs.map((i) => i.value));
      assert.equal(titles[0], 'Waarom werken in netwerken?');
      assert.equal(titles[6], 'Afsluiting');
      const fit = await page.locator('[data-testid=agenda-fit]').textContent();
      assert.match(fit, /12:05/);
      assert.match(fit, /5 min na de geplande afsluiting van 12:00/);
      assert.deepEqual(await audit(page), []);
      await screenshot(page, 'console-plan-1366', { fullPage: true });
      // Back home: the workshop is listed with its title.
      await page.goto(`${relay.url}/`);
      await page.locator('.workshop-list').getByRole('link', { name: 'Werken in netwerken' }).first().waitFor();
      assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });

  it('runs the timer in the console and the projector follows, also after a reload', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      await createWorkshop(console_, relay.url);
      const [projector] = await Promise.all([
        profile.waitForEvent('page'),
        console_.getByRole('button', { name: 'Projectie openen' }).click(),
      ]);
      projector.problems = [];
      projector.on('pageerror', (error) => projector.problems.push(error.message));
      await projector.setViewportSize(PROJECTOR);
      await projector.locator('[data-testid=projector-block]').waitFor();
      await screenshot(projector, 'projector-idle-1920');

      await startWorkshop(console_);
      await waitFor('the projector to show block 1', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()) === 'Waarom werken in netwerken?');
      const [consoleLeft] = await sameTimeOnBoth(console_, projector);
      assert.ok(consoleLeft > 29 * 60 && consoleLeft <= 30 * 60, `30 min block, got ${consoleLeft}s`);
      await screenshot(projector, 'projector-running-1920');

      await console_.getByRole('button', { name: 'Pauzeren' }).click();
      await waitFor('the projector to show paused', async () =>
        (await projector.locator('.countdown__state').textContent()) === 'Gepauzeerd');
      await console_.getByRole('button', { name: '+5 min' }).click();
      const [afterPlusFive] = await sameTimeOnBoth(console_, projector);
      assert.ok(afterPlusFive > 34 * 60, `+5 min gives over 34 min, got ${afterPlusFive}s`);
      await console_.getByRole('button', { name: 'Hervatten' }).click();

      await console_.getByRole('button', { name: 'Volgend blok' }).click();
      await waitFor('the projector to show block 2', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()).startsWith('Bespreken van aansprekende voorbeelden'));
      await sameTimeOnBoth(console_, projector);

      await projector.reload();
      await projector.locator('[data-testid=projector-block]').waitFor();
      assert.match(await projector.locator('[data-testid=projector-block]').textContent(), /^Bespreken van aansprekende voorbeelden/);
      const [c, p] = await sameTimeOnBoth(console_, projector);
      assert.ok(Math.abs(c - p) <= 1);

      // Drift and projected end are always visible in the console.
      assert.match(await console_.locator('[data-testid=drift]').textContent(), /Verwacht einde \d\d:\d\d/);
      assert.deepEqual(await audit(projector), []);
      assertNoProblems(console_);
      assert.deepEqual(projector.problems, []);
    } finally {
      await profile.close();
    }
  });

  it('follows the console through browser storage in a browser without BroadcastChannel', async () => {
    const profile = await newProfile(browser, LAPTOP);
    // Every window of this profile lacks the channel: only the storage fallback is left.
    await profile.addInitScript(() => { delete window.BroadcastChannel; });
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await projector.locator('[data-testid=projector-block]').waitFor();
      assert.equal(await projector.evaluate(() => typeof window.BroadcastChannel), 'undefined');

      await startWorkshop(console_);
      await waitFor('the projector to show block 1', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()) === 'Waarom werken in netwerken?');
      await console_.getByRole('button', { name: 'Volgend blok' }).click();
      await waitFor('the projector to show block 2', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()).startsWith('Bespreken van aansprekende voorbeelden'));
      await sameTimeOnBoth(console_, projector);
      assertNoProblems(console_);
      assertNoProblems(projector);
    } finally {
      await profile.close();
    }
  });

  it('shows the right time at once on a projector tab whose timers the browser throttled while hidden', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      await startWorkshop(console_);
      // A background tab's timers are throttled while real time goes on. Faking the
      // projector's clock instead would put it ahead of the relay's, and the projector's clock
      // sync rightly takes that skew back out; so its intervals are held instead.
      const projector = await profile.newPage();
      await projector.addInitScript(() => {
        const setIntervalOfBrowser = window.setInterval;
        window.__timersHeld = false;
        window.setInterval = (callback, ms, ...args) =>
          setIntervalOfBrowser(() => { if (!window.__timersHeld) callback(...args); }, ms);
      });
      await projector.goto(`${relay.url}/w/${id}/present`);
      await sameTimeOnBoth(console_, projector);
      await projector.evaluate(() => {
        window.__timersHeld = true;
        Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
      });
      await waitFor('the console to run five seconds ahead of the held projector', async () => {
        const [consoleLeft, projectorLeft] = await Promise.all([secondsLeft(console_), secondsLeft(projector)]);
        return projectorLeft - consoleLeft >= 5;
      }, { timeout: 10_000 });
      await projector.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
        document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
      });
      // Its timers are still held: only the page becoming visible can bring the time up.
      await waitFor('the projector to catch up when it becomes visible', async () => {
        const [consoleLeft, projectorLeft] = await Promise.all([secondsLeft(console_), secondsLeft(projector)]);
        return Math.abs(consoleLeft - projectorLeft) <= 1;
      }, { timeout: 500 });
    } finally {
      await profile.close();
    }
  });

  it('shows warning and overrun on the projector, driven by the keyboard shortcuts', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await startWorkshop(console_);
      await sameTimeOnBoth(console_, projector);
      await console_.locator('body').click({ position: { x: 5, y: 400 } });
      // 30 minutes minus 26 = 4 minutes left: inside the warning (20 % of 30 min = 6 min).
      for (let i = 0; i < 26; i += 1) await console_.keyboard.press('-');
      await waitFor('the projector to turn to warning', async () =>
        (await projector.locator('main').getAttribute('class')).includes('tone-warning'));
      const [left] = await sameTimeOnBoth(console_, projector);
      assert.ok(left <= 4 * 60 && left > 3 * 60, `4 min left, got ${left}s`);
      await screenshot(projector, 'projector-warning-1920');
      // Five more: one minute over time, counting up in red.
      for (let i = 0; i < 5; i += 1) await console_.keyboard.press('-');
      await waitFor('the projector to turn to overrun', async () =>
        (await projector.locator('main').getAttribute('class')).includes('tone-overrun'));
      assert.match(await projector.locator('.countdown__digits').textContent(), /^\+\d+:\d\d$/);
      assert.ok((await secondsLeft(projector)) < 0);
      await screenshot(projector, 'projector-overrun-1920');
      await screenshot(console_, 'console-run-overrun-1366');
      // The digits take at least 20 % of the viewport height.
      const digitHeight = await projector.locator('.countdown__digits').evaluate((el) => el.getBoundingClientRect().height);
      assert.ok(digitHeight >= 0.2 * PROJECTOR.height, `digits are ${digitHeight}px tall`);
      assert.deepEqual(await audit(projector), []);

      // Space pauses, N moves on, ? opens the help.
      await console_.keyboard.press(' ');
      await waitFor('paused', async () => (await console_.locator('.countdown__state').textContent()) === 'Gepauzeerd');
      await console_.keyboard.press('n');
      await waitFor('block 2 on the projector', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()).startsWith('Bespreken'));
      await console_.keyboard.press('?');
      await console_.getByRole('dialog', { name: 'Sneltoetsen' }).waitFor();
      await screenshot(console_, 'console-help-1366');
      await console_.keyboard.press('Escape');
      await console_.getByRole('dialog').waitFor({ state: 'hidden' });
      assertNoProblems(console_);
    } finally {
      await profile.close();
    }
  });

  it('treats the closing as a moment, and a finished workshop as finished: reopened, never started anew', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      // The lead that the work form names is not named twice.
      await console_.locator('.block-row').nth(0).getByRole('button', { name: /nu starten/ }).click();
      await waitFor('the first block on the projector', async () =>
        (await projector.locator('.projector__meta').first().textContent()) === 'Inleiding door manager, plenair');
      // The room sees the examples it discusses; the console shows them without a click.
      await console_.locator('.block-row').nth(1).getByRole('button', { name: /nu starten/ }).click();
      const examples = projector.locator('[data-testid=projector-examples] li');
      await waitFor('the six examples on the projector', async () => (await examples.count()) === 6);
      assert.equal(await examples.nth(5).textContent(), 'Platform Erfgoed Heerhugowaard');
      const size = await examples.first().evaluate((li) => parseFloat(getComputedStyle(li).fontSize));
      assert.ok(size >= 24, `examples at ${size}px`);
      await screenshot(projector, 'projector-examples-1920');
      assert.notEqual(await console_.locator('.block-row').nth(1).locator('details').getAttribute('open'), null);
      // The seed's closing has no duration: a moment, not an overrun the second it starts.
      await console_.locator('.block-row').last().getByRole('button', { name: /nu starten/ }).click();
      await projector.locator('[data-testid=projector-goodbye]').waitFor();
      assert.equal(await projector.locator('[data-testid=projector-goodbye]').textContent(), 'Tot ziens!');
      await projector.waitForTimeout(1_500);
      const tone = await projector.locator('main').getAttribute('class');
      assert.ok(!/tone-overrun|tone-warning/.test(tone), `the closing is no overrun: ${tone}`);
      assert.equal(await projector.locator('.countdown__digits').isVisible(), false, 'no countdown for a moment');
      assert.doesNotMatch(await projector.locator('main').innerText(), /Uitgelopen/);
      await screenshot(projector, 'projector-closing-moment-1920');

      await console_.getByRole('button', { name: 'Workshop afronden' }).click();
      await waitFor('the projector to say the workshop is finished', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()) === 'Workshop afgerond');
      const shown = await projector.locator('main').innerText();
      assert.doesNotMatch(shown, /Nog niet gestart|Begint om/);
      assert.match(shown, /Bedankt voor jullie inbreng/);
      assert.deepEqual(await audit(projector), []);
      await screenshot(projector, 'projector-finished-1920');
      // The console offers to reopen, not to start anew, and says it is finished.
      assert.equal(await console_.getByRole('button', { name: 'Workshop starten' }).count(), 0);
      assert.equal((await console_.locator('.run-panel__block').textContent()).trim(), 'Workshop afgerond');
      await screenshot(console_, 'console-finished-1366');
      await console_.getByRole('button', { name: 'Workshop heropenen' }).click();
      await waitFor('the projector to show the closing again', async () =>
        (await projector.locator('[data-testid=projector-goodbye]').count()) === 1);
      assert.equal(await console_.getByRole('button', { name: 'Workshop heropenen' }).count(), 0);
      assertNoProblems(console_);
      assertNoProblems(projector);
    } finally {
      await profile.close();
    }
  });

  it('edits a block in the console, shows it on the projector, and reorders by keyboard', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.locator('[data-testid=projector-block]').waitFor();

      const firstTitle = console_.locator('.block-row input[id$=-title]').first();
      await firstTitle.fill('Waarom netwerken? (met de manager)');
      await firstTitle.press('Tab');
      await waitFor('the projector to show the edited title', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()) === 'Waarom netwerken? (met de manager)');

      // Move block 1 down with its button, by keyboard.
      const down = console_.getByRole('button', { name: '„Waarom netwerken? (met de manager)” omlaag' });
      await down.focus();
      await console_.keyboard.press('Enter');
      await waitFor('the block to move down', async () => {
        const titles = await console_.locator('.block-row input[id$=-title]').evaluateAll((inputs) => inputs.map((i) => i.value));
        return titles[1] === 'Waarom netwerken? (met de manager)';
      });
      const starts = await console_.locator('[data-testid=block-start]').allTextContents();
      assert.deepEqual(starts.slice(0, 3), ['09:45', '10:10', '10:40']);
      await waitFor('the projector to show the new first block', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()).startsWith('Bespreken'));

      // Delete a block and undo it.
      await console_.getByRole('button', { name: '„Afsluiting” verwijderen' }).click();
      await waitFor('six blocks', async () => (await console_.locator('.block-row').count()) === 6);
      await console_.getByRole('button', { name: 'Ongedaan maken' }).click();
      await waitFor('seven blocks again', async () => (await console_.locator('.block-row').count()) === 7);

      // Everything survives a reload of the console.
      await console_.reload();
      await console_.locator('.block-row').first().waitFor();
      assert.equal(await console_.locator('.block-row').count(), 7);
      assert.equal(await console_.locator('.block-row input[id$=-title]').nth(1).inputValue(), 'Waarom netwerken? (met de manager)');
      assertNoProblems(console_);
    } finally {
      await profile.close();
    }
  });

  it('fixes the seed conflict with one click on a proposal, and undoes it', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      const panel = console_.getByTestId('proposals');
      await panel.waitFor();
      const flexible = panel.locator('[data-kind=flexible]');
      assert.match(await flexible.textContent(), /Einde 12:00/);
      // The panel is below the fold at 1366×768, and with the conflict banner above it
      // taller than what the sticky header leaves of the window: the screenshot is the
      // page from the banner to the panel's end, at the laptop's width.
      const region = await panel.evaluate((section) => {
        const banner = document.querySelector('[data-testid=agenda-fit]').getBoundingClientRect();
        const box = section.getBoundingClientRect();
        return { top: banner.top + window.scrollY, bottom: box.bottom + window.scrollY, width: window.innerWidth };
      });
      assert.ok(region.bottom - region.top > 300 && region.bottom - region.top < 1000,
        `the banner and the panel together: ${JSON.stringify(region)}`);
      const clip = { x: 0, y: region.top - 12, width: region.width, height: region.bottom - region.top + 24 };
      await screenshot(console_, 'console-proposals-1366', { fullPage: true, clip });
      // Beside a long proposal the flex row once squeezed its button to "Toepass".
      const clipped = await panel.locator('.proposal > button').evaluateAll((buttons) =>
        buttons.filter((b) => b.scrollWidth > b.clientWidth).map((b) => b.getAttribute('aria-label')));
      assert.deepEqual(clipped, [], 'no Toepassen button cuts off its word');
      assert.deepEqual(await audit(console_), []);
      await flexible.getByRole('button').click();
      await waitFor('the agenda to end at 12:00', async () =>
        /binnen de geplande afsluiting van 12:00/.test(await console_.locator('[data-testid=agenda-fit]').textContent()));
      const starts = await console_.locator('[data-testid=block-start]').allTextContents();
      assert.deepEqual(starts, ['09:45', '10:15', '10:39', '11:07', '11:37', '11:51', '12:00']);
      assert.equal(await panel.count(), 0);
      await waitFor('the projector strip to follow', async () =>
        (await projector.locator('.agenda-strip__time').allTextContents()).includes('11:51'));
      await console_.getByTestId('proposal-applied').getByRole('button', { name: 'Ongedaan maken' }).click();
      await waitFor('the conflict back', async () =>
        /12:05/.test(await console_.locator('[data-testid=agenda-fit]').textContent()));
      assert.deepEqual(await console_.locator('[data-testid=block-start]').allTextContents(),
        ['09:45', '10:15', '10:40', '11:10', '11:40', '11:55', '12:05']);
      assertNoProblems(console_);
    } finally {
      await profile.close();
    }
  });

  it('asks to move the plan on a late start, and drift then means something', async () => {
    const profile = await browser.newContext({ viewport: LAPTOP, reducedMotion: 'reduce', timezoneId: 'Europe/Amsterdam' });
    try {
      const console_ = await openWindow(profile);
      await console_.clock.install({ time: new Date('2025-03-14T10:30:00+01:00') });
      await createWorkshop(console_, relay.url);
      await console_.getByRole('button', { name: 'Workshop starten' }).click();
      const dialog = console_.getByRole('dialog', { name: 'Nu beginnen?' });
      await dialog.waitFor();
      assert.match(await dialog.textContent(), /45 min later dan het geplande begin van 09:45/);
      await screenshot(console_, 'console-rebase-1366');
      // The default answer is the focused one: Enter moves the plan.
      await console_.keyboard.press('Enter');
      await console_.getByRole('button', { name: 'Pauzeren' }).waitFor();
      const status = await console_.getByTestId('drift').textContent();
      assert.match(status, /Op schema/);
      assert.match(status, /Verwacht einde 12:50/);
      assert.equal(await console_.locator('[data-testid=block-start]').first().textContent(), '10:30');
      assertNoProblems(console_);
    } finally {
      await profile.close();
    }
  });

  it('reorders blocks by dragging the handle', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const page = await openWindow(profile);
      await createWorkshop(page, relay.url);
      const titles = () => page.locator('.block-row input[id$=-title]').evaluateAll((inputs) => inputs.map((i) => i.value));
      const before = await titles();
      // The drag events a browser fires for a mouse drag from the handle of block 1 onto
      // block 3 (headless Chromium does not start a native drag from synthetic mouse moves).
      await page.evaluate(() => {
        const rows = document.querySelectorAll('.block-row');
        const handle = rows[0].querySelector('.block-row__handle');
        const transfer = new DataTransfer();
        const fire = (target, type) => target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        fire(handle, 'dragstart');
        fire(rows[2], 'dragover');
        fire(rows[2], 'drop');
        fire(handle, 'dragend');
      });
      await waitFor('the first block to land third', async () => (await titles())[2] === before[0]);
      assert.deepEqual((await titles()).slice(0, 3), [before[1], before[2], before[0]]);
      assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });

  it('keeps every change in memory and says so when browser storage is full, then saves again', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const page = await openWindow(profile);
      await createWorkshop(page, relay.url);
      // Fill this origin's storage to the brim with junk the app does not know.
      // Big pieces first, then ever smaller ones, so not even a few bytes are left.
      await page.evaluate(() => {
        let n = 0;
        for (const size of [256 * 1024, 16 * 1024, 1024, 64, 1]) {
          const chunk = 'x'.repeat(size);
          for (;;) {
            try { localStorage.setItem(`junk-${n}`, chunk); n += 1; } catch { break; }
          }
        }
        window.junkCount = n;
      });
      const title = page.locator('#workshop-title');
      await title.fill('Werken in netwerken — Leeuwarden–Fryslân');
      await title.press('Tab');
      const banner = page.getByRole('alert').filter({ hasText: 'De opslag van deze browser is vol' });
      await banner.waitFor();
      await screenshot(page, 'console-storage-full-1366');
      // Nothing is lost: the change is on screen and in the export.
      assert.equal(await page.locator('h1').first().textContent(), 'Werken in netwerken — Leeuwarden–Fryslân');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'JSON exporteren' }).click(),
      ]);
      const path = await download.path();
      const exported = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(path, 'utf8')));
      assert.equal(exported.format, 'bijeen/1');
      assert.match(JSON.stringify(exported), /Leeuwarden–Fryslân/);
      assert.match(download.suggestedFilename(), /^werken-in-netwerken-leeuwarden-fryslân-\d{4}-\d{2}-\d{2}\.json$/);
      // Room again: the next change saves everything and the banner goes.
      await page.evaluate(() => {
        for (let i = 0; i < window.junkCount; i += 1) localStorage.removeItem(`junk-${i}`);
      });
      await title.fill('Werken in netwerken');
      await title.press('Tab');
      await banner.waitFor({ state: 'detached' });
      await page.reload();
      await page.locator('.block-row').first().waitFor();
      assert.equal(await page.locator('#workshop-title').inputValue(), 'Werken in netwerken');
    } finally {
      await profile.close();
    }
  });

  it('refuses a bad JSON import with a plain message and leaves existing workshops alone', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const page = await openWindow(profile);
      await createWorkshop(page, relay.url);
      await page.goto(`${relay.url}/`);
      await page.locator('.workshop-list tbody tr').first().waitFor();
      const before = await page.locator('.workshop-list tbody tr').count();

      const cases = [
        { name: 'broken.json', text: '{"format": "bijeen/1", ', expect: /geen geldige JSON/ },
        { name: 'other.json', text: '{"format": "trello/2"}', expect: /geen Bijeen-export/ },
        { name: 'newer.json', text: '{"format": "bijeen/9"}', expect: /nieuwere Bijeen/ },
      ];
      for (const bad of cases) {
        await page.locator('#import-file').setInputFiles({ name: bad.name, mimeType: 'application/json', buffer: Buffer.from(bad.text) });
        await waitFor(`the message for ${bad.name}`, async () => bad.expect.test(await page.locator('.import-errors').innerText()));
      }
      await screenshot(page, 'home-import-error-1366');
      assert.equal(await page.locator('.workshop-list tbody tr').count(), before);
      assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });
});
