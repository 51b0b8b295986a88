// Issue #16 item 3, "Steer from your phone": the console hands out a remote (link and QR
// code with a warning), a phone at 390×844 pauses, adds a minute and moves to the next
// block while the projector follows, and once the facilitator revokes it the relay refuses
// it and the phone says so in plain words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LAPTOP, PHONE, PROJECTOR, assertNoProblems, audit, newProfile, openWindow,
  relayAndBrowserForSuite, screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop, secondsLeft, startWorkshop } from './flows.mjs';

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
      // The phone downloaded the phone's entry, not the facilitator's app.
      const code = phone.fetched.filter((path) => /\.(js|wasm)$/.test(path));
      assert.ok(code.some((path) => /^\/participant-[0-9a-f]+_bg\.wasm$/.test(path)), `${code}`);
      assert.deepEqual(code.filter((path) => !path.startsWith('/participant-')), []);

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
