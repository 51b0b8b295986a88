// Issue "Brainstorm board by theme group, and the participant view": a facilitator console,
// a projector and three participant windows of one browser profile (each tab is its own
// participant) in two theme groups; hide until reveal, dot voting with a budget, results
// sorted by votes, moderation, a note that looks like HTML, and screenshots.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LAPTOP, PHONE, PROJECTOR, assertNoProblems, audit, newProfile, openWindow,
  brokenWords, relayAndBrowserForSuite, typedText, screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop } from './flows.mjs';

const XSS = '<img src=x onerror=alert(1)>';
const CATEGORY = {
  partner: 'Netwerkpartner', network: 'Bestaand netwerk', form: 'Samenwerkingsvorm', activity: 'Activiteit',
};

/** Console: the Brainstorm tab, reached with the keyboard (arrow key on the tab list). */
async function openBrainstormTab(page) {
  await page.getByRole('tab', { name: 'Programma' }).focus();
  await page.keyboard.press('ArrowRight');
  await waitFor('the Brainstorm tab to be selected', async () =>
    (await page.getByRole('tab', { name: 'Brainstorm' }).getAttribute('aria-selected')) === 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-brainstorm');
  await page.locator('#panel-brainstorm').waitFor({ state: 'visible' });
}

/** Console: start agenda block `index` (0-based) with its ▶ button on the Programma tab. */
async function startBlock(page, index) {
  await page.getByRole('tab', { name: 'Programma' }).click();
  await page.locator('.block-row').nth(index).getByRole('button', { name: /nu starten/ }).click();
  await page.getByRole('tab', { name: 'Brainstorm' }).click();
}

/** Renames the template's theme groups; returns their ids in order. */
async function nameGroups(page, names) {
  const rows = page.locator('.bs-group-row');
  await waitFor('the template groups', async () => (await rows.count()) === 3);
  for (const [i, name] of names.entries()) {
    const input = rows.nth(i).locator('input[type=text]');
    await input.fill(name);
    await input.press('Enter');
    await input.blur();
  }
  return rows.evaluateAll((items) => items.map((item) => item.dataset.group));
}

/** A participant tab of the same profile: joins with a name (or anonymously) and a group. */
async function joinAs(profile, url, { name, group }) {
  const page = await openWindow(profile, url);
  await page.setViewportSize(PHONE);
  page.on('dialog', (dialog) => {
    page.problems.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });
  if (name) {
    await page.getByLabel('Je naam (mag leeg)').fill(name);
    await page.locator('#join-group').selectOption(group);
    await page.getByRole('button', { name: 'Meedoen', exact: true }).click();
  } else {
    await page.getByRole('button', { name: 'Anoniem meedoen' }).click();
    await page.locator('#my-group').selectOption(group);
  }
  await page.locator('[data-testid=joined-as]').waitFor();
  return page;
}

async function addNote(page, category, text) {
  await page.locator('.note-form').getByText(CATEGORY[category], { exact: true }).click();
  assert.equal(await page.getByRole('radio', { name: CATEGORY[category] }).isChecked(), true);
  await page.getByLabel('Tekst van het geeltje').first().fill(text);
  await page.getByRole('button', { name: 'Geeltje plakken' }).click();
}

/** The id of the note showing `text` on `page` (ids are the same in every window). */
const noteId = (page, text) => page.locator('[data-note]', { has: page.getByText(text, { exact: true }) }).last().getAttribute('data-note');

const noteTexts = async (page, scope) => (await page.locator(`${scope} .p-note__text, ${scope} .board-note__text`).allTextContents())
  .map(typedText);

describe('brainstorm board and participant view', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('runs a brainstorm with three participants in two groups, reveal, voting and moderation', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      await openBrainstormTab(console_);
      const [jeugd, ouderen] = await nameGroups(console_, ['Jeugd', 'Ouderen']);
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      await console_.getByLabel('Verbergen tot onthullen').check();
      await waitFor('the board status', async () =>
        /open voor geeltjes.*verborgen tot onthullen/.test(await console_.locator('[data-testid=board-status]').textContent()));
      // Block 3 of the seed is the brainstorm; the projector shows the board while it runs.
      await startBlock(console_, 2);

      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await projector.locator('.board').waitFor();
      assert.deepEqual((await projector.locator('.board-column__name').allTextContents()).slice(0, 2), ['Jeugd', 'Ouderen']);

      const join = `${relay.url}/w/${id}/join`;
      const anna = await joinAs(profile, join, { name: 'Anna', group: jeugd });
      const bram = await joinAs(profile, join, { name: 'Bram', group: jeugd });
      const cato = await joinAs(profile, join, { name: '', group: ouderen });
      assert.equal(await cato.locator('[data-testid=joined-as]').textContent(), 'Je doet anoniem mee');
      // The current block and the time left are at the top of the phone.
      assert.match(await anna.locator('[data-testid=participant-block]').textContent(), /^Brainstorm mogelijke netwerkpartners/);
      assert.match(await anna.locator('.now-bar .countdown__digits').textContent(), /^\d+:\d\d$/);

      await addNote(anna, 'partner', 'Bibliotheek Noord');
      await addNote(anna, 'network', 'Leesnetwerk West-Friesland');
      await addNote(bram, 'form', 'Samen een leesclub');
      await addNote(bram, 'activity', 'Voorleesuur in het buurthuis');
      await addNote(cato, 'partner', 'Buurthuis De Brug');
      await addNote(cato, 'activity', XSS);

      // Hidden until reveal: everyone sees only their own notes; the others are counted.
      await waitFor('Bram to see only his own notes', async () =>
        (await noteTexts(bram, '.group-notes')).length === 2
        && /2 geeltjes wachten op onthullen/.test(await bram.locator('[data-testid=withheld]').textContent()));
      assert.deepEqual(await noteTexts(anna, '.group-notes'), ['Bibliotheek Noord', 'Leesnetwerk West-Friesland']);
      await waitFor('the projector to withhold the notes', async () =>
        (await projector.locator('.board-note').count()) === 0
        && (await projector.locator('.board-column__withheld').count()) === 2);
      // The facilitator sees everything, with its category named.
      await waitFor('the console to list all six notes', async () => (await console_.locator('.mod-note').count()) === 6);

      await console_.getByRole('button', { name: 'Onthullen' }).click();
      await waitFor('Bram to see the group after the reveal', async () =>
        (await noteTexts(bram, '.group-notes')).length === 4);
      // Each note in its own group's column on the projector, category named.
      await waitFor('the projector columns', async () => {
        const a = await noteTexts(projector, `[data-column="${jeugd}"]`);
        const b = await noteTexts(projector, `[data-column="${ouderen}"]`);
        return a.length === 4 && b.length === 2 ? [a, b] : false;
      });
      assert.deepEqual((await noteTexts(projector, `[data-column="${jeugd}"]`)).sort(),
        ['Bibliotheek Noord', 'Leesnetwerk West-Friesland', 'Samen een leesclub', 'Voorleesuur in het buurthuis']);
      assert.deepEqual(await noteTexts(projector, `[data-column="${ouderen}"]`), ['Buurthuis De Brug', XSS]);
      const badges = await projector.locator('.board-note .category-badge').allTextContents();
      for (const name of Object.values(CATEGORY)) assert.ok(badges.includes(name), `badge ${name} on the projector`);
      // The HTML-looking note is text: no image element was made from it, no script ran.
      assert.equal(await projector.locator('.board img, .group-notes img').count(), 0);
      assert.equal(await cato.locator('.group-notes img').count(), 0);
      assert.deepEqual(await noteTexts(cato, '.group-notes'), ['Buurthuis De Brug', XSS]);

      // Own notes only: Anna gets edit/delete on hers, not on Bram's.
      const bramsNote = anna.locator('.p-note', { hasText: 'Samen een leesclub' });
      await bramsNote.waitFor();
      assert.equal(await bramsNote.getByRole('button', { name: /bewerken|verwijderen/ }).count(), 0);
      const annasId = await anna.locator('.p-note', { hasText: 'Bibliotheek Noord' }).getAttribute('data-note');
      const annasNote = anna.locator(`.p-note[data-note="${annasId}"]`);
      await annasNote.getByRole('button', { name: /bewerken/ }).click();
      await annasNote.locator('textarea').fill('Bibliotheek Noord en Zuid');
      await annasNote.getByRole('button', { name: 'Opslaan' }).click();
      await waitFor('the edit on the projector', async () =>
        (await noteTexts(projector, `[data-column="${jeugd}"]`)).includes('Bibliotheek Noord en Zuid'));

      // Domain errors next to the control, in the active language.
      await anna.getByLabel('Tekst van het geeltje').first().fill('   ');
      await anna.getByRole('button', { name: 'Geeltje plakken' }).click();
      await waitFor('the empty-note error', async () =>
        (await anna.locator('[data-testid=note-form-error]').textContent()) === 'Schrijf eerst iets op het geeltje.');
      await console_.getByRole('button', { name: 'Bord sluiten' }).click();
      await addNote(anna, 'activity', 'Te laat');
      await waitFor('the board-closed error', async () =>
        (await anna.locator('[data-testid=note-form-error]').textContent()) === 'Het bord is gesloten.');
      // The refusal was about that note: writing the next one clears it.
      await anna.getByLabel('Tekst van het geeltje').first().fill('Nog een');
      await waitFor('the error cleared', async () =>
        (await anna.locator('[data-testid=note-form-error]').textContent()) === '');
      await anna.getByLabel('Tekst van het geeltje').first().fill('');

      // Dot voting: three dots each, one per note; the fourth is refused with a message.
      await console_.getByRole('button', { name: 'Stemmen openen' }).click();
      await waitFor('the dots on Anna\'s phone', async () =>
        (await anna.locator('[data-testid=votes-left]').textContent()).includes('3 van 3 stippen over'));
      const vote = (page, text) => page.locator('.p-note', { hasText: text }).getByRole('button', { name: /^\+ stip op/ }).click();
      await vote(anna, 'Voorleesuur in het buurthuis');
      await waitFor('2 of 3 left', async () =>
        (await anna.locator('[data-testid=votes-left]').textContent()).includes('2 van 3 stippen over'));
      await vote(anna, 'Samen een leesclub');
      await vote(anna, 'Leesnetwerk West-Friesland');
      await waitFor('0 of 3 left', async () =>
        (await anna.locator('[data-testid=votes-left]').textContent()).includes('0 van 3 stippen over'));
      await vote(anna, 'Bibliotheek Noord en Zuid');
      const refused = anna.locator('.p-note', { hasText: 'Bibliotheek Noord en Zuid' }).locator('.field-error', { hasText: 'stippen' });
      await waitFor('the fourth dot to be refused', async () =>
        (await refused.count()) === 1 && (await refused.textContent()) === 'Je hebt al je 3 stippen gebruikt.');
      await vote(bram, 'Voorleesuur in het buurthuis');
      await vote(bram, 'Samen een leesclub');
      // Cato moves to the other theme group and votes there.
      await cato.locator('#my-group').selectOption(jeugd);
      await vote(cato, 'Voorleesuur in het buurthuis');
      await waitFor('Cato\'s dot to count', async () =>
        (await cato.locator('[data-testid=votes-left]').textContent()).includes('2 van 3'));
      // Nothing counted on the projector while voting is open.
      assert.equal(await projector.locator('.board-note__votes').count(), 0);

      await console_.getByRole('button', { name: 'Stemmen sluiten' }).click();
      await waitFor('the projector to sort the results', async () => {
        const texts = await noteTexts(projector, `[data-column="${jeugd}"]`);
        const votes = await projector.locator(`[data-column="${jeugd}"] .board-note__votes`).allTextContents();
        return texts[0] === 'Voorleesuur in het buurthuis' && texts[1] === 'Samen een leesclub'
          && votes[0] === '3 stemmen' && votes[1] === '2 stemmen';
      });
      // The refusal belonged to the round: it is gone with it.
      await waitFor('the dot refusal to go when voting closes', async () =>
        (await anna.getByText('Je hebt al je 3 stippen gebruikt.').count()) === 0);
      // The console draws the results as bars.
      await waitFor('the console bars', async () => (await console_.locator('.vote-result__bar').count()) === 6);
      const counters = await console_.locator('[data-testid=counters]').textContent();
      assert.match(counters, /Jeugd4/);
      assert.match(counters, /Aangemeld3/);

      // Moderation: hide a note (gone from the projector and the phones), stack two.
      const modNote = async (text) => console_.locator(`.mod-note[data-note="${await noteId(projector, text)}"]`);
      const brug = await noteId(projector, 'Buurthuis De Brug');
      await console_.locator(`.mod-note[data-note="${brug}"]`).getByRole('button', { name: /verbergen$/ }).click();
      await waitFor('the hidden note to leave the projector', async () =>
        !(await noteTexts(projector, `[data-column="${ouderen}"]`)).includes('Buurthuis De Brug'));
      await (await modNote('Samen een leesclub')).getByRole('button', { name: /^Stapelen: .* op een ander geeltje/ }).click();
      await console_.locator('.bs-moderation__picking').waitFor();
      const target = await modNote('Voorleesuur in het buurthuis');
      await target.getByRole('button', { name: /^Hierop stapelen/ }).click();
      const cluster = console_.getByLabel('Titel van de stapel');
      await cluster.fill('Lezen in de wijk');
      await cluster.press('Tab');
      await waitFor('the cluster on the projector', async () =>
        (await projector.locator('.board-note--cluster .board-note__cluster').textContent()) === 'Lezen in de wijk');

      // Axe: no serious or critical violations on any screen.
      for (const [name, page] of [['console', console_], ['projector', projector], ['participant', anna]]) {
        assert.deepEqual(await audit(page), [], `axe on the ${name}`);
      }
      // The phone: nothing sticks out on either side, and once scrolled the now-bar is the
      // one bar at the top (it used to cover the sticky header, leaving navy slivers).
      await anna.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      const phone = await anna.evaluate(() => {
        const outside = [...document.querySelectorAll('body *')].filter((el) => {
          const box = el.getBoundingClientRect();
          return box.width > 0 && (box.left < -0.5 || box.right > innerWidth + 0.5);
        }).map((el) => el.className);
        const bar = document.querySelector('.now-bar').getBoundingClientRect();
        const header = document.querySelector('.app-header').getBoundingClientRect();
        return { width: document.documentElement.scrollWidth, outside, barTop: bar.top, overlap: header.bottom > bar.top + 0.5 && header.top < bar.bottom };
      });
      assert.deepEqual(phone.outside, [], 'no element outside the 390 px phone');
      assert.equal(phone.width, 390);
      assert.equal(phone.barTop, 0, 'the now-bar stays at the top');
      assert.equal(phone.overlap, false, 'the header does not sit under the now-bar');
      await screenshot(anna, 'participant-390');
      await screenshot(console_, 'console-brainstorm-1366');
      for (const page of [console_, projector, anna, bram, cato]) assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });

  it('leads a phone with what the block is about while no board is open for it', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      await openBrainstormTab(console_);
      const [group] = await nameGroups(console_, ['Jeugd']);
      // Block 2 of the seed: the six examples, discussed in plenary; no board is open.
      await startBlock(console_, 1);
      const anna = await joinAs(profile, `${relay.url}/w/${id}/join`, { name: 'Anna', group });
      const about = anna.locator('[data-testid=block-about]');
      await about.waitFor();
      assert.match(await anna.locator('[data-testid=participant-block]').textContent(), /^Bespreken van aansprekende voorbeelden/);
      assert.equal(await about.locator('.block-about__examples li').count(), 6);
      assert.match(await about.textContent(), /Hierna: Brainstorm mogelijke netwerkpartners/);
      const top = async (selector) => (await anna.locator(selector).boundingBox()).y;
      assert.ok((await top('[data-testid=block-about]')) < (await top('.note-form')), 'the block comes before the note form');
      // Right under the bar at the top, on the first screen.
      const box = await about.boundingBox();
      assert.ok(box.y < PHONE.height / 2, `the block's section starts at ${box.y}px`);
      assert.deepEqual(await audit(anna), []);
      await screenshot(anna, 'participant-block-about-390');
      // The projector's agenda strip reads past the third row: 24 px or more at 1080 px.
      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await projector.locator('.agenda-strip__item--current').waitFor();
      const strip = await projector.evaluate(() => [...document.querySelectorAll('.agenda-strip__title')]
        .map((title) => parseFloat(getComputedStyle(title).fontSize)));
      assert.equal(strip.length, 7);
      assert.ok(Math.min(...strip) >= 24, `the agenda strip is ${Math.min(...strip)}px`);
      await screenshot(projector, 'projector-examples-strip-1920');
      assert.ok(await projector.evaluate(() => document.documentElement.scrollHeight <= innerHeight), 'the projector does not scroll');
      // Opening the board brings the note form back to the top.
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      await waitFor('the note form to lead', async () => (await top('.note-form')) < (await top('[data-testid=block-about]')));
      assertNoProblems(anna);
    } finally {
      await profile.close();
    }
  });

  it('shows 60 notes on the projector at 1920×1080', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      await openBrainstormTab(console_);
      const groups = await nameGroups(console_, ['Jeugd en onderwijs', 'Ouderen en zorg', 'Cultuur en erfgoed']);
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      await startBlock(console_, 2);
      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await projector.locator('.board').waitFor();
      const join = `${relay.url}/w/${id}/join`;
      // With the seed's long words, which Chromium on Linux (no Dutch hyphenation) broke
      // mid-word ("Voorleesochte|nd").
      const ideas = [
        ['partner', 'Basisschool De Regenboog'], ['network', 'Netwerk laaggeletterdheid'], ['form', 'Boekenproeverij'],
        ['activity', 'Voorleesochtend'], ['partner', 'Consultatiebureau'], ['network', 'Heerhugowaard'],
        ['form', 'Functioneringscyclus bespreken'], ['activity', 'Digitaal café voor senioren'],
        ['partner', 'Historische vereniging'], ['activity', 'Erfgoedwandeling'],
      ];
      const kinds = Object.keys(CATEGORY);
      for (const [g, group] of groups.entries()) {
        const page = await joinAs(profile, join, { name: `Deelnemer ${g + 1}`, group });
        for (let n = 0; n < 20; n += 1) {
          const [category, text] = ideas[(n + g * 3) % ideas.length];
          await addNote(page, n < 4 ? kinds[n] : category, `${text} ${n + 1}`);
        }
        await page.close();
      }
      await waitFor('60 notes on the projector', async () => (await projector.locator('.board-note').count()) === 60,
        { timeout: 15_000 });
      assert.deepEqual(await audit(projector), []);
      // All sixty fit on the screen, no note clipped at the bottom or the side, and the
      // text stays large enough to read from the back of the room (at least 18 px here).
      const fit = await projector.evaluate(() => {
        const notes = [...document.querySelectorAll('.board-note')].map((n) => n.getBoundingClientRect());
        const badges = [...document.querySelectorAll('.board-note .category-badge')]
          .filter((b) => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > b.closest('.board-note').getBoundingClientRect().right + 0.5).length;
        const size = parseFloat(getComputedStyle(document.querySelector('.board-note__text')).fontSize);
        return { bottom: Math.max(...notes.map((b) => b.bottom)), right: Math.max(...notes.map((b) => b.right)), badges, size, scroll: document.documentElement.scrollHeight };
      });
      assert.ok(fit.bottom <= PROJECTOR.height, `notes end at ${fit.bottom}px, below the screen`);
      assert.ok(fit.right <= PROJECTOR.width, `notes end at ${fit.right}px, beyond the screen`);
      assert.ok(fit.scroll <= PROJECTOR.height, 'the projector page does not scroll');
      assert.equal(fit.badges, 0, 'every category badge fits its note');
      assert.ok(fit.size >= 18, `note text is ${fit.size}px`);
      // No word is split over two lines (a card with a long word gets a smaller size), and
      // such a card stays readable.
      assert.deepEqual(await brokenWords(projector, '.board-note__text, .board-note__stacked, .board-note__cluster'), []);
      const smallest = await projector.evaluate(() =>
        Math.min(...[...document.querySelectorAll('.board-note__text')].map((t) => parseFloat(getComputedStyle(t).fontSize))));
      assert.ok(smallest >= 16, `the smallest note text is ${smallest}px`);
      await screenshot(projector, 'projector-board-1920');
      assertNoProblems(projector);
    } finally {
      await profile.close();
    }
  });
});
