// Issue #16 item 3, "Steer from your phone": the console hands out a remote (link and QR
// code with a warning), a phone at 390×844 pauses, adds a minute and moves to the next
// block while the projector follows, and once the facilitator revokes it the relay refuses
// it and the phone says so in plain words.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  LAPTOP, PHONE, PROJECTOR, SCREENSHOT_DIR, assertNoProblems, audit, newProfile, openWindow,
  relayAndBrowserForSuite, screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop, secondsLeft, startWorkshop } from './flows.mjs';

// The QR decoder (CommonJS packages, pinned dev dependencies).
const require = createRequire(import.meta.url);
const jsQR = require('jsqr');
const { PNG } = require('pngjs');

const projectorBlock = (projector) => projector.locator('[data-testid=projector-block]').textContent();

describe('the phone remote', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('steers the timer and the agenda from a phone until it is revoked', async () => {
    const laptop = await newProfile(browser, LAPTOP);
    const phoneProfile = await newProfile(browser, PHONE);
    try {
      const console_ = await openWindow(laptop);
      await createWorkshop(console_, relay.url);
      // No room yet: nothing to steer through, so no remote is offered.
      assert.equal(await console_.locator('.remote-panel').count(), 0);
      const [projector] = await Promise.all([
        laptop.waitForEvent('page'),
        console_.getByRole('button', { name: 'Projectie openen' }).click(),
      ]);
      projector.problems = [];
      projector.on('pageerror', (error) => projector.problems.push(error.message));
      await projector.setViewportSize(PROJECTOR);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      await console_.locator('[data-testid=join-code]').waitFor();
      await startWorkshop(console_);
      await waitFor('the projector to show block 1', async () =>
        (await projectorBlock(projector)) === 'Waarom werken in netwerken?');

      await console_.getByRole('button', { name: 'Afstandsbediening aanzetten' }).click();
      const link = await console_.locator('[data-testid=remote-link]').getAttribute('href');
      assert.match(link, /\/w\/[0-9a-f]{32}\/remote#[0-9a-f]{64}$/);
      const key = link.split('#')[1];
      assert.match(await console_.locator('.remote-panel__warning').textContent(), /wie deze code of link heeft, kan de workshop besturen/);
      assert.equal(await console_.locator('.remote-panel').getByRole('img', { name: 'QR-code van de afstandsbediening' }).count(), 1);
      await console_.locator('.remote-panel').scrollIntoViewIfNeeded();
      await screenshot(console_, 'console-remote-1366');
      // The QR code a phone scans is the link itself.
      const qrPath = join(SCREENSHOT_DIR, 'console-remote-qr.png');
      await console_.locator('.remote-panel .invite__qr').screenshot({ path: qrPath });
      const png = PNG.sync.read(readFileSync(qrPath));
      assert.equal(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data, link);
      // Only the console ever shows the key.
      assert.ok(!(await projector.content()).includes(key), 'the projector shows the remote key');

      const phone = await openWindow(phoneProfile);
      phone.fetched = [];
      phone.on('response', (response) => phone.fetched.push(new URL(response.url()).pathname));
      await phone.goto(link);
      await waitFor('the remote to show the running block', async () =>
        (await phone.locator('[data-testid=remote-block]').textContent().catch(() => '')) === 'Waarom werken in netwerken?',
      { timeout: 10_000 });
      await phone.getByRole('button', { name: 'Pauze' }).waitFor();
      // One thumb: every control is at least 48 px both ways, and the page does not scroll
      // sideways.
      const small = await phone.locator('.remote button').evaluateAll((buttons) => buttons
        .map((b) => ({ text: b.textContent, ...b.getBoundingClientRect().toJSON() }))
        .filter((b) => b.height < 48 || b.width < 48));
      assert.deepEqual(small, []);
      assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
      assert.deepEqual(await audit(phone), []);
      await screenshot(phone, 'remote-390');
      // The phone downloaded the remote's own entry: neither the facilitator's app nor the
      // participant's screens.
      const code = phone.fetched.filter((path) => /\.(js|wasm)$/.test(path));
      assert.ok(code.some((path) => /^\/remote-[0-9a-f]+_bg\.wasm$/.test(path)), `${code}`);
      assert.deepEqual(code.filter((path) => !path.startsWith('/remote-')), []);

      await phone.getByRole('button', { name: 'Pauze' }).click();
      await waitFor('the projector to pause', async () =>
        (await projector.locator('.countdown__state').textContent()) === 'Gepauzeerd');
      await console_.getByRole('button', { name: 'Hervatten' }).waitFor();
      const before = await secondsLeft(projector);
      await phone.getByRole('button', { name: '+1 min' }).click();
      await waitFor('the projector to show a minute more', async () =>
        (await secondsLeft(projector)) === before + 60);
      await phone.getByRole('button', { name: 'Verder' }).click();
      await waitFor('the projector to run again', async () =>
        (await projector.locator('.countdown__state').textContent()) === '');
      await phone.getByRole('button', { name: 'Volgend blok' }).click();
      await waitFor('the projector to show block 2', async () =>
        (await projectorBlock(projector)).startsWith('Bespreken van aansprekende voorbeelden'));
      await waitFor('the console to follow', async () =>
        (await console_.locator('.run-panel__block').textContent()).startsWith('Bespreken van aansprekende voorbeelden'));

      // Revoked: the phone is told in words at once, and cannot steer any more.
      await console_.getByRole('button', { name: 'Afstandsbediening intrekken' }).click();
      await console_.getByRole('button', { name: 'Afstandsbediening aanzetten' }).waitFor();
      await waitFor('the phone to say it was revoked', async () =>
        (await phone.locator('[data-testid=remote-revoked]').count()) === 1);
      assert.match(await phone.locator('[data-testid=remote-revoked]').textContent(), /ingetrokken door de begeleider/);
      assert.equal(await phone.getByRole('button', { name: 'Volgend blok' }).count(), 0);
      await screenshot(phone, 'remote-revoked-390');
      // A reload (a fresh Hello with the old key) is refused by the relay the same way.
      await phone.reload();
      await waitFor('the relay to refuse the revoked key', async () =>
        (await phone.locator('[data-testid=remote-revoked]').count()) === 1, { timeout: 10_000 });
      // And the agenda stayed where the facilitator left it.
      assert.ok((await projectorBlock(projector)).startsWith('Bespreken van aansprekende voorbeelden'));
      assertNoProblems(console_);
      assertNoProblems(projector);
    } finally {
      await phoneProfile.close();
      await laptop.close();
    }
  });

  it('asks, like the console, whether to move the plan when the phone starts late', async () => {
    // The remote's clock is the relay's (a fake clock in the page would be corrected), so
    // the plan is moved away from now instead: 09:45 unless that is within two hours.
    const context = (viewport) => browser.newContext({ viewport, reducedMotion: 'reduce', timezoneId: 'Europe/Amsterdam' });
    const laptop = await context(LAPTOP);
    const phoneProfile = await context(PHONE);
    try {
      const console_ = await openWindow(laptop);
      await createWorkshop(console_, relay.url);
      const hour = Number(new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Amsterdam' }).format(new Date()));
      const planned = hour >= 8 && hour <= 11 ? '06:00' : '09:45';
      if (planned !== '09:45') await console_.locator('#planned-start').fill(planned);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      await console_.locator('[data-testid=join-code]').waitFor();
      await console_.getByRole('button', { name: 'Afstandsbediening aanzetten' }).click();
      const link = await console_.locator('[data-testid=remote-link]').getAttribute('href');

      const phone = await openWindow(phoneProfile, link);
      await phone.getByRole('button', { name: 'Workshop starten' }).click();
      const dialog = phone.getByRole('dialog', { name: 'Nu beginnen?' });
      await dialog.waitFor();
      const question = await dialog.textContent();
      assert.match(question, new RegExp(`(eerder|later) dan het geplande begin van ${planned}`));
      // Moving the plan starts it at the relay's now, which the question names.
      const now = question.match(/Het is (\d\d:\d\d)/)[1];
      // Nothing started before the answer.
      assert.equal(await console_.getByRole('button', { name: 'Workshop starten' }).count(), 1);
      // One thumb here too: every answer is at least 48 px high, and nothing is cut off.
      const small = await dialog.locator('button').evaluateAll((buttons) => buttons
        .map((b) => ({ text: b.textContent, height: b.getBoundingClientRect().height, cut: b.scrollWidth > b.clientWidth }))
        .filter((b) => b.height < 48 || b.cut));
      assert.deepEqual(small, []);
      assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
      assert.deepEqual(await audit(phone), []);
      await screenshot(phone, 'remote-rebase-390');

      await dialog.getByTestId('rebase-yes').click();
      await phone.getByRole('button', { name: 'Pauze' }).waitFor();
      const minutes = (hhmm) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
      await waitFor('the console to show the plan moved to now', async () => {
        const first = await console_.locator('[data-testid=block-start]').first().textContent();
        return first !== planned && Math.abs(minutes(first) - minutes(now)) <= 1;
      });
      assert.match(await console_.getByTestId('drift').textContent(), /Op schema/);
      assertNoProblems(phone);
      assertNoProblems(console_);
    } finally {
      await laptop.close();
      await phoneProfile.close();
    }
  });

  it('spotlights the next open bear and marks it shot, tamed and parked from the phone', async () => {
    const laptop = await newProfile(browser, LAPTOP);
    const phoneProfile = await newProfile(browser, PHONE);
    const participantProfile = await newProfile(browser, PHONE);
    try {
      const console_ = await openWindow(laptop);
      const id = await createWorkshop(console_, relay.url);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const join = await console_.locator('[data-testid=join-link]').getAttribute('href');
      // Block 4 of the seed is the berenschietsessie.
      await console_.locator('.block-row').nth(3).getByRole('button', { name: /nu starten/ }).click();
      const projector = await openWindow(laptop, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);

      const participant = await openWindow(participantProfile, join);
      await participant.getByLabel('Je naam (mag leeg)').fill('Sanne');
      await participant.getByRole('button', { name: 'Meedoen', exact: true }).click();
      await participant.getByRole('heading', { name: 'Beren op de weg' }).waitFor();
      const bears = ['Geen tijd naast de balie', 'Wie betaalt de koffie?', 'Partners haken af'];
      for (const [i, text] of bears.entries()) {
        await participant.getByLabel('Je beer (vraag, belemmering of zorg)').fill(text);
        await participant.getByRole('button', { name: 'Beer toevoegen' }).click();
        await waitFor(`bear ${i + 1} written`, async () => (await participant.locator('.p-bears__mine li').count()) === i + 1);
      }
      await waitFor('the projector to count 3 bears', async () =>
        (await projector.locator('[data-testid=bear-count]').textContent()) === '3', { timeout: 10_000 });

      await console_.getByRole('tab', { name: 'Beren' }).click();
      for (const phase of ['Onthullen', 'Schieten']) {
        const step = console_.locator('.bears-phases').getByRole('button', { name: phase });
        await step.click();
        await waitFor(`phase ${phase}`, async () => (await step.getAttribute('aria-pressed')) === 'true');
      }
      await console_.getByRole('button', { name: 'Afstandsbediening aanzetten' }).click();
      const link = await console_.locator('[data-testid=remote-link]').getAttribute('href');
      const phone = await openWindow(phoneProfile, link);
      await phone.getByRole('heading', { name: 'Berenschieten' }).waitFor({ timeout: 10_000 });

      const spotlit = () => projector.locator('.bear-spotlight .wall-card--large .wall-card__text').textContent();
      const progress = () => projector.locator('[data-testid=bear-progress]').textContent();
      await phone.getByRole('button', { name: 'Volgende open beer' }).click();
      const first = await waitFor('a bear in the spotlight', async () => (await spotlit().catch(() => null)) || false);
      assert.ok(bears.includes(first), first);
      assert.equal(await phone.locator('[data-testid=remote-bear]').textContent(), first);
      // No label is cut off: the Dutch fates are long words.
      const cut = await phone.locator('.remote button').evaluateAll((buttons) => buttons
        .filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > window.innerWidth)
        .map((b) => b.textContent));
      assert.deepEqual(cut, []);
      // The bears lead while they are shot: every fate is on the first screen.
      const below = await phone.locator('.remote__bears button').evaluateAll((buttons) => buttons
        .filter((b) => b.getBoundingClientRect().bottom > window.innerHeight)
        .map((b) => b.textContent));
      assert.deepEqual(below, []);
      await screenshot(phone, 'remote-bears-390');
      await phone.getByRole('button', { name: 'Geschoten' }).click();
      await waitFor('one shot', async () => (await progress()) === '1 geschoten · 2 open');

      await phone.getByRole('button', { name: 'Volgende open beer' }).click();
      await waitFor('the next bear in the spotlight', async () => (await spotlit().catch(() => first)) !== first);
      // Tamed needs an owner, and the phone says which field is missing.
      await phone.getByRole('button', { name: 'Getemd' }).click();
      await phone.locator('.remote__bears .field-error').filter({ hasText: /eigenaar/i }).waitFor();
      await phone.getByLabel('Eigenaar (bij getemd)').fill('Katja');
      await phone.getByRole('button', { name: 'Getemd' }).click();
      await waitFor('one tamed', async () => (await progress()) === '1 geschoten · 1 getemd · 1 open');

      await phone.getByRole('button', { name: 'Volgende open beer' }).click();
      await phone.getByRole('button', { name: 'Geparkeerd' }).waitFor();
      await waitFor('the last open bear in the spotlight', async () => {
        const text = await spotlit().catch(() => null);
        return text !== null && text !== first && bears.includes(text) && (await phone.locator('[data-testid=remote-bear]').textContent()) === text;
      });
      await phone.getByRole('button', { name: 'Geparkeerd' }).click();
      await waitFor('one parked', async () => (await progress()) === '1 geschoten · 1 getemd · 1 geparkeerd');
      await waitFor('the console to agree', async () =>
        (await console_.locator('[data-testid=bears-status]').textContent()).endsWith('1 geschoten · 1 getemd · 1 geparkeerd'));
      assert.equal(await phone.getByRole('button', { name: 'Geen open beren meer.' }).isDisabled(), true);
      assertNoProblems(phone);
    } finally {
      await participantProfile.close();
      await phoneProfile.close();
      await laptop.close();
    }
  });

  it('refuses a link without its key in plain words', async () => {
    const phoneProfile = await newProfile(browser, PHONE);
    try {
      const phone = await openWindow(phoneProfile, `${relay.url}/w/${'ab'.repeat(16)}/remote`);
      await phone.getByRole('alert').filter({ hasText: 'Deze link is niet compleet' }).waitFor();
    } finally {
      await phoneProfile.close();
    }
  });
});
