// Issue 7 "Agreements, community plans, and the outcomes export": a short scenario (notes,
// votes, agreements with reorder, tick-off and undo, a community plan grown from a note),
// the projector and the participant's phone while the closing block runs, then every
// export: JSON re-imported in a fresh profile and exported again (identical apart from
// `exported_at`), the Markdown report, the print view printed to PDF, the CSV parsed back,
// and each kind of bad import refused with its own message. Issue 16: the follow-up actions
// with an owner and a due date as a calendar file (.ics), parsed back with ical.js.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import {
  LAPTOP, PHONE, PROJECTOR, SCREENSHOT_DIR, assertNoProblems, audit, newProfile, openWindow,
  relayAndBrowserForSuite, screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop } from './flows.mjs';

const NOTE_TRICKY = 'Leeuwarden–Fryslân, "samen" lezen\nmet de muziekschool';
const NOTE_TOP = 'Leesclub met het buurthuis';
const NOTE_PLAIN = 'Taalcafé in de wijk';
const NAME = /^werken-in-netwerken-\d{4}-\d{2}-\d{2}\.(json|md|csv)$/;

/** A strict RFC 4180 reader (quotes, doubled quotes, commas and CRLF inside fields). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; i += 1;
    } else field += c;
  }
  assert.equal(field + row.join(''), '', 'the last CSV line ends with CRLF');
  return rows;
}

/** Clicks `button` and returns the download's file name and text. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  return { name: file.suggestedFilename(), text: readFileSync(await file.path(), 'utf8') };
}

async function openTab(page, name) {
  await page.getByRole('tab', { name }).click();
  await waitFor(`the ${name} tab`, async () =>
    (await page.getByRole('tab', { name }).getAttribute('aria-selected')) === 'true');
}

async function startBlock(page, index) {
  await openTab(page, 'Programma');
  await page.locator('.block-row').nth(index).getByRole('button', { name: /nu starten/ }).click();
}

async function joinAs(profile, url, name) {
  const page = await openWindow(profile, url);
  await page.setViewportSize(PHONE);
  await page.getByLabel('Je naam (mag leeg)').fill(name);
  await page.getByRole('button', { name: 'Meedoen', exact: true }).click();
  await page.locator('[data-testid=joined-as]').waitFor();
  return page;
}

async function addNote(page, text) {
  await page.locator('.note-form').getByText('Activiteit', { exact: true }).click();
  await page.getByLabel('Tekst van het geeltje').first().fill(text);
  await page.getByRole('button', { name: 'Geeltje plakken' }).click();
}

/** Adds an item to one of the three lists of the Afspraken tab. */
async function addItem(page, list, { text, owner = '', due = '' }) {
  const panel = page.locator(`.oc-list[data-list="${list}"]`);
  await panel.getByLabel('Nieuw punt').fill(text);
  await panel.getByLabel('Wie').last().fill(owner);
  if (due) await panel.getByLabel('Wanneer klaar').last().fill(due);
  await panel.getByRole('button', { name: 'Toevoegen' }).click();
  await waitFor(`“${text}” in ${list}`, async () =>
    (await itemTexts(page, list)).includes(text));
}

const itemTexts = (page, list) => page.locator(`.oc-list[data-list="${list}"] .oc-item__text input`)
  .evaluateAll((inputs) => inputs.map((input) => input.value));

/** The events of an .ics file as ical.js reads them, in file order. */
function calendarEvents(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, 'vcalendar');
  return calendar.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      start: event.startDate,
      end: event.endDate,
    };
  });
}

/** The export without its `exported_at` line: what must be identical after a round trip. */
const withoutTimestamp = (json) => json.replace(/^ {2}"exported_at": ".*",\n/m, '');

