// Issue "Berenschiet wall": a facilitator console, a projector and three participant
// windows of one browser profile (each tab is its own participant). Five bears are written
// during collect (the projector shows only the count), revealed, two are clustered, and the
// wall is shot: the cluster answered, one bear tamed into a follow-up action, one parked.
// Anonymity is checked in the projector's DOM in every phase; screenshots of each screen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  LAPTOP, PHONE, PROJECTOR, assertNoProblems, audit, brokenWords, typedText, newProfile, openWindow,
  relayAndBrowserForSuite, screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop } from './flows.mjs';

const NAMES = ['Anna', 'Bram', 'Cato'];
const BEARS = {
  time: 'Waar haal ik de tijd vandaan om te netwerken?',
  hours: 'Krijgen we uren voor netwerkwerk?',
  money: 'Wie betaalt de gezamenlijke activiteiten?',
  partners: 'Partners haken af na de eerste bijeenkomst',
  manager: 'Steunt mijn leidinggevende dit wel?',
};

/** A participant tab of the same profile: joins with a name; the bear section leads. */
async function joinAs(profile, url, name) {
  const page = await openWindow(profile, url);
  await page.setViewportSize(PHONE);
  page.on('dialog', (dialog) => {
    page.problems.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });
  await page.getByLabel('Je naam (mag leeg)').fill(name);
  await page.getByRole('button', { name: 'Meedoen', exact: true }).click();
  await page.getByRole('heading', { name: 'Beren op de weg' }).waitFor();
  return page;
}

async function addBear(page, text) {
  const before = await page.locator('.p-bears__mine li').count();
  await page.getByLabel('Je beer (vraag, belemmering of zorg)').fill(text);
  await page.getByRole('button', { name: 'Beer toevoegen' }).click();
  await waitFor(`"${text}" in my bears`, async () => (await page.locator('.p-bears__mine li').count()) === before + 1);
}

const texts = async (locator) => (await locator.allTextContents()).map(typedText);

/** Clicks `button` and returns the download's file name and text. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

const withoutTimestamp = (json) => json.replace(/^ {2}"exported_at": ".*",\n/m, '');

/** Fails when any participant's name is anywhere in the page's markup (text or attributes). */
async function assertAnonymous(page, where) {
  const html = await page.content();
  for (const name of NAMES) assert.ok(!html.includes(name), `"${name}" in the projector DOM (${where})`);
}

async function setPhase(console_, name) {
  const step = console_.locator('.bears-phases').getByRole('button', { name });
  await step.click();
  await waitFor(`phase ${name}`, async () => (await step.getAttribute('aria-pressed')) === 'true');
}

