// Issue "Phones first": the participant's phone holds no replica. It is sent its view by
// the relay and sends what the person asks for; everything a phone does runs through that
// on a phone of its own (an isolated profile) joined by code: notes written, edited and
// deleted, refusals in plain words, dots given and taken back, bears written, edited and
// withdrawn, a note written offline shown as not sent yet and delivered once, and a reload
// without network that still shows the workshop. It downloads only the phone's entry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LAPTOP, PHONE, assertNoProblems, audit, newProfile, openWindow, relayAndBrowserForSuite,
  screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop } from './flows.mjs';

const connected = async (page) =>
  (await page.locator('[data-testid=connection]').getAttribute('data-state').catch(() => null)) === 'connected';
const noteTexts = (page) => page.locator('.group-notes .p-note__text').allTextContents();

async function addNote(page, text) {
  await page.locator('.note-form').getByText('Activiteit', { exact: true }).click();
  await page.getByLabel('Tekst van het geeltje').first().fill(text);
  await page.getByRole('button', { name: 'Geeltje plakken' }).click();
}

/** The phone's network, which the test takes away (the browser offline, and its open
 * WebSockets closed, which going offline alone does not do) and gives back. */
async function phoneNetwork(phone) {
  let down = false;
  const open = new Set();
  await phone.routeWebSocket(/\/ws\//, (ws) => {
    if (down) return ws.close();
    ws.connectToServer();
    open.add(ws);
    ws.onClose(() => open.delete(ws));
  });
  return {
    async goOffline() {
      down = true;
      await phone.setOffline(true);
      for (const ws of open) await ws.close();
    },
    async goOnline() {
      down = false;
      await phone.setOffline(false);
    },
  };
}

/** A new seed workshop in the console with its board open, and the code to join it by. */
async function openBoardToJoin(console_, baseUrl) {
  await createWorkshop(console_, baseUrl);
  await console_.getByRole('tab', { name: 'Brainstorm' }).click();
  await console_.getByRole('button', { name: 'Bord openen' }).click();
  await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
  return (await console_.locator('[data-testid=join-code]').textContent()).trim();
}

