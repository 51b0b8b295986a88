// Issue #15 "Beyond one machine": two relays on one throw-away PostgreSQL cluster behind
// HAProxy (round robin, no sticky sessions). The console and the projector are on one
// relay, three phones on the other; that relay is killed while the phones write, and
// their notes reach the projector and the console exactly once after the phones have
// reconnected, by themselves, to the relay that is left.
//
// Which relay a browser reaches is steered the way an operator would: through HAProxy's
// admin socket a relay is drained (keeps its connections, takes no new ones) while the
// others connect.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  LAPTOP, PHONE, PROJECTOR, assertNoProblems, launchBrowser, newProfile, openWindow,
  screenshot, startHaproxy, startPostgres, startRelay, waitFor,
} from './harness.mjs';
import { createWorkshop } from './flows.mjs';

const connection = (page) => page.locator('[data-testid=connection]');
const stateOf = (page) => connection(page).getAttribute('data-state').catch(() => null);
const connected = async (page) => (await stateOf(page)) === 'connected';

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

async function addNote(page, text) {
  await page.locator('.note-form').getByText('Netwerkpartner', { exact: true }).click();
  await page.getByLabel('Tekst van het geeltje').first().fill(text);
  await page.getByRole('button', { name: 'Geeltje plakken' }).click();
}

/** How many notes on the projector's board show exactly `text`. */
const onProjector = (page, text) =>
  page.locator('.board .board-note__text').filter({ hasText: new RegExp(`^${text}$`) }).count();

/** How many notes the console's brainstorm tab lists with exactly `text`. */
const onConsole = (page, text) =>
  page.locator('.mod-note__text').evaluateAll((all, want) => all.filter((t) => t.value === want).length, text);

describe('two relays on PostgreSQL behind HAProxy', () => {
  const up = {};
  before(async () => {
    up.pg = await startPostgres();
    const args = ['--database-url', up.pg.url, '--trusted-proxy', '127.0.0.1'];
    up.relays = [await startRelay({ args }), await startRelay({ args })];
    up.lb = await startHaproxy(up.relays.map((r) => r.url));
    up.browser = await launchBrowser();
  });
  after(async () => {
    await up.browser?.close();
    await up.lb?.stop();
    for (const relay of up.relays ?? []) await relay.stop();
    await up.pg?.stop();
  });

  it('phones on a relay that is killed keep writing, and every note arrives once', async () => {
    const { lb, relays, browser } = up;
    const [phonesRelay, consoleRelay] = [0, 1];
    const facilitator = await newProfile(browser, LAPTOP);
    const phones = await Promise.all([0, 1, 2].map(() => newProfile(browser, PHONE)));
    try {
      // The console and the projector reach the second relay only.
      await lb.setState(phonesRelay, 'drain');
      const console_ = await openWindow(facilitator);
      const id = await createWorkshop(console_, lb.url);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
      await waitFor('the console to be connected', () => connected(console_), { timeout: 10_000 });
      const projector = await openWindow(facilitator, `${lb.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await console_.getByRole('tab', { name: 'Brainstorm' }).click();
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      await console_.getByRole('tab', { name: 'Programma' }).click();
      await console_.locator('.block-row').nth(2).getByRole('button', { name: /nu starten/ }).click();
      await projector.locator('.board').waitFor();
      await console_.getByRole('tab', { name: 'Brainstorm' }).click();

      // The phones reach the first relay only, and join by the code the other one made.
      await lb.setState(phonesRelay, 'ready');
      await lb.setState(consoleRelay, 'drain');
      const names = ['Anna', 'Bram', 'Cato'];
      const people = await Promise.all(names.map((name, i) =>
        joinOnPhone(phones[i], `${lb.url}/j/${code.toLowerCase()}`, name)));
      for (const page of people) await waitFor('a phone to be connected', () => connected(page), { timeout: 10_000 });
      const sessions = await lb.sessions();
      assert.ok(sessions[phonesRelay] >= 3, `the phones' sockets are on relay ${phonesRelay + 1}: ${sessions}`);

      // Across relays, both ways: the phones' notes reach the projector on the other relay.
      await Promise.all(people.map((page, i) => addNote(page, `Voor de storing van ${names[i]}`)));
      await waitFor('the phones\' first notes on the projector and the console', async () => {
        for (const name of names) {
          const text = `Voor de storing van ${name}`;
          if ((await onProjector(projector, text)) !== 1 || (await onConsole(console_, text)) !== 1) return false;
        }
        return true;
      }, { timeout: 15_000 });

      // The phones' relay dies. The other one takes no new connections yet, so the phones
      // certainly write while they have no relay at all.
      await relays[phonesRelay].crash();
      for (const page of people) {
        await waitFor('a phone to notice its relay is gone', async () => (await stateOf(page)) === 'reconnecting', { timeout: 20_000 });
      }
      assert.ok(await connected(console_), 'the console, on the other relay, noticed nothing');
      await Promise.all(people.map((page, i) => addNote(page, `Tijdens de storing van ${names[i]}`)));
      for (const page of people) {
        await waitFor('the unsent note to be counted', async () =>
          /1 wijziging nog niet verstuurd/.test(await connection(page).innerText()));
      }
      await screenshot(people[0], 'scaleout-phone-relay-down-390');
      for (const name of names) assert.equal(await onProjector(projector, `Tijdens de storing van ${name}`), 0);

      // The relay that is left takes them: they reconnect by themselves and catch up.
      await lb.setState(consoleRelay, 'ready');
      for (const [i, page] of people.entries()) {
        await waitFor(`${names[i]} to reconnect by herself or himself`, async () => {
          if (await connected(page)) return true;
          throw new Error(await connection(page).innerText().catch(() => 'no connection state'));
        }, { timeout: 40_000 });
      }
      const texts = names.flatMap((name) => [`Voor de storing van ${name}`, `Tijdens de storing van ${name}`]);
      await waitFor('every note on the projector and the console', async () => {
        for (const text of texts) {
          if ((await onProjector(projector, text)) < 1 || (await onConsole(console_, text)) < 1) return false;
        }
        return true;
      }, { timeout: 15_000 });
      for (const page of people) {
        await waitFor('the phone to have nothing unsent', async () => !/niet verstuurd/.test(await connection(page).innerText()));
      }
      // Exactly once, also after the retries were acknowledged.
      for (const text of texts) {
        assert.equal(await onProjector(projector, text), 1, `${text} on the projector`);
        assert.equal(await onConsole(console_, text), 1, `${text} on the console`);
      }
      await screenshot(projector, 'scaleout-projector-after-failover-1920');
      const outage = /WebSocket connection to .* failed|ERR_CONNECTION_REFUSED|ERR_INTERNET_DISCONNECTED|status of 503/;
      for (const page of [console_, projector, ...people]) {
        page.problems = page.problems.filter((problem) => !outage.test(problem));
        assertNoProblems(page);
      }
    } finally {
      await facilitator.close();
      await Promise.all(phones.map((p) => p.close()));
    }
  });
});
