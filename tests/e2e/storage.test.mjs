// Browser storage of a busy board. A change is appended to its window's own journal
// instead of rewriting the whole workshop (a megabyte on a board of a thousand notes);
// journals are folded into the snapshot now and then. What must hold: every note of two
// windows writing at once is stored, journals stay small, and the workshop reopens whole
// after every window is closed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LAPTOP, PHONE, assertNoProblems, newProfile, openWindow, relayAndBrowserForSuite, waitFor } from './harness.mjs';
import { createWorkshop } from './flows.mjs';

const PER_WINDOW = 150;

/** Joins the board in a new window of `profile` and picks the first theme group. */
async function joinAnonymously(profile, url) {
  const page = await openWindow(profile, url);
  await page.setViewportSize(PHONE);
  await page.getByRole('button', { name: 'Anoniem meedoen' }).click();
  await page.locator('#my-group').selectOption({ index: 1 });
  return page;
}

/** Adds `count` notes through the participant's own form, driven from inside the page. */
function addNotes(page, prefix, count) {
  return page.evaluate(async ({ prefix, count }) => {
    const text = document.querySelector('#new-note-text');
    const button = document.querySelector('.note-form button[type=submit]');
    for (let i = 0; i < count; i += 1) {
      text.value = `${prefix} ${i + 1}`;
      text.dispatchEvent(new Event('input', { bubbles: true }));
      button.click();
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }, { prefix, count });
}

const storedValue = (page, key) => page.evaluate((key) => localStorage.getItem(key), key);
/** Every stored value whose key starts with `prefix`: key -> value. */
const storedValues = (page, prefix) => page.evaluate((prefix) => Object.fromEntries(Object.keys(localStorage)
  .filter((key) => key.startsWith(prefix)).map((key) => [key, localStorage.getItem(key)])), prefix);

/** What this browser stores for workshop `id`: key -> length in characters. */
function storedKeys(page, id) {
  return page.evaluate((id) => Object.fromEntries(Object.keys(localStorage)
    .filter((key) => key.includes(id))
    .map((key) => [key, localStorage.getItem(key).length])), id);
}

describe('browser storage', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('keeps every note of two windows writing at once, journals one note without rewriting the snapshot, and reopens whole', async () => {
    const profile = await newProfile(browser, LAPTOP);
    let id;
    try {
      const console_ = await openWindow(profile);
      id = await createWorkshop(console_, relay.url);
      await console_.getByRole('tab', { name: 'Brainstorm' }).click();
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      const joinUrl = `${relay.url}/w/${id}/join`;
      const anna = await joinAnonymously(profile, joinUrl);
      const bram = await joinAnonymously(profile, joinUrl);
      await Promise.all([addNotes(anna, 'Anna', PER_WINDOW), addNotes(bram, 'Bram', PER_WINDOW)]);
      await waitFor('every note in the console', async () =>
        (await console_.locator('.mod-note').count()) === 2 * PER_WINDOW, { timeout: 30_000 });

      const keys = await storedKeys(console_, id);
      const journals = Object.entries(keys).filter(([key]) => key.startsWith(`bijeen.journal.${id}.`));
      const snapshot = keys[`bijeen.doc.${id}`];
      // 300 notes are about 60 KB of ops: journals were folded into the snapshot on the
      // way, and no journal grew past its limit (32 KB).
      for (const [key, length] of journals) assert.ok(length <= 32 * 1024 + 2, `${key} holds ${length} characters`);
      assert.ok(snapshot > 60_000, `the snapshot took in folded journals (${snapshot} characters)`);

      // A reloaded window folds on its first save; its next note goes to its journal
      // alone, and the snapshot is not rewritten for it.
      await anna.reload();
      await anna.locator('#new-note-text').waitFor();
      await addNotes(anna, 'Anna na herladen', 1);
      await waitFor('the note after the reload', async () =>
        (await console_.locator('.mod-note').count()) === 2 * PER_WINDOW + 1, { timeout: 30_000 });
      const folded = await storedValue(console_, `bijeen.doc.${id}`);
      assert.match(folded, /Anna na herladen 1/);
      await addNotes(anna, 'Anna in het journaal', 1);
      await waitFor('one more note', async () =>
        (await console_.locator('.mod-note').count()) === 2 * PER_WINDOW + 2, { timeout: 30_000 });
      assert.equal(await storedValue(console_, `bijeen.doc.${id}`), folded, 'the snapshot is not rewritten for one note');
      const journalled = Object.values(await storedValues(console_, `bijeen.journal.${id}.`))
        .filter((text) => text.includes('Anna in het journaal 1'));
      assert.equal(journalled.length, 1, 'the note is in one journal');
      assert.ok(journalled[0].length < 1_000, `that journal holds just that note (${journalled[0].length} characters)`);
      for (const page of [console_, anna, bram]) assertNoProblems(page);
      await Promise.all([console_.close(), anna.close(), bram.close()]);

      const reopened = await openWindow(profile, `${relay.url}/w/${id}`);
      await reopened.getByRole('tab', { name: 'Brainstorm' }).click();
      await waitFor('every note after reopening', async () =>
        (await reopened.locator('.mod-note').count()) === 2 * PER_WINDOW + 2, { timeout: 30_000 });
      const texts = await reopened.locator('.mod-note textarea').evaluateAll((areas) => areas.map((a) => a.value));
      for (const who of ['Anna', 'Bram']) {
        for (let n = 1; n <= PER_WINDOW; n += 1) {
          assert.equal(texts.filter((text) => text === `${who} ${n}`).length, 1, `${who} ${n} is there once`);
        }
      }
      for (const text of ['Anna na herladen 1', 'Anna in het journaal 1']) {
        assert.equal(texts.filter((t) => t === text).length, 1, `${text} is there once`);
      }
      assertNoProblems(reopened);
    } finally {
      await profile.close();
    }
  });

  it('gives a window opened with window.open its own actor, so two such windows writing at once lose nothing', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      await console_.getByRole('tab', { name: 'Brainstorm' }).click();
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      const joinUrl = `${relay.url}/w/${id}/join`;
      const anna = await joinAnonymously(profile, joinUrl);
      // The opened window starts with a copy of its opener's sessionStorage, the window
      // actor included.
      const [opened] = await Promise.all([
        profile.waitForEvent('page'),
        anna.evaluate((url) => { window.open(url, '_blank'); }, joinUrl),
      ]);
      opened.problems = [];
      opened.on('console', (m) => { if (m.type() === 'error') opened.problems.push(`console.error: ${m.text()}`); });
      await opened.setViewportSize(PHONE);
      const actorOf = (page) => page.evaluate(() => sessionStorage.getItem('bijeen.window-actor'));
      await opened.getByRole('button', { name: 'Anoniem meedoen' }).click();
      await opened.locator('#my-group').selectOption({ index: 1 });
      const [annaActor, openedActor] = [await actorOf(anna), await actorOf(opened)];
      assert.ok(annaActor && openedActor, 'both windows have an actor');
      assert.notEqual(openedActor, annaActor, 'the opened window writes under an actor of its own');

      const count = 60;
      await Promise.all([addNotes(anna, 'Opener', count), addNotes(opened, 'Geopend', count)]);
      await waitFor('every note of both windows in the console', async () =>
        (await console_.locator('.mod-note').count()) === 2 * count, { timeout: 30_000 });
      // A reload keeps the window's actor (the old page's lock goes with it).
      await opened.reload();
      await opened.locator('#new-note-text').waitFor();
      assert.equal(await actorOf(opened), openedActor, 'a reload keeps the actor');
      await Promise.all([console_.close(), anna.close(), opened.close()]);
      const reopened = await openWindow(profile, `${relay.url}/w/${id}`);
      await reopened.getByRole('tab', { name: 'Brainstorm' }).click();
      await waitFor('every note after reopening', async () =>
        (await reopened.locator('.mod-note').count()) === 2 * count, { timeout: 30_000 });
      assertNoProblems(reopened);
    } finally {
      await profile.close();
    }
  });
});