describe('a phone without a replica', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('writes, edits, votes and shoots bears through the relay alone, and keeps what it wrote offline', async () => {
    const facilitator = await newProfile(browser, LAPTOP);
    const phone = await newProfile(browser, PHONE);
    const fetched = [];
    phone.on('response', (response) => fetched.push(new URL(response.url()).pathname));
    const network = await phoneNetwork(phone);
    try {
      const console_ = await openWindow(facilitator);
      const code = await openBoardToJoin(console_, relay.url);

      const anna = await openWindow(phone, `${relay.url}/j/${code}`);
      await anna.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
      await anna.getByLabel('Je naam (mag leeg)').fill('Anna');
      await anna.locator('#join-group').selectOption({ index: 1 });
      await anna.getByRole('button', { name: 'Meedoen', exact: true }).click();
      await anna.locator('[data-testid=joined-as]').waitFor();
      assert.match(await anna.locator('[data-testid=joined-as]').textContent(), /Anna/);
      await waitFor('Anna to be connected', () => connected(anna));
      // The same phone's page in a second tab says so and sends nothing: two tabs would
      // number their notes alike, and the relay would take one for a resend of the other.
      const again = await openWindow(phone, anna.url());
      await again.locator('[data-testid=open-elsewhere]').waitFor();
      assert.match(await again.locator('[data-testid=open-elsewhere]').textContent(), /al open in een ander tabblad/);
      assert.equal(await again.locator('.note-form').count(), 0);
      assert.deepEqual(await audit(again), [], 'axe on the second tab');
      await screenshot(again, 'phone-open-elsewhere-390');
      await again.close();

      // Notes: written, edited, deleted; what the relay refuses is said next to the form.
      await addNote(anna, 'Leesclub in de bibliotheek');
      await addNote(anna, 'Foutje');
      await waitFor('both notes on her phone', async () => (await noteTexts(anna)).length === 2);
      const firstId = await anna.locator('.p-note', { hasText: 'Leesclub in de bibliotheek' }).getAttribute('data-note');
      const first = anna.locator(`.p-note[data-note="${firstId}"]`);
      await first.getByRole('button', { name: /bewerken$/ }).click();
      await first.locator('textarea').fill('Leesclub in de bibliotheek Noord');
      await first.getByRole('button', { name: 'Opslaan' }).click();
      await anna.locator('.p-note', { hasText: 'Foutje' }).getByRole('button', { name: /verwijderen$/ }).click();
      await waitFor('the edit and the deletion', async () =>
        JSON.stringify(await noteTexts(anna)) === JSON.stringify(['Leesclub in de bibliotheek Noord']));
      await waitFor('the console to have the edited note', async () =>
        (await console_.locator('.mod-note', { hasText: 'Leesclub in de bibliotheek Noord' }).count()) === 1);
      assert.equal(await console_.locator('.mod-note', { hasText: 'Foutje' }).count(), 0);
      await console_.getByRole('button', { name: 'Bord sluiten' }).click();
      await addNote(anna, 'Te laat');
      await waitFor('the board-closed refusal', async () =>
        (await anna.locator('[data-testid=note-form-error]').textContent()) === 'Het bord is gesloten.');
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      await waitFor('the refusal gone once the board is open again', async () =>
        (await anna.locator('[data-testid=note-form-error]').textContent()) === '');

      // Dots: given and taken back; the count follows the relay's answer.
      await console_.getByRole('button', { name: 'Stemmen openen' }).click();
      await waitFor('the dots on her phone', async () =>
        (await anna.locator('[data-testid=votes-left]').textContent().catch(() => '')).includes('3 van 3 stippen over'));
      // While the room votes, the phone leads with the dots and the notes to spend them on.
      const top = async (selector) => (await anna.locator(selector).boundingBox()).y;
      await waitFor('the notes to vote on before the note form', async () =>
        (await top('[data-testid=votes-left]')) < (await top('.group-notes'))
        && (await top('.group-notes')) < (await top('.note-form')));
      const note = anna.locator('.p-note', { hasText: 'Leesclub in de bibliotheek Noord' });
      const dotsLeft = (n) => waitFor(`${n} of 3 left`, async () =>
        (await anna.locator('[data-testid=votes-left]').textContent()).includes(`${n} van 3 stippen over`));
      await note.getByRole('button', { name: /^\+ stip op/ }).click();
      await dotsLeft(2);
      // One dot per note in this round: the second is refused, in words, under the note.
      await note.getByRole('button', { name: /^\+ stip op/ }).click();
      await waitFor('the second dot refused', async () =>
        (await note.locator('.field-error').allTextContents()).some((text) => text.length > 0));
      await note.getByRole('button', { name: /^− stip van/ }).click();
      await dotsLeft(3);
      await note.getByRole('button', { name: /^\+ stip op/ }).click();
      await dotsLeft(2);
      assert.deepEqual(await audit(anna), [], 'axe on the phone while voting');
      await screenshot(anna, 'phone-voting-390');
      await console_.getByRole('button', { name: 'Stemmen sluiten' }).click();
      await waitFor('the result on her phone', async () =>
        (await note.locator('.p-note__votes').textContent().catch(() => '')) === '1 stem');

      // Offline: the note is kept, shown as not sent yet, and delivered once.
      await waitFor('the phone entry kept for offline use', async () =>
        (await anna.evaluate(async () => (await (await caches.open('bijeen-app-v1')).keys())
          .map((request) => new URL(request.url).pathname))).some((path) => path.endsWith('_bg.wasm')), { timeout: 10_000 });
      await network.goOffline();
      await waitFor('Anna to see she is offline', async () =>
        (await anna.locator('[data-testid=connection]').getAttribute('data-state')) === 'reconnecting');
      await addNote(anna, 'Geschreven in de kelder');
      const unsent = anna.locator('.p-note--unsent', { hasText: 'Geschreven in de kelder' });
      await unsent.waitFor();
      assert.match(await unsent.textContent(), /Nog niet verstuurd/);
      await screenshot(anna, 'phone-offline-390');
      // A reload without network still shows the workshop and the unsent note.
      await anna.reload({ waitUntil: 'domcontentloaded' }).catch(() => undefined);
      await anna.locator('[data-testid=joined-as]').waitFor({ timeout: 10_000 });
      await anna.locator('.p-note--unsent', { hasText: 'Geschreven in de kelder' }).waitFor();
      await network.goOnline();
      await waitFor('Anna back by herself', () => connected(anna), { timeout: 40_000 });
      await waitFor('the offline note delivered', async () =>
        (await anna.locator('.p-note--unsent').count()) === 0
        && (await noteTexts(anna)).includes('Geschreven in de kelder'), { timeout: 10_000 });
      await waitFor('exactly once on the console', async () =>
        (await console_.locator('.mod-note', { hasText: 'Geschreven in de kelder' }).count()) === 1);

      // Bears: written, edited and withdrawn while the wall collects; the wall after.
      await console_.getByRole('tab', { name: 'Programma' }).click();
      await console_.locator('.block-row').nth(3).getByRole('button', { name: /nu starten/ }).click();
      await anna.getByRole('heading', { name: 'Beren op de weg' }).waitFor();
      for (const text of ['Geen tijd', 'Dubbel']) {
        await anna.getByLabel('Je beer (vraag, belemmering of zorg)').fill(text);
        await anna.getByRole('button', { name: 'Beer toevoegen' }).click();
      }
      await waitFor('two bears of hers', async () => (await anna.locator('.p-bears__mine li').count()) === 2);
      const bearId = await anna.locator('.p-bear', { hasText: 'Geen tijd' }).getAttribute('data-bear');
      const bear = anna.locator(`.p-bear[data-bear="${bearId}"]`);
      await bear.getByRole('button', { name: /bewerken$/ }).click();
      await bear.locator('textarea').fill('Geen tijd voor netwerken');
      await bear.getByRole('button', { name: 'Opslaan' }).click();
      await anna.locator('.p-bear', { hasText: 'Dubbel' }).getByRole('button', { name: /intrekken$/ }).click();
      await waitFor('one edited bear left', async () =>
        JSON.stringify(await anna.locator('.p-bears__mine .p-bear__text').allTextContents()) === JSON.stringify(['Geen tijd voor netwerken']));
      await screenshot(anna, 'phone-bears-collect-390');
      await console_.getByRole('tab', { name: 'Beren' }).click();
      await console_.locator('.bears-phases').getByRole('button', { name: 'Onthullen' }).click();
      await waitFor('the wall on her phone', async () =>
        (await anna.locator('.p-bears__wall .p-bear__text').allTextContents()).includes('Geen tijd voor netwerken'));
      assert.deepEqual(await audit(anna), [], 'axe on the phone with the wall');
      await screenshot(anna, 'phone-bears-wall-390');

      // The phone fetched its own entry only (and the service worker).
      const code_ = fetched.filter((path) => /\.(js|wasm)$/.test(path) && path !== '/sw.js');
      assert.ok(code_.some((path) => /^\/participant-[0-9a-f]+_bg\.wasm$/.test(path)), `${code_}`);
      assert.deepEqual(code_.filter((path) => !path.startsWith('/participant-')), []);
      const outage = /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED/;
      anna.problems = anna.problems.filter((problem) => !outage.test(problem));
      assertNoProblems(anna);
      assertNoProblems(console_);
    } finally {
      await facilitator.close();
      await phone.close();
    }
  });

  it('sends what an earlier phone kept offline before it opens its own link, and comes back', async () => {
    // Before the phone had an entry of its own it kept a replica, as the window entry
    // still does, and what it wrote offline waits there as ops. The window entry on a
    // joined phone writes exactly that state.
    const facilitator = await newProfile(browser, LAPTOP);
    const phone = await newProfile(browser, PHONE);
    const network = await phoneNetwork(phone);
    try {
      const console_ = await openWindow(facilitator);
      const code = await openBoardToJoin(console_, relay.url);

      const bram = await openWindow(phone, `${relay.url}/j/${code}`);
      await bram.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
      const join = bram.url();
      const id = join.match(/\/w\/([0-9a-f]{32})\/join$/)[1];
      await bram.getByLabel('Je naam (mag leeg)').fill('Bram');
      await bram.locator('#join-group').selectOption({ index: 1 });
      await bram.getByRole('button', { name: 'Meedoen', exact: true }).click();
      await waitFor('Bram to be connected', () => connected(bram));
      await waitFor('the phone entry kept for offline use', async () =>
        (await bram.evaluate(async () => (await (await caches.open('bijeen-app-v1')).keys())
          .map((request) => new URL(request.url).pathname))).some((path) => /\/participant-[0-9a-f]+_bg\.wasm$/.test(path)),
      { timeout: 10_000 });
      await bram.close();

      const earlier = await openWindow(phone, `${relay.url}/w/${id}/window`);
      await earlier.locator('[data-testid=joined-as]').waitFor();
      await waitFor('the earlier phone to be connected', () => connected(earlier));
      await network.goOffline();
      await waitFor('the earlier phone to see it is offline', async () =>
        (await earlier.locator('[data-testid=connection]').getAttribute('data-state')) !== 'connected');
      await addNote(earlier, 'Geschreven in de oude app');
      const unsentOps = (page) => page.evaluate((workshop) => Object.keys(localStorage)
        .filter((key) => key.startsWith(`bijeen.outbox.${workshop}.`))
        .reduce((n, key) => n + JSON.parse(localStorage.getItem(key)).outbox.length, 0), id);
      await waitFor('the note in the earlier outbox', async () => (await unsentOps(earlier)) === 1);
      await earlier.close();

      // Still offline: the phone's page says the earlier changes wait, and opens no link.
      const back = await phone.newPage();
      await back.goto(join, { waitUntil: 'domcontentloaded' });
      await back.locator('[data-testid=earlier-changes]').waitFor({ timeout: 10_000 });
      assert.match(await back.locator('[data-testid=earlier-changes]').textContent(), /verstuurd zodra je weer verbinding hebt/);
      assert.equal(await back.locator('.note-form').count(), 0);
      assert.deepEqual(await audit(back), [], 'axe on the waiting phone');
      await screenshot(back, 'phone-earlier-changes-390');

      // Online: once through the window entry, which sends them, and back by itself.
      const visited = [];
      back.on('framenavigated', (frame) => { if (frame === back.mainFrame()) visited.push(new URL(frame.url()).pathname); });
      await network.goOnline();
      await waitFor('the phone back on its own screen', async () =>
        visited.includes(`/w/${id}/window`) && new URL(back.url()).pathname === `/w/${id}/join`
        && (await back.locator('.note-form').count()) === 1, { timeout: 30_000 });
      await waitFor('the earlier note on the phone', async () =>
        (await noteTexts(back)).includes('Geschreven in de oude app'), { timeout: 10_000 });
      assert.equal(await unsentOps(back), 0);
      await waitFor('exactly once on the console', async () =>
        (await console_.locator('.mod-note', { hasText: 'Geschreven in de oude app' }).count()) === 1);
      // And the phone's own link numbers after it: a new note is taken, not lost as a resend.
      await addNote(back, 'Geschreven in de nieuwe app');
      await waitFor('the new note on the console', async () =>
        (await console_.locator('.mod-note', { hasText: 'Geschreven in de nieuwe app' }).count()) === 1);
      // The relay tells the console before it acknowledges to the phone.
      await waitFor('the new note acknowledged on the phone', async () =>
        (await back.locator('.p-note--unsent').count()) === 0
        && (await noteTexts(back)).includes('Geschreven in de nieuwe app'));
      assertNoProblems(console_);
    } finally {
      await facilitator.close();
      await phone.close();
    }
  });
});