describe('berenschiet wall', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('collects five bears from three participants, reveals, clusters and shoots them', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      // Block 4 of the seed is the berenschietsessie.
      await console_.locator('.block-row').nth(3).getByRole('button', { name: /nu starten/ }).click();

      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await projector.locator('[data-testid=bear-count]').waitFor();
      assert.equal(await projector.locator('[data-testid=bear-count]').textContent(), '0');

      const join = `${relay.url}/w/${id}/join`;
      const participants = [];
      for (const name of NAMES) participants.push(await joinAs(profile, join, name));
      const [a, b, c] = participants;
      assert.match(await a.locator('[data-testid=bear-anonymity]').textContent(), /^Anoniem/);
      await addBear(a, BEARS.time);
      await addBear(a, BEARS.money);
      await addBear(b, BEARS.hours);
      await addBear(b, BEARS.partners);
      // Until the reveal a participant edits and withdraws their own bears.
      await addBear(b, 'Dubbel ingevoerd');
      await b.locator('.p-bear', { hasText: 'Dubbel ingevoerd' }).getByRole('button', { name: /^Beer .* intrekken$/ }).click();
      await waitFor('the withdrawn bear to go', async () => (await b.locator('.p-bears__mine li').count()) === 2);
      await addBear(c, 'Steunt mijn leidinggevende dit?');
      const ownId = await c.locator('.p-bear', { hasText: 'Steunt mijn leidinggevende dit?' }).getAttribute('data-bear');
      const own = c.locator(`.p-bear[data-bear="${ownId}"]`);
      await own.getByRole('button', { name: /bewerken$/ }).click();
      await own.locator('textarea').fill(BEARS.manager);
      await own.getByRole('button', { name: 'Opslaan' }).click();
      await waitFor('the edit', async () => (await texts(c.locator('.p-bears__mine .p-bear__text'))).includes(BEARS.manager));

      // Collect: each sees only their own; the projector only the count, no text, no names.
      await waitFor('the projector to count 5', async () =>
        (await projector.locator('[data-testid=bear-count]').textContent()) === '5');
      assert.equal(await projector.locator('.bear-count__label').textContent(), 'beren binnen');
      const collectHtml = await projector.content();
      for (const text of Object.values(BEARS)) assert.ok(!collectHtml.includes(text), `"${text}" on the projector during collect`);
      await assertAnonymous(projector, 'collect');
      assert.deepEqual(await texts(a.locator('.p-bears .p-bear__text')), [BEARS.time, BEARS.money]);
      assert.deepEqual(await texts(b.locator('.p-bears .p-bear__text')), [BEARS.hours, BEARS.partners]);
      assert.equal(await a.locator('[data-testid=p-bears-status]').textContent(), 'Je hebt 2 beren ingeleverd');
      assert.deepEqual(await audit(a), [], 'axe on the participant collect view');
      assert.deepEqual(await audit(projector), [], 'axe on the projector collect view');
      await screenshot(a, 'bears-participant-collect-390');
      await screenshot(projector, 'bears-projector-collect-1920');

      // Console: the Beren tab; the facilitator sees every bear, without names.
      await console_.getByRole('tab', { name: 'Beren' }).click();
      await waitFor('five bears on the console', async () => (await console_.locator('.bear-card').count()) === 5);
      assert.equal(await console_.locator('.bear-card__author').count(), 0);

      await setPhase(console_, 'Onthullen');
      await waitFor('all five on the projector wall', async () => (await projector.locator('.wall-card').count()) === 5);
      assert.deepEqual((await texts(projector.locator('.wall-card__text'))).sort(), Object.values(BEARS).sort());
      await assertAnonymous(projector, 'reveal');
      // After the reveal the phones show the whole wall, and nobody edits their bear any more.
      await waitFor('the wall on a phone', async () => (await a.locator('.p-bears__wall .p-bear').count()) === 5);
      assert.equal(await a.locator('.p-bears').getByRole('button', { name: /bewerken|intrekken/ }).count(), 0);
      assert.equal(await a.locator('#new-bear-text').count(), 0);

      // Cluster: "hours" is stacked onto "time" and the cluster is named.
      await setPhase(console_, 'Clusteren');
      const cardOf = async (text) => {
        const bearId = await projector.locator('.wall-card', { has: projector.getByText(text, { exact: true }) }).last().getAttribute('data-bear');
        return console_.locator(`.bear-card[data-bear="${bearId}"]`);
      };
      await (await cardOf(BEARS.hours)).getByRole('button', { name: /^Stapelen: / }).click();
      await (await cardOf(BEARS.time)).getByRole('button', { name: /^Hierop stapelen/ }).click();
      const clusterTitle = console_.getByLabel('Titel van de cluster');
      await clusterTitle.fill('Tijd en uren');
      await clusterTitle.press('Tab');
      await waitFor('the cluster on the projector', async () =>
        (await projector.locator('.wall-card--cluster .wall-card__cluster').textContent()) === 'Tijd en uren'
        && (await projector.locator('.bear-wall__cards > .wall-card').count()) === 4);
      // Nothing is lost: the stacked bear is still on the wall, in its cluster.
      assert.deepEqual(await texts(projector.locator('.wall-card--cluster .wall-card__stack li')), [BEARS.hours]);
      await assertAnonymous(projector, 'cluster');
      await screenshot(projector, 'bears-projector-wall-1920');

      // Shoot: ] spotlights the first open bear (the cluster), large on the projector.
      await setPhase(console_, 'Schieten');
      await console_.locator('[data-testid=shoot-panel]').waitFor();
      assert.equal(await projector.locator('[data-testid=bear-progress]').textContent(), '5 open');
      await console_.keyboard.press(']');
      await waitFor('the cluster in the spotlight', async () =>
        (await projector.locator('.bear-spotlight .wall-card--large .wall-card__text').textContent()) === BEARS.time);
      assert.deepEqual(await texts(projector.locator('.bear-spotlight .wall-card__stack li')), [BEARS.hours]);
      await assertAnonymous(projector, 'shoot');
      await screenshot(projector, 'bears-projector-shoot-1920');
      await console_.getByLabel('Antwoord van de groep').fill('Plan netwerkwerk als vaste taak in je jaarplan.');
      await console_.getByRole('button', { name: 'Geschoten', exact: true }).click();
      // The cluster's two bears count as shot with it.
      await waitFor('2 shot on the projector', async () =>
        (await projector.locator('[data-testid=bear-progress]').textContent()) === '2 geschoten · 3 open');
      await waitFor('the answer on the projector', async () =>
        (await projector.locator('.bear-spotlight__answer').textContent()).includes('Plan netwerkwerk als vaste taak'));
      await projector.locator('.bear-spotlight .wall-card--large.bear--shot').waitFor();
      assert.deepEqual(await audit(projector), [], 'axe on the projector spotlight');

      // ] again: the next open bear; tame it into an action with owner and due date.
      await console_.keyboard.press(']');
      await waitFor('the next bear', async () =>
        (await console_.locator('[data-testid=spotlight-text]').textContent()) === BEARS.money);
      // Taming needs an owner: the refusal shows next to the control, in Dutch.
      await console_.getByRole('button', { name: 'Temmen', exact: true }).click();
      await waitFor('the owner error', async () =>
        (await console_.locator('[data-testid=shoot-error]').textContent()) === 'Vul een eigenaar in.');
      await console_.getByLabel('Actie (leeg: de tekst van de beer)').fill('Begroting voor netwerkactiviteiten opstellen');
      await console_.getByLabel('Eigenaar').fill('Silvia');
      await console_.getByLabel('Uiterlijk').fill('2026-12-15');
      await console_.getByRole('button', { name: 'Temmen', exact: true }).click();
      // A tamed bear is counted as tamed, not as shot.
      await waitFor('1 tamed', async () =>
        (await projector.locator('[data-testid=bear-progress]').textContent()) === '2 geschoten · 1 getemd · 2 open');
      // The action is a follow-up agreement, linked to the bear, in the workshop itself.
      // Stored: in the snapshot or in a window's journal of ops saved since.
      const stored = await console_.evaluate((id) => Object.keys(localStorage)
        .filter((key) => key === `bijeen.doc.${id}` || key.startsWith(`bijeen.journal.${id}.`))
        .map((key) => localStorage.getItem(key)).join('\n'), id);
      assert.match(stored, /"create_agreement":\{"list":"follow_up","text":"Begroting voor netwerkactiviteiten opstellen","owner":"Silvia","due":"2026-12-15"/);

      // [ goes back; ] forward again skips what is done; park the next one.
      await console_.keyboard.press(']');
      const third = await waitFor('a third bear', async () => {
        const now = await console_.locator('[data-testid=spotlight-text]').textContent();
        return [BEARS.partners, BEARS.manager].includes(now) && now;
      });
      await console_.keyboard.press('[');
      await waitFor('[ to go to the other open bear', async () => {
        const now = await console_.locator('[data-testid=spotlight-text]').textContent();
        return [BEARS.partners, BEARS.manager].includes(now) && now !== third;
      });
      await console_.keyboard.press(']');
      await waitFor('] back to the partners bear', async () =>
        (await console_.locator('[data-testid=spotlight-text]').textContent()) === BEARS.partners);
      await console_.getByRole('button', { name: 'Parkeren', exact: true }).click();
      await waitFor('1 parked', async () =>
        (await projector.locator('[data-testid=bear-progress]').textContent()) === '2 geschoten · 1 getemd · 1 geparkeerd · 1 open');
      await waitFor('the console counter', async () =>
        (await console_.locator('[data-testid=bears-status]').textContent()) === '5 beren binnen · 2 geschoten · 1 getemd · 1 geparkeerd · 1 open');
      await waitFor('the phone counter', async () =>
        (await a.locator('[data-testid=p-bears-status]').textContent()) === '2 geschoten · 1 getemd · 1 geparkeerd · 1 open');
      // The phone shows what became of each bear, with the action.
      await waitFor('the action on a phone', async () =>
        (await texts(c.locator('.p-bear__action'))).some((t) => t.includes('Begroting voor netwerkactiviteiten opstellen — Silvia, uiterlijk 2026-12-15')));

      // Closed: the summary per status, with answers and actions; still no names.
      await setPhase(console_, 'Afgesloten');
      await projector.locator('[data-testid=bear-summary]').waitFor();
      const column = (status) => projector.locator(`.bear-summary__column[data-status=${status}]`);
      assert.deepEqual(await texts(column('shot').locator('.bear-summary__text')), [`Tijd en uren: ${BEARS.time}`]);
      assert.deepEqual(await texts(column('shot').locator('.bear-summary__stack li')), [BEARS.hours]);
      assert.deepEqual(await texts(column('shot').locator('.bear-summary__answer')),
        ['Antwoord: Plan netwerkwerk als vaste taak in je jaarplan.']);
      assert.deepEqual(await texts(column('tamed').locator('.bear-summary__text')), [BEARS.money]);
      assert.deepEqual(await texts(column('tamed').locator('.bear-summary__action')),
        ['Actie: Begroting voor netwerkactiviteiten opstellen — Silvia, uiterlijk 2026-12-15']);
      assert.deepEqual(await texts(column('parked').locator('.bear-summary__text')), [BEARS.partners]);
      assert.deepEqual(await texts(column('open').locator('.bear-summary__text')), [BEARS.manager]);
      assert.deepEqual(await texts(projector.locator('.bear-summary__count')), ['1', '1', '1', '1']);
      // One bear per column on a screen that is otherwise empty: large type, still all on
      // the screen, and no word cut in two.
      const summary = await projector.evaluate(() => ({
        size: Math.min(...[...document.querySelectorAll('.bear-summary__item')].map((t) => parseFloat(getComputedStyle(t).fontSize))),
        smallest: Math.min(...[...document.querySelectorAll('.bear-summary__text')].map((t) => parseFloat(getComputedStyle(t).fontSize))),
        bottom: Math.max(...[...document.querySelectorAll('.bear-summary__item')].map((i) => i.getBoundingClientRect().bottom)),
      }));
      assert.ok(summary.size >= 36, `the summary's bears are ${summary.size}px`);
      // A bear with a long word ("leidinggevende") is smaller, never below 24 px.
      assert.ok(summary.smallest >= 24, `the smallest bear is ${summary.smallest}px`);
      assert.ok(summary.bottom <= 1080, `the summary ends at ${summary.bottom}px`);
      assert.deepEqual(await brokenWords(projector, '.bear-summary'), []);
      assert.equal(await projector.locator('[data-testid=bear-progress]').textContent(), '2 geschoten · 1 getemd · 1 geparkeerd · 1 open');
      await assertAnonymous(projector, 'closed');
      assert.deepEqual(await audit(projector), [], 'axe on the projector summary');
      assert.deepEqual(await audit(console_), [], 'axe on the console bears tab');
      await screenshot(projector, 'bears-projector-closed-1920');
      // The shortcuts of the shoot phase are listed in the console's help.
      await console_.keyboard.press('?');
      await console_.getByRole('dialog').getByText('Volgende open beer').waitFor();
      await console_.keyboard.press('Escape');
      await console_.locator('#panel-bears').scrollIntoViewIfNeeded();
      await screenshot(console_, 'bears-console-1366');
      // The tamed bear's action is a follow-up in the Afspraken tab, linked back to its bear.
      await console_.getByRole('tab', { name: 'Afspraken' }).click();
      const tamed = console_.locator('#panel-agreements .oc-item', { hasText: 'Begroting voor netwerkactiviteiten opstellen' });
      await tamed.waitFor();
      assert.equal(await tamed.locator('.oc-item__bear').textContent(), `Getemde beer: “${BEARS.money}”`);

      // Issue 7's round trip with the bears in it: export JSON, import it in a fresh
      // profile, export again: the same bytes apart from the time of export, and the
      // report there has the bears per status with the answer and the action.
      await console_.getByRole('tab', { name: 'Export' }).click();
      const json = await download(console_, console_.getByRole('button', { name: 'JSON exporteren' }).last());
      const fresh = await newProfile(browser, LAPTOP);
      try {
        const home = await openWindow(fresh, `${relay.url}/`);
        await home.locator('#import-file').setInputFiles({ name: json.name, mimeType: 'application/json', buffer: Buffer.from(json.text) });
        await home.locator('.banner--ok').waitFor();
        await home.locator('.workshop-list tbody tr').first().waitFor();
        const again = await download(home, home.getByRole('button', { name: /^JSON exporteren/ }).first());
        assert.equal(withoutTimestamp(again.text), withoutTimestamp(json.text));
        await home.getByRole('link', { name: /^Openen/ }).first().click();
        await home.locator('.block-row').first().waitFor();
        await home.getByRole('tab', { name: 'Export' }).click();
        const md = await download(home, home.getByRole('button', { name: 'Verslag downloaden (Markdown)' }));
        for (const expected of [BEARS.time, 'Plan netwerkwerk als vaste taak', BEARS.money,
          'Begroting voor netwerkactiviteiten opstellen', BEARS.partners]) {
          assert.ok(md.text.includes(expected), `the imported report has ${JSON.stringify(expected)}`);
        }
        for (const name of NAMES) assert.ok(!md.text.includes(name), `"${name}" in the report of an anonymous wall`);
        assertNoProblems(home);
      } finally {
        await fresh.close();
      }
      for (const page of [console_, projector, ...participants]) assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });
});
