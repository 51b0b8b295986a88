// Issue "Participants join from their own devices": a facilitator invites, a participant
// on another device (an isolated browser profile) joins by code, and the workshop and its
// timer reach that device through the relay.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  LAPTOP, PHONE, PROJECTOR, assertNoProblems, audit, newProfile, openWindow,
  relayAndBrowserForSuite, screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop, secondsLeft, startWorkshop } from './flows.mjs';

const connection = (page) => page.locator('[data-testid=connection]');
const connected = async (page) => (await connection(page).getAttribute('data-state').catch(() => null)) === 'connected';

// The QR decoder (CommonJS packages, pinned dev dependencies).
const require = createRequire(import.meta.url);
const jsQR = require('jsqr');
const { PNG } = require('pngjs');

/** The text a QR code in a screenshot decodes to (`null` when nothing decodes). */
function decodeQr(pngPath) {
  const png = PNG.sync.read(readFileSync(pngPath));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

/** A participant on their own phone: opens the join link, gives a name, picks group 1. */
async function joinOnPhone(profile, url, name) {
  const page = await openWindow(profile, url);
  await page.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
  await page.getByLabel('Je naam (mag leeg)').fill(name);
  await page.locator('#join-group').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Meedoen', exact: true }).click();
  await page.locator('[data-testid=joined-as]').waitFor();
  return page;
}

/**
 * A dropped network for one profile. DevTools network emulation (`setOffline`) fails new
 * requests but leaves open WebSockets running (playwright#4910), so the relay sockets of
 * this profile are routed through the test: `drop()` cuts them and refuses new ones, the
 * way a phone that lost its network sees it; `restore()` lets them through again.
 * `stall()` is the network that vanishes without a word: the socket stays open but no
 * frame passes either way (no close, no error), as when a phone walks out of the wifi.
 */
async function droppableNetwork(profile) {
  const open = new Set();
  let down = false;
  let stalled = false;
  await profile.routeWebSocket(/\/ws\//, (ws) => {
    if (down || stalled) {
      ws.close();
      return;
    }
    const server = ws.connectToServer();
    ws.onMessage((message) => { if (!stalled) server.send(message); });
    server.onMessage((message) => { if (!stalled) ws.send(message); });
    open.add(ws);
  });
  return {
    stall() {
      stalled = true;
    },
    unstall() {
      stalled = false;
    },
    async drop() {
      down = true;
      await profile.setOffline(true);
      for (const ws of open) await ws.close();
      open.clear();
    },
    async restore() {
      down = false;
      await profile.setOffline(false);
    },
  };
}

async function addNote(page, text) {
  await page.locator('.note-form').getByText('Netwerkpartner', { exact: true }).click();
  await page.getByLabel('Tekst van het geeltje').first().fill(text);
  await page.getByRole('button', { name: 'Geeltje plakken' }).click();
}

/** How many notes on `page` show exactly `text`. */
const notesWith = (page, scope, text) =>
  page.locator(`${scope} .board-note__text, ${scope} .p-note__text`).filter({ hasText: new RegExp(`^${text}$`) }).count();