describe('agreements, community plans and the outcomes export', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('runs a scenario, exports it every way, and re-imports it in a fresh profile', async () => {
    const profile = await newProfile(browser, LAPTOP);
    const fresh = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);

      // Notes and votes on the brainstorm board.
      await openTab(console_, 'Brainstorm');
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      const anna = await joinAs(profile, `${relay.url}/w/${id}/join`, 'Anna');
      const bram = await joinAs(profile, `${relay.url}/w/${id}/join`, 'Bram');
      await addNote(anna, NOTE_TRICKY);
      await addNote(anna, NOTE_TOP);
      await addNote(bram, NOTE_PLAIN);
      await waitFor('three notes on the console', async () => (await console_.locator('.mod-note').count()) === 3);
      await console_.getByRole('button', { name: 'Stemmen openen' }).click();
      const vote = (page, text) => page.locator('.p-note', { hasText: text }).getByRole('button', { name: /^\+ stip op/ }).click();
      await waitFor('voting on Bram\'s phone', async () =>
        (await bram.locator('[data-testid=votes-left]').textContent()).includes('3 van 3'));
      await vote(bram, NOTE_TOP);
      await waitFor('Bram\'s dot', async () => (await bram.locator('[data-testid=votes-left]').textContent()).includes('2 van 3'));
      await vote(anna, NOTE_TOP);
      await waitFor('Anna\'s dot', async () => (await anna.locator('[data-testid=votes-left]').textContent()).includes('2 van 3'));
      await console_.getByRole('button', { name: 'Stemmen sluiten' }).click();

      // The three lists: add, reorder, tick off, move between lists, delete with undo.
      await openTab(console_, 'Afspraken');
      await addItem(console_, 'agreements', { text: 'Pitch aanscherpen', owner: 'Anneke', due: '2026-12-15' });
      await addItem(console_, 'agreements', { text: 'Netwerkgesprek voeren', owner: 'Bram' });
      await addItem(console_, 'agreements', { text: 'Wordt een open eindje' });
      await addItem(console_, 'open-ends', { text: 'Wie betaalt de koffie?' });
      await addItem(console_, 'follow-up', { text: 'Verslag rondsturen', owner: 'Silvia', due: '2026-12-01' });
      await console_.getByRole('button', { name: '„Netwerkgesprek voeren” omhoog' }).click();
      await waitFor('the reordered agreements', async () =>
        (await itemTexts(console_, 'agreements')).join('|') === 'Netwerkgesprek voeren|Pitch aanscherpen|Wordt een open eindje');
      await console_.getByRole('checkbox', { name: 'Afgerond: Pitch aanscherpen' }).check();
      await console_.getByLabel('Naar lijst: Wordt een open eindje').selectOption('open-ends');
      await waitFor('the item moved to the open ends', async () =>
        (await itemTexts(console_, 'open-ends')).join('|') === 'Wie betaalt de koffie?|Wordt een open eindje');
      await console_.getByRole('button', { name: 'Verwijder: Wie betaalt de koffie?' }).click();
      await waitFor('the deleted item gone', async () => (await itemTexts(console_, 'open-ends')).length === 1);
      await console_.locator('.oc-list[data-list="open-ends"]').getByRole('button', { name: 'Ongedaan maken' }).click();
      await waitFor('the item back after undo', async () =>
        (await itemTexts(console_, 'open-ends')).includes('Wie betaalt de koffie?'));
      // A domain error next to the control, in the active language.
      const followUp = console_.locator('.oc-list[data-list="follow-up"]');
      await followUp.getByRole('button', { name: 'Toevoegen' }).click();
      await waitFor('the empty-item error', async () =>
        (await followUp.locator('.oc-add + .field-error').textContent()) === 'Vul de tekst van het punt in.');

      // A community plan grown from the most-voted note; its broken lessons in plain words.
      const idea = console_.locator('.oc-idea').first();
      assert.match(await idea.textContent(), new RegExp(`${NOTE_TOP}.*2 stemmen`));
      await console_.getByRole('button', { name: `Plan maken van: ${NOTE_TOP}` }).click();
      const plan = console_.locator('.oc-plan').first();
      await plan.waitFor();
      assert.match(await plan.locator('.oc-plan__source').textContent(), new RegExp(NOTE_TOP));
      const warnings = () => plan.locator('.oc-plan__warnings li').allTextContents();
      await waitFor('four broken lessons', async () => (await warnings()).length === 4);
      const fill = async (label, value) => {
        const input = plan.getByLabel(label, { exact: true });
        await input.fill(value);
        await input.press('Tab');
      };
      await fill('Partners', 'Buurthuis De Brug, Muziekschool');
      await fill('Bouwer (collega)', 'Anneke');
      await fill('Verbinder (collega)', 'Bram');
      await fill('Andere bibliotheekcollega\'s', 'Carla, Dirk');
      await fill('Beginfase in maanden', '6');
      await waitFor('the plan\'s warnings', async () => {
        const now = await warnings();
        return now.length === 4
          && now.some((w) => /Niemand is aanjager/.test(w))
          && now.some((w) => /4 bibliotheekcollega's/.test(w))
          && now.some((w) => /geen meetbaar doel/.test(w))
          && now.some((w) => /6 maanden is te kort/.test(w));
      });
      await fill('Doel: aantal leden', '-5');
      await waitFor('the number refused', async () =>
        (await plan.locator('.field-error').textContent()) === 'Vul een heel getal in, of laat het leeg.');
      await fill('Doel: aantal leden', '20');
      await fill('Aanjager (collega)', 'Anneke');
      await fill('Andere bibliotheekcollega\'s', 'Carla');
      await fill('Beginfase in maanden', '12');
      await plan.locator('.oc-plan__ok').waitFor();
      await fill('Beginfase in maanden', '9');
      await waitFor('one warning left', async () => (await warnings()).join() === 'Een beginfase van 9 maanden is te kort. Trek er minstens een jaar voor uit.');
      assert.deepEqual(await audit(console_), []);
      // Below the sticky header.
      await console_.locator('.oc-lists').evaluate((lists) => window.scrollTo(0, lists.getBoundingClientRect().top + window.scrollY - 80));
      await screenshot(console_, 'outcomes-console-lists-1366');
      await plan.evaluate((card) => card.scrollIntoView({ block: 'end' }));
      await screenshot(console_, 'outcomes-console-plan-1366');

      // The closing block runs: the projector shows the lists, phones the assignment.
      await startBlock(console_, 5);
      const projector = await openWindow(profile, `${relay.url}/w/${id}/present`);
      await projector.setViewportSize(PROJECTOR);
      await projector.locator('.oc-projector').waitFor();
      await waitFor('the projector lists', async () =>
        (await projector.locator('.oc-list--agreements li').allTextContents()).join('|').includes('Netwerkgesprek voeren'));
      assert.match(await projector.locator('.oc-list--follow-up').textContent(), /Verslag rondsturen.*Silvia · 2026-12-01/);
      assert.equal(await projector.locator('.oc-projector__done').count(), 1);
      assert.match(await projector.locator('.oc-projector__practical').textContent(), /Aanscherpen eigen pitch en netwerkgesprek/);
      assert.deepEqual(await audit(projector), []);
      await screenshot(projector, 'outcomes-projector-1920');
      await anna.locator('.oc-assignment').waitFor();
      assert.match(await anna.locator('.oc-assignment').textContent(), /Aanscherpen eigen pitch en netwerkgesprek/);
      // The phone leads with the assignment now, not with the note form.
      const top = async (selector) => (await anna.locator(selector).boundingBox()).y;
      // The lead follows the block's op, which may reach the phone after the assignment shows.
      await waitFor('the assignment to come before the note form', async () =>
        (await top('.oc-assignment')) < (await top('.note-form')));
      await anna.locator('.oc-assignment').evaluate((section) => section.scrollIntoView({ block: 'center' }));
      await screenshot(anna, 'outcomes-participant-390');
      const mine = await download(anna, anna.getByRole('button', { name: 'Mijn bijdragen downloaden' }));
      assert.match(mine.name, NAME);
      assert.match(mine.text, /- Naam: Anna/);
      assert.match(mine.text, /## Praktijkopdracht\n\nAanscherpen eigen pitch en netwerkgesprek/);
      assert.match(mine.text, /Leesclub met het buurthuis \(Activiteiten, 2 stemmen\)/);
      assert.ok(!mine.text.includes(NOTE_PLAIN), 'Bram\'s note is not in Anna\'s export');
      assert.deepEqual(await audit(anna), []);

      // Every export from the Export tab, named after title and date.
      await openTab(console_, 'Export');
      const json = await download(console_, console_.getByRole('button', { name: 'JSON exporteren' }).last());
      const md = await download(console_, console_.getByRole('button', { name: 'Verslag downloaden (Markdown)' }));
      const csv = await download(console_, console_.getByRole('button', { name: 'Geeltjes als CSV' }));
      for (const file of [json, md, csv]) assert.match(file.name, NAME);
      assert.equal(JSON.parse(json.text).format, 'bijeen/1');

      // The Markdown report has each section with the scenario's content.
      for (const expected of [
        '# Werken in netwerken', '- Deelnemers: 2', '## Programma', '| Afwijking |',
        '## Brainstorm', '**Activiteiten**', `- ${NOTE_TOP} (2 stemmen)`, 'Leeuwarden–Fryslân, "samen" lezen met de muziekschool',
        '## Afspraken', '- [ ] Netwerkgesprek voeren — Bram', '- [x] Pitch aanscherpen — Anneke, 2026-12-15',
        '## Open eindjes', '- [ ] Wie betaalt de koffie?', '## Vervolgacties', '- [ ] Verslag rondsturen — Silvia, 2026-12-01',
        '**Praktijkopdracht:** Aanscherpen eigen pitch en netwerkgesprek', '## Communityplannen', `### ${NOTE_TOP}`,
        '- Partners: Buurthuis De Brug, Muziekschool', '- aanjager: Anneke', 'Beginfase van 9 maanden; trek minimaal een jaar uit (les 9).',
      ]) assert.ok(md.text.includes(expected), `the report contains ${JSON.stringify(expected)}:\n${md.text}`);

      // The CSV parses back to the notes on the board, with a byte-order mark for spreadsheets.
      assert.equal(csv.text.charCodeAt(0), 0xfeff);
      const rows = parseCsv(csv.text.slice(1));
      // A Dutch workshop's CSV speaks Dutch: headers and values (board, category, hidden).
      assert.deepEqual(rows[0], ['Id', 'Bord', 'Themagroep', 'Categorie', 'Tekst', 'Auteur', 'Stemmen',
        'Gestapeld op', 'Clustertitel', 'Verborgen', 'Status beer', 'Antwoord']);
      const byText = new Map(rows.slice(1).map((row) => [row[4], row]));
      assert.equal(rows.length, 4);
      assert.ok(rows.every((row) => row.length === rows[0].length));
      assert.deepEqual([...byText.keys()].sort(), [NOTE_TOP, NOTE_TRICKY, NOTE_PLAIN].sort());
      assert.equal(byText.get(NOTE_TOP)[6], '2');
      assert.equal(byText.get(NOTE_TRICKY)[3], 'Activiteiten');
      assert.equal(byText.get(NOTE_TRICKY)[1], 'Brainstorm');
      assert.equal(byText.get(NOTE_TRICKY)[9], 'nee');
      // In English the same CSV speaks English; then back to Dutch for the rest of the test.
      await console_.getByRole('button', { name: 'English' }).click();
      const csvEn = await download(console_, console_.getByRole('button', { name: 'Notes as CSV' }));
      const rowsEn = parseCsv(csvEn.text.slice(1));
      assert.deepEqual(rowsEn[0], ['Id', 'Board', 'Theme group', 'Category', 'Text', 'Author', 'Votes',
        'Stacked on', 'Cluster title', 'Hidden', 'Bear status', 'Answer']);
      const trickyEn = rowsEn.find((row) => row[4] === NOTE_TRICKY);
      assert.deepEqual([trickyEn[1], trickyEn[3], trickyEn[9]], ['Brainstorm', 'Activities', 'no']);
      await console_.getByRole('button', { name: 'Nederlands' }).click();
      await console_.getByRole('button', { name: 'Geeltjes als CSV' }).waitFor();

      // The print view: the same text, printed to an A4 PDF by Chromium.
      const report = await openWindow(profile, `${relay.url}/w/${id}/report`);
      await report.locator('.oc-report h2').first().waitFor();
      await report.emulateMedia({ media: 'print' });
      await report.setViewportSize({ width: 794, height: 1123 });
      const printed = await report.evaluate(() => document.body.innerText);
      for (const expected of ['Programma', 'Afwijking', NOTE_TOP, '☑ Pitch aanscherpen — Anneke, 2026-12-15',
        'Open eindjes', 'Vervolgacties', 'Verslag rondsturen — Silvia, 2026-12-01', 'Praktijkopdracht:',
        'Communityplannen', 'Beginfase van 9 maanden; trek minimaal een jaar uit (les 9).']) {
        assert.ok(printed.includes(expected), `the print view shows ${JSON.stringify(expected)}`);
      }
      assert.equal(await report.getByRole('button', { name: 'Afdrukken of opslaan als PDF' }).isVisible(), false,
        'the print button is not printed');
      assert.equal(await report.locator('.app-header').isVisible(), false, 'the header is not printed');
      await screenshot(report, 'outcomes-print-a4');
      const pdf = await report.pdf({ format: 'A4', printBackground: true });
      const pdfText = pdf.toString('latin1');
      assert.ok(pdfText.startsWith('%PDF-'));
      assert.match(pdfText, /\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/, 'A4 pages');
      assert.ok((pdfText.match(/\/Type \/Page\b/g) ?? []).length >= 1);
      // What the PDF itself says (poppler's pdftotext), and a PNG of its first page to look at.
      const pdfDir = mkdtempSync(join(tmpdir(), 'bijeen-pdf-'));
      try {
        const pdfPath = join(pdfDir, 'verslag.pdf');
        writeFileSync(pdfPath, pdf);
        const inPdf = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
        for (const expected of ['Programma', 'Afwijking', NOTE_TOP, 'Pitch aanscherpen', 'Open eindjes', 'Vervolgacties',
          'Verslag rondsturen', 'Praktijkopdracht', 'Communityplannen', 'trek minimaal een jaar uit']) {
          assert.ok(inPdf.includes(expected), `the PDF contains ${JSON.stringify(expected)}:\n${inPdf}`);
        }
        const firstPage = join(SCREENSHOT_DIR, 'outcomes-print-pdf-page1');
        execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdfPath, firstPage]);
        assert.ok(statSync(`${firstPage}.png`).size > 10_000, 'the first page renders');
      } finally {
        rmSync(pdfDir, { recursive: true, force: true });
      }
      await report.emulateMedia({ media: 'screen' });
      assert.deepEqual(await audit(report), []);

      // Import in a fresh profile: the same workshop, and the export again is identical.
      const home = await openWindow(fresh, `${relay.url}/`);
      await home.locator('#import-file').setInputFiles({ name: json.name, mimeType: 'application/json', buffer: Buffer.from(json.text) });
      await home.locator('.banner--ok').waitFor();
      await home.locator('.workshop-list tbody tr').first().waitFor();
      const again = await download(home, home.getByRole('button', { name: /^JSON exporteren/ }).first());
      assert.match(again.name, NAME);
      assert.equal(withoutTimestamp(again.text), withoutTimestamp(json.text));
      assert.notEqual(again.text.length, 0);
      await home.getByRole('link', { name: /^Openen/ }).first().click();
      await home.locator('.block-row').first().waitFor();
      await openTab(home, 'Afspraken');
      await waitFor('the imported agreements', async () =>
        (await itemTexts(home, 'agreements')).join('|') === 'Netwerkgesprek voeren|Pitch aanscherpen');
      assert.equal(await home.locator('.oc-plan h3').first().textContent(), NOTE_TOP);
      await openTab(home, 'Export');
      const third = await download(home, home.getByRole('button', { name: 'JSON exporteren' }).last());
      assert.equal(withoutTimestamp(third.text), withoutTimestamp(json.text));

      for (const page of [console_, projector, anna, bram, report, home]) assertNoProblems(page);
    } finally {
      await profile.close();
      await fresh.close();
    }
  });

  it('puts the open follow-up actions with an owner and a due date in a calendar file', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      await createWorkshop(console_, relay.url);
      let downloads = 0;
      console_.on('download', () => { downloads += 1; });

      // Nothing to put in a calendar yet: the button says so, and a click says why in words.
      await openTab(console_, 'Export');
      const ics = console_.getByRole('button', { name: 'Agenda-bestand (.ics)' });
      assert.equal(await ics.getAttribute('aria-disabled'), 'true');
      assert.match(await console_.locator('#oc-ics-hint').textContent(), /Nu nog geen\.$/);
      // It stays in the tab order (aria-disabled, not disabled): Enter on it, as from the keyboard.
      await ics.focus();
      await console_.keyboard.press('Enter');
      const nothing = console_.locator('.oc-export__nothing');
      await waitFor('the words for an empty calendar', async () =>
        (await nothing.textContent()) === 'Niets gedownload: er is nog geen open vervolgactie met wie en wanneer klaar. Vul die in bij Afspraken, onder Vervolg.');
      assert.equal(downloads, 0, 'no calendar file is downloaded without actions');

      // Follow-up actions: two for the calendar (one long, with characters that need
      // escaping and folding), and the ones that must stay out of it.
      const LONG = 'Pitch aanscherpen met de collega\'s van Leeuwarden–Fryslân, de muziekschool; daarna één netwerkgesprek 🎉';
      const actions = [
        { text: LONG, owner: 'Anneke', due: '2026-12-31' },
        { text: 'Verslag rondsturen', owner: 'Silvia', due: '2026-12-09' },
      ];
      await openTab(console_, 'Afspraken');
      for (const action of actions) await addItem(console_, 'follow-up', action);
      await addItem(console_, 'follow-up', { text: 'Zaal reserveren', due: '2026-12-20' });
      await addItem(console_, 'follow-up', { text: 'Koffie regelen', owner: 'Bram' });
      await addItem(console_, 'follow-up', { text: 'Lijst delen', owner: 'Carla', due: '2026-12-05' });
      await console_.getByRole('checkbox', { name: 'Afgerond: Lijst delen' }).check();
      await addItem(console_, 'agreements', { text: 'Elke maand bijpraten', owner: 'Dirk', due: '2027-01-15' });

      await openTab(console_, 'Export');
      await waitFor('the button to be available', async () => (await ics.getAttribute('aria-disabled')) === null);
      await waitFor('the hint to count two actions', async () =>
        /Nu 2 acties\.$/.test(await console_.locator('#oc-ics-hint').textContent()));
      const file = await download(console_, ics);
      assert.match(file.name, /^werken-in-netwerken-\d{4}-\d{2}-\d{2}-vervolg\.ics$/);
      assert.equal(downloads, 1);
      assert.equal(await nothing.textContent(), '', 'the empty-calendar words are gone');

      // RFC 5545 as a calendar reads it: CRLF lines of at most 75 octets, folded.
      assert.ok(file.text.endsWith('END:VCALENDAR\r\n'));
      const lines = file.text.slice(0, -2).split('\r\n');
      assert.ok(lines.every((line) => Buffer.byteLength(line, 'utf8') <= 75), 'every line is at most 75 octets');
      assert.ok(lines.some((line) => line.startsWith(' ')), 'the long action is folded');
      assert.ok(!/[^\r]\n/.test(file.text), 'no bare LF');

      const events = calendarEvents(file.text);
      assert.equal(events.length, actions.length, `one event per action:\n${file.text}`);
      assert.equal(new Set(events.map((e) => e.uid)).size, events.length, 'each event has its own UID');
      for (const [i, action] of actions.entries()) {
        const event = events[i];
        assert.ok(event.summary.includes(action.text), `the summary “${event.summary}” has “${action.text}”`);
        assert.equal(event.start.isDate, true, 'an all-day event');
        assert.equal(event.start.toString(), action.due);
        const next = new Date(`${action.due}T00:00:00Z`);
        next.setUTCDate(next.getUTCDate() + 1);
        assert.equal(event.end.isDate, true);
        assert.equal(event.end.toString(), next.toISOString().slice(0, 10), 'DTEND is the next day');
        assert.match(event.description, /Werken in netwerken/, 'the workshop title');
        assert.ok(event.description.includes(`Wie: ${action.owner}`), `the owner in “${event.description}”`);
      }
      for (const left of ['Zaal reserveren', 'Koffie regelen', 'Lijst delen', 'Elke maand bijpraten']) {
        assert.ok(!events.some((e) => e.summary.includes(left)), `“${left}” is not in the calendar`);
        assert.ok(!file.text.includes(left), `“${left}” is nowhere in the file`);
      }
      assertNoProblems(console_);
    } finally {
      await profile.close();
    }
  });

  it('refuses each bad import with its own message and leaves existing workshops alone', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const page = await openWindow(profile);
      await createWorkshop(page, relay.url);
      await page.goto(`${relay.url}/`);
      await page.locator('.workshop-list tbody tr').first().waitFor();
      const before = await page.locator('.workshop-list tbody tr').allTextContents();
      const cases = [
        { name: 'not-json.json', buffer: Buffer.from('Dit is een boodschappenlijst'), expect: /geen geldige JSON \(regel 1, kolom 1\)/ },
        { name: 'other.json', buffer: Buffer.from('{"format": "trello/2"}'), expect: /geen Bijeen-export \(formaat „trello\/2”\)/ },
        { name: 'newer.json', buffer: Buffer.from('{"format": "bijeen/2"}'), expect: /nieuwere Bijeen/ },
        { name: 'huge.json', buffer: Buffer.alloc(11 * 1024 * 1024, 0x20), expect: /hoogstens 10 MB/ },
        { name: 'missing.json', buffer: Buffer.from('{"format": "bijeen/1"}'), expect: /ontbreekt/ },
      ];
      const seen = [];
      for (const bad of cases) {
        await page.locator('#import-file').setInputFiles({ name: bad.name, mimeType: 'application/json', buffer: bad.buffer });
        const text = await waitFor(`the message for ${bad.name}`, async () => {
          const shown = await page.locator('.import-errors').innerText();
          return bad.expect.test(shown) && !seen.includes(shown) ? shown : false;
        }, { timeout: 10_000 });
        seen.push(text);
        // A librarian reads the plain sentence first; a JSON path may follow as a detail.
        assert.doesNotMatch(text.split('\n').slice(1).join('\n'), /^\$/m, `a line starts with a path: ${text}`);
        assert.deepEqual(await page.locator('.workshop-list tbody tr').allTextContents(), before);
      }
      await page.reload();
      await page.locator('.workshop-list tbody tr').first().waitFor();
      assert.deepEqual(await page.locator('.workshop-list tbody tr').allTextContents(), before);
      assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });
});
