// Issue "Participants join from their own devices": a facilitator invites, a participant
// on another device (an isolated browser profile) joins by code, and the workshop and its
// timer reach that device through the relay.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LAPTOP, PHONE, assertNoProblems, audit, launchBrowser, newProfile, openWindow, screenshot,
  startRelay, waitFor,
} from './harness.mjs';
import { createWorkshop, secondsLeft } from './flows.mjs';

describe('joining from another device through the relay', () => {
  let relay;
  let browser;
  before(async () => {
    relay = await startRelay();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('invites, joins by code on another device, and the timer reaches that device', async () => {
    const facilitator = await newProfile(browser, LAPTOP);
    const phone = await newProfile(browser, PHONE);
    try {
      const console_ = await openWindow(facilitator);
      await createWorkshop(console_, relay.url);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
      assert.match(code, /^[2-9A-HJ-NP-Z]{6}$/);
      await waitFor('the console to be connected', async () =>
        (await console_.locator('[data-testid=connection]').getAttribute('data-state')) === 'connected');
      assert.deepEqual(await audit(console_), []);
      await screenshot(console_, 'console-invite-1366');

      const participant = await openWindow(phone, `${relay.url}/j/${code.toLowerCase()}`);
      await participant.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
      const room = new URL(participant.url()).pathname.split('/')[2];
      await waitFor('the participant to be connected', async () =>
        (await participant.locator('[data-testid=connection]').getAttribute('data-state')) === 'connected');
      await screenshot(participant, 'participant-joined-390');

      // The other device has the whole workshop, and follows the timer.
      const projector = await openWindow(phone, `${relay.url}/w/${room}/present`);
      await waitFor('the agenda to arrive on the other device', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent().catch(() => '')) === 'Waarom werken in netwerken?');
      await console_.getByRole('button', { name: 'Workshop starten' }).click();
      await waitFor('the countdown on the other device', async () => {
        const [here, there] = await Promise.all([secondsLeft(console_), secondsLeft(projector)]);
        return here !== null && there !== null && Math.abs(here - there) <= 1;
      });
      assertNoProblems(console_);
      assertNoProblems(participant);
    } finally {
      await facilitator.close();
      await phone.close();
    }
  });

  it('keeps changes made while the relay is down and delivers them once it is back', async () => {
    const facilitator = await newProfile(browser, LAPTOP);
    const phone = await newProfile(browser, PHONE);
    try {
      const console_ = await openWindow(facilitator);
      await createWorkshop(console_, relay.url);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
      // This participant types the code on the home page.
      const participant = await openWindow(phone, `${relay.url}/`);
      await participant.getByLabel('Code van het scherm').fill(code.toLowerCase());
      await participant.getByRole('button', { name: 'Meedoen', exact: true }).click();
      await participant.waitForURL(/\/join$/);
      const room = new URL(participant.url()).pathname.split('/')[2];
      const other = await openWindow(phone, `${relay.url}/w/${room}/present`);
      await waitFor('the agenda on the other device', async () =>
        (await other.locator('[data-testid=projector-block]').textContent().catch(() => '')) === 'Waarom werken in netwerken?');

      await relay.crash();
      const state = () => console_.locator('[data-testid=connection]').getAttribute('data-state');
      await waitFor('the console to notice', async () => (await state()) === 'reconnecting');
      // A change while the relay is gone: kept, counted, and said in plain words.
      const firstTitle = console_.locator('.block-row input[id$=-title]').first();
      await firstTitle.fill('Waarom netwerken? (na de storing)');
      await firstTitle.press('Tab');
      await waitFor('the unsent change to be counted', async () =>
        /1 wijziging nog niet verstuurd/.test(await console_.locator('[data-testid=connection]').innerText()));
      await screenshot(console_, 'console-relay-down-1366');

      await relay.restart();
      await waitFor('the console to reconnect by itself', async () => (await state()) === 'connected', { timeout: 40_000 });
      await waitFor('the change to reach the other device', async () =>
        (await other.locator('[data-testid=projector-block]').textContent()) === 'Waarom netwerken? (na de storing)', { timeout: 40_000 });
      assert.doesNotMatch(await console_.locator('[data-testid=connection]').innerText(), /niet verstuurd/);
    } finally {
      await facilitator.close();
      await phone.close();
    }
  });

  it('says so in plain words when a code does not exist', async () => {
    const phone = await newProfile(browser, PHONE);
    try {
      const page = await openWindow(phone, `${relay.url}/j/ZZZZZZ`);
      await page.getByRole('alert').filter({ hasText: 'geen workshop met deze code' }).waitFor();
      const malformed = await openWindow(phone, `${relay.url}/j/ab`);
      await malformed.getByRole('alert').filter({ hasText: 'zes tekens' }).waitFor();
    } finally {
      await phone.close();
    }
  });
});