describe('joining from another device through the relay', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

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
      await startWorkshop(console_);
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

  it('lets a phone type its name and press Meedoen before the app has loaded, and joins with it', async () => {
    const facilitator = await newProfile(browser, LAPTOP);
    const phone = await newProfile(browser, PHONE);
    try {
      const console_ = await openWindow(facilitator);
      await createWorkshop(console_, relay.url);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
      // The wasm is held back until the name is typed and Meedoen pressed on the static
      // first screen, the way a slow connection holds it.
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await phone.route(/\.wasm$/, async (route) => { await held; await route.continue(); });
      const participant = await openWindow(phone);
      await participant.goto(`${relay.url}/j/${code}`, { waitUntil: 'domcontentloaded' });
      const first = participant.locator('#first-screen');
      await first.getByLabel('Je naam (mag leeg)').fill('Fatima');
      await first.getByRole('button', { name: 'Meedoen', exact: true }).click();
      await first.getByText('Je doet mee zodra de workshop geladen is.').waitFor();
      assert.equal(await first.getByRole('button', { name: 'Meedoen', exact: true }).isDisabled(), true);
      await screenshot(participant, 'participant-first-join-390');
      release();
      await participant.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
      await waitFor('the phone to have joined as Fatima', async () =>
        (await participant.locator('[data-testid=joined-as]').textContent().catch(() => '')).includes('Fatima'),
      { timeout: 10_000 });
      // The relay took the join: the phone is connected with nothing left to send.
      await waitFor('the join to be acknowledged', async () =>
        (await connected(participant)) && !(await connection(participant).textContent()).includes('niet verstuurd'),
      { timeout: 10_000 });
      // Taken once: a reload does not join again or prefill a form.
      await participant.reload();
      await participant.locator('[data-testid=joined-as]').waitFor();
      assertNoProblems(participant);
      // A joined phone's first screen offers no join form, also while the app loads: seen
      // when the page's own scripts have run and the app has not (DOMContentLoaded).
      const firstScreenForm = () => document.addEventListener('DOMContentLoaded', () => {
        window.bijeenFirstForm = document.querySelector('#first-screen form.join-form') !== null;
      });
      await participant.addInitScript(firstScreenForm);
      await participant.reload();
      await participant.locator('[data-testid=joined-as]').waitFor();
      assert.equal(await participant.evaluate(() => window.bijeenFirstForm), false, 'no join form for a joined phone');
      // A phone that entered the room but has not joined by name gets the form at once
      // when it comes back, before the app has loaded. (Without a service worker, which
      // would serve the wasm past the held route.)
      const undecided = await browser.newContext({ viewport: PHONE, reducedMotion: 'reduce', serviceWorkers: 'block' });
      try {
        const later = await openWindow(undecided, `${relay.url}/j/${code}`);
        await later.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
        await later.locator('form.join-form').waitFor();
        let releaseLater;
        const heldLater = new Promise((resolve) => { releaseLater = resolve; });
        await undecided.route(/\.wasm$/, async (route) => { await heldLater; await route.continue(); });
        await later.addInitScript(firstScreenForm);
        await later.reload({ waitUntil: 'domcontentloaded' });
        assert.equal(await later.evaluate(() => window.bijeenFirstForm), true, 'the join form on the first screen');
        await later.locator('#first-screen form.join-form').getByLabel('Je naam (mag leeg)').fill('Joost');
        await later.locator('#first-screen').getByRole('button', { name: 'Meedoen', exact: true }).click();
        releaseLater();
        await waitFor('the returning phone to have joined as Joost', async () =>
          (await later.locator('[data-testid=joined-as]').textContent().catch(() => '')).includes('Joost'),
        { timeout: 10_000 });
        assertNoProblems(later);
      } finally {
        await undecided.close();
      }
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
      // The join link gave its place to the participant's screen: back goes to the page
      // the code was typed on, instead of looking the code up again and bouncing forward.
      await participant.locator('form.join-form').waitFor();
      await participant.goBack();
      await participant.waitForURL(`${relay.url}/`);
      await participant.locator('h1#home-title').waitFor();
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
      // The relay acks after it has stored the op; the ack can land just after the
      // forwarded op reached the other device, so wait for it rather than race it.
      await waitFor('the change to be acknowledged', async () =>
        !/niet verstuurd/.test(await console_.locator('[data-testid=connection]').innerText()));
    } finally {
      await facilitator.close();
      await phone.close();
    }
  });

  it('a phone knows within 5 s that its network is gone, also on a silent socket, and is back at once', async () => {
    const facilitator = await newProfile(browser, LAPTOP);
    const phone = await newProfile(browser, PHONE);
    const network = await droppableNetwork(phone);
    try {
      const console_ = await openWindow(facilitator);
      await createWorkshop(console_, relay.url);
      await console_.getByRole('tab', { name: 'Brainstorm' }).click();
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      await console_.getByRole('tab', { name: 'Programma' }).click();
      await console_.locator('.block-row').nth(2).getByRole('button', { name: /nu starten/ }).click();
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
      const anna = await joinOnPhone(phone, `${relay.url}/j/${code}`, 'Anna');
      await waitFor('Anna to be connected', () => connected(anna));
      const state = () => connection(anna).getAttribute('data-state');
      // Her join is acknowledged first, or the count below could be 2 on a slow machine.
      await waitFor('Anna to have nothing unsent', async () =>
        !/niet verstuurd/.test(await connection(anna).innerText()));

      // The socket goes silent: only the missing heartbeat can tell.
      network.stall();
      let since = Date.now();
      await waitFor('Anna to see the silence', async () => (await state()) === 'reconnecting', { timeout: 5_000, interval: 100 });
      const silentAfter = Date.now() - since;
      assert.ok(silentAfter <= 5_000, `noticed after ${silentAfter} ms`);
      await addNote(anna, 'Geschreven in de gang');
      await waitFor('the unsent note to be counted', async () =>
        /1 wijziging nog niet verstuurd/.test(await connection(anna).innerText()));
      await screenshot(anna, 'relay-participant-silent-socket-390');
      network.unstall();
      await waitFor('Anna back by herself', () => connected(anna), { timeout: 40_000 });
      await waitFor('the note from the corridor to be sent', async () =>
        !/niet verstuurd/.test(await connection(anna).innerText()), { timeout: 10_000 });

      // The browser says it is offline: said at once, and back at once when it returns.
      since = Date.now();
      await network.drop();
      await waitFor('Anna to see she is offline', async () => (await state()) === 'reconnecting', { timeout: 2_000, interval: 100 });
      assert.equal(await anna.evaluate(() => navigator.onLine), false);
      // Long enough for the back-off to grow past a few seconds.
      await anna.waitForTimeout(6_000);
      await network.restore();
      since = Date.now();
      await waitFor('Anna to reconnect when the network returns', () => connected(anna), { timeout: 3_000, interval: 100 });
      const backAfter = Date.now() - since;
      assert.ok(backAfter <= 3_000, `reconnected after ${backAfter} ms`);
      const outage = /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED/;
      anna.problems = anna.problems.filter((problem) => !outage.test(problem));
      assertNoProblems(anna);
    } finally {
      await facilitator.close();
      await phone.close();
    }
  });

  it('three phones join by code, write offline, and outlive a relay restart', async () => {
    const facilitator = await newProfile(browser, LAPTOP);
    const phones = await Promise.all([0, 1, 2].map(() => newProfile(browser, PHONE)));
    const late = await newProfile(browser, PHONE);
    const bramsNetwork = await droppableNetwork(phones[1]);
    try {
      const console_ = await openWindow(facilitator);
      const id = await createWorkshop(console_, relay.url);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
      const link = `${relay.url}/j/${code}`;
      await waitFor('the console to be connected', () => connected(console_));
      // The console shows the QR code next to the link.
      const consoleQr = console_.getByRole('img', { name: 'QR-code om mee te doen' });
      await consoleQr.waitFor();
      await consoleQr.evaluate((qr) => qr.scrollIntoView({ block: 'center' }));
      assert.deepEqual(await audit(console_), []);
      await screenshot(console_, 'relay-console-invite-qr-1366');

      // The projector, a window of the same browser, shows code, link and QR code.
      const projector = await openWindow(facilitator, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await waitFor('the code on the projector', async () =>
        (await projector.locator('[data-testid=projector-join-code]').textContent().catch(() => '')) === code);
      assert.equal(await projector.locator('[data-testid=projector-join-link]').textContent(), link.replace(/^https?:\/\//, ''));
      const qr = projector.getByRole('img', { name: 'QR-code om mee te doen' });
      const box = await qr.boundingBox();
      const modules = Number(await qr.getAttribute('data-modules'));
      // Scannable from the back of the room: at least 6 screen pixels per module.
      assert.ok(box.width / (modules + 8) >= 6, `QR module ${box.width / (modules + 8)} px`);
      assert.deepEqual(await audit(projector), []);
      const shot = await screenshot(projector, 'relay-projector-join-1920');
      assert.equal(decodeQr(shot), link, 'the projector QR code decodes to the join link');

      // The brainstorm block runs; the projector shows its board.
      await console_.getByRole('tab', { name: 'Brainstorm' }).click();
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      await console_.getByRole('tab', { name: 'Programma' }).click();
      await console_.locator('.block-row').nth(2).getByRole('button', { name: /nu starten/ }).click();
      await projector.locator('.board').waitFor();

      // Three participants, each on their own device, join with the code.
      const [anna, bram, cato] = await Promise.all(['Anna', 'Bram', 'Cato'].map((name, i) =>
        joinOnPhone(phones[i], `${relay.url}/j/${code.toLowerCase()}`, name)));
      for (const page of [anna, bram, cato]) await waitFor('a phone to be connected', () => connected(page));
      await addNote(anna, 'Bibliotheek Noord');
      await addNote(bram, 'Buurthuis De Brug');
      await addNote(cato, 'Sportclub Oost');
      await waitFor('three notes on the projector', async () =>
        (await notesWith(projector, '.board', 'Bibliotheek Noord')) === 1
        && (await notesWith(projector, '.board', 'Buurthuis De Brug')) === 1
        && (await notesWith(projector, '.board', 'Sportclub Oost')) === 1, { timeout: 10_000 });

      // Bram loses the network and writes anyway.
      await bramsNetwork.drop();
      await waitFor('Bram to see that he is offline', async () =>
        (await connection(bram).getAttribute('data-state')) === 'reconnecting', { timeout: 20_000 });
      await addNote(bram, 'Geschreven in de kelder');
      await waitFor('the unsent note to be counted', async () =>
        /1 wijziging nog niet verstuurd/.test(await connection(bram).innerText()));
      assert.match(await connection(bram).innerText(), /verstuurd zodra je weer online bent/);
      // Scrolled down to his notes, the header is gone but the now-bar still says it.
      await bram.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const badge = bram.locator('.now-bar [data-testid=connection-badge]');
      assert.ok(await badge.isVisible(), 'the connection state stays in view on a phone');
      assert.match(await badge.innerText(), /Opnieuw verbinden[\s\S]*1 wijziging nog niet verstuurd/);
      const badgeTop = (await badge.boundingBox()).y;
      assert.ok(badgeTop >= 0 && badgeTop < 844, `badge on screen, at ${badgeTop}px`);
      await bram.evaluate(() => window.scrollTo(0, 0));
      await screenshot(bram, 'relay-participant-offline-390');
      assert.equal(await notesWith(projector, '.board', 'Geschreven in de kelder'), 0);
      await bramsNetwork.restore();
      await waitFor('Bram to reconnect by himself', () => connected(bram), { timeout: 40_000 });
      await waitFor('the offline note on the projector', async () =>
        (await notesWith(projector, '.board', 'Geschreven in de kelder')) === 1, { timeout: 10_000 });
      await waitFor('Bram to have nothing unsent', async () => !/niet verstuurd/.test(await connection(bram).innerText()));
      // Exactly once, also after the retry was acknowledged.
      assert.equal(await notesWith(projector, '.board', 'Geschreven in de kelder'), 1);
      assert.equal(await notesWith(anna, '.group-notes', 'Geschreven in de kelder'), 1);

      // The relay dies mid-workshop and comes back: everyone reconnects by themselves.
      const everyone = [console_, projector, anna, bram, cato];
      await relay.crash();
      await waitFor('Cato to notice', async () => (await connection(cato).getAttribute('data-state')) === 'reconnecting', { timeout: 20_000 });
      await addNote(cato, 'Tijdens de storing');
      await relay.restart();
      // The projector has no header; the notes that reach it below show it is back.
      const withHeader = { console: console_, Anna: anna, Bram: bram, Cato: cato };
      for (const [name, page] of Object.entries(withHeader)) {
        await waitFor(`${name} to reconnect by itself`, async () => {
          if (await connected(page)) return true;
          // Thrown, so a timeout reports what the window last said.
          throw new Error(await connection(page).innerText().catch(() => 'no connection state'));
        }, { timeout: 40_000 });
      }
      await waitFor('the note from the outage on the projector', async () =>
        (await notesWith(projector, '.board', 'Tijdens de storing')) === 1, { timeout: 10_000 });
      await addNote(anna, 'Na de herstart');
      await waitFor('a note after the restart on the projector', async () =>
        (await notesWith(projector, '.board', 'Na de herstart')) === 1, { timeout: 10_000 });

      // Nothing lost: a device that was never there gets every note from the relay alone.
      const dirk = await joinOnPhone(late, link, 'Dirk');
      const all = ['Bibliotheek Noord', 'Buurthuis De Brug', 'Sportclub Oost', 'Geschreven in de kelder', 'Tijdens de storing', 'Na de herstart'];
      await waitFor('every note on the new phone', async () => {
        for (const text of all) if ((await notesWith(dirk, '.group-notes', text)) !== 1) return false;
        return true;
      }, { timeout: 10_000 });
      await screenshot(projector, 'relay-projector-board-1920');
      // Chromium reports the outages this test causes (a refused WebSocket, no network);
      // anything else on the console is a bug.
      const outage = /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED/;
      for (const page of [...everyone, dirk]) {
        page.problems = page.problems.filter((problem) => !outage.test(problem));
        assertNoProblems(page);
      }
    } finally {
      await facilitator.close();
      await Promise.all(phones.map((p) => p.close()));
      await late.close();
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
