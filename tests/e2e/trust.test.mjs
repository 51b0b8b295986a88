// Issue "Trust": what a participant's device receives, read the way an attacker with
// DevTools would read it: every WebSocket frame, through the Chrome DevTools Protocol.
// Two phones (isolated profiles) join a relay room. A phone holds no replica: it is sent
// its view, never the room's ops. While the brainstorm hides notes until the reveal,
// neither receives the other's notes; after the reveal they show. On the anonymous bear
// wall no frame to a phone or to the console ties a bear to a participant: bears come from
// pseudonyms that never join, and a phone is sent no other participant's name.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  LAPTOP, PHONE, assertNoProblems, newProfile, openWindow, relayAndBrowserForSuite,
  screenshot, waitFor,
} from './harness.mjs';
import { createWorkshop } from './flows.mjs';

/**
 * A window whose received WebSocket frames are all recorded (`page.wsFrames`), and the path
 * of every file it fetched (`page.fetched`).
 */
async function recordedWindow(profile) {
  const page = await openWindow(profile);
  page.wsFrames = [];
  page.fetched = [];
  page.on('response', (response) => page.fetched.push(new URL(response.url()).pathname));
  const cdp = await profile.newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.webSocketFrameReceived', (event) => page.wsFrames.push(event.response.payloadData));
  return page;
}

/** Every op in the frames received so far. */
function opsIn(frames) {
  const ops = [];
  for (const text of frames) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      continue;
    }
    if (message.type === 'ops') ops.push(...message.ops);
  }
  return ops;
}

const createdText = (op) => op.body?.create_note?.text;

/** The view patches among the frames a phone received. */
function viewsIn(frames) {
  const patches = [];
  for (const text of frames) {
    try {
      const message = JSON.parse(text);
      if (message.type === 'view') patches.push(message.patch);
    } catch {
      // Not JSON: not ours.
    }
  }
  return patches;
}

/** The names the two phones join with: found nowhere in the notes' texts. */
const NAMES = { Anna: 'Anna Achternaam', Bram: 'Bram Achternaam' };

async function joinOnPhone(page, url, name) {
  await page.goto(url);
  await page.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
  await page.getByLabel('Je naam (mag leeg)').fill(name);
  await page.locator('#join-group').selectOption({ index: 1 });
  await page.getByRole('button', { name: 'Meedoen', exact: true }).click();
  await page.locator('[data-testid=joined-as]').waitFor();
}

async function addNote(page, text) {
  await page.locator('.note-form').getByText('Netwerkpartner', { exact: true }).click();
  await page.getByLabel('Tekst van het geeltje').first().fill(text);
  await page.getByRole('button', { name: 'Geeltje plakken' }).click();
}

async function addBear(page, text) {
  const before = await page.locator('.p-bears__mine li').count();
  await page.getByLabel('Je beer (vraag, belemmering of zorg)').fill(text);
  await page.getByRole('button', { name: 'Beer toevoegen' }).click();
  await waitFor(`"${text}" in my bears`, async () => (await page.locator('.p-bears__mine li').count()) === before + 1);
}

async function startBlock(page, index) {
  await page.getByRole('tab', { name: 'Programma' }).click();
  await page.locator('.block-row').nth(index).getByRole('button', { name: /nu starten/ }).click();
}

const ANNA = ['Anna schrijft: Bibliotheek Noord', 'Anna schrijft: Leesnetwerk West-Friesland'];
const BRAM = ['Bram schrijft: Samen een leesclub'];
const BEARS = {
  Anna: 'Anna vreest: waar haal ik de tijd vandaan?',
  Bram: 'Bram vreest: steunt mijn leidinggevende dit?',
};

describe('what a participant device receives', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('no hidden note and no bear author reaches a phone, or a bear author the console', async () => {
    const facilitator = await newProfile(browser, LAPTOP);
    const phones = [await newProfile(browser, PHONE), await newProfile(browser, PHONE)];
    try {
      const console_ = await recordedWindow(facilitator);
      await createWorkshop(console_, relay.url);
      await console_.getByRole('tab', { name: 'Brainstorm' }).click();
      await console_.getByRole('button', { name: 'Bord openen' }).click();
      await console_.getByLabel('Verbergen tot onthullen').check();
      await waitFor('the board to hide notes', async () =>
        /verborgen tot onthullen/.test(await console_.locator('[data-testid=board-status]').textContent()));
      await startBlock(console_, 2);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();

      const anna = await recordedWindow(phones[0]);
      const bram = await recordedWindow(phones[1]);
      await joinOnPhone(anna, `${relay.url}/j/${code}`, NAMES.Anna);
      await joinOnPhone(bram, `${relay.url}/j/${code}`, NAMES.Bram);
      for (const text of ANNA) await addNote(anna, text);
      for (const text of BRAM) await addNote(bram, text);
      await console_.getByRole('tab', { name: 'Brainstorm' }).click();
      await waitFor('the console to hold all three notes', async () => (await console_.locator('.mod-note').count()) === 3);
      await waitFor('Bram to have his own note', async () =>
        (await bram.locator('.group-notes .p-note__text').allTextContents()).includes(BRAM[0]));

      // While hidden: not one frame to Bram holds Anna's text, and the other way round.
      const leaked = (page, texts) => page.wsFrames.filter((frame) => texts.some((t) => frame.includes(t)));
      assert.deepEqual(leaked(bram, ANNA), [], 'Anna\'s hidden notes in frames to Bram');
      assert.deepEqual(leaked(anna, BRAM), [], 'Bram\'s hidden note in frames to Anna');
      // A phone holds no replica: it is sent its view, never the room's ops, so not even a
      // placeholder tells it which hidden note exists; only how many wait in its group.
      assert.deepEqual(opsIn(bram.wsFrames), [], 'ops in frames to Bram');
      assert.ok(viewsIn(bram.wsFrames).length > 0, 'Bram was sent his view');
      assert.match(await bram.locator('[data-testid=withheld]').textContent(), /2/);

      // The reveal: each of Anna's notes reaches Bram, and shows.
      await console_.getByRole('button', { name: 'Onthullen' }).click();
      await waitFor('Bram to see Anna\'s notes', async () => {
        const shown = await bram.locator('.group-notes .p-note__text').allTextContents();
        return ANNA.every((t) => shown.includes(t));
      });
      await screenshot(bram, 'trust-participant-after-reveal-390');

      // The bear wall: anonymous while collecting, as the template sets it.
      await startBlock(console_, 3);
      await anna.getByRole('heading', { name: 'Beren op de weg' }).waitFor();
      await bram.getByRole('heading', { name: 'Beren op de weg' }).waitFor();
      await addBear(anna, BEARS.Anna);
      await addBear(bram, BEARS.Bram);
      await console_.getByRole('tab', { name: 'Beren' }).click();
      await waitFor('two bears on the console', async () => (await console_.locator('.bear-card').count()) === 2);
      assert.deepEqual(leaked(bram, [BEARS.Anna]), [], 'Anna\'s bear in frames to Bram while collecting');
      const phase = console_.locator('.bears-phases').getByRole('button', { name: 'Onthullen' });
      await phase.click();
      await waitFor('Bram to see both bears', async () =>
        (await bram.locator('.p-bears .p-bear__text').allTextContents()).includes(BEARS.Anna));
      await waitFor('Anna to see both bears', async () =>
        (await anna.locator('.p-bears .p-bear__text').allTextContents()).includes(BEARS.Bram));

      // Nobody can tie a bear to a name. The console gets ops: the actor of every bear op is
      // one that never joined, and no frame mixes the two.
      const consoleOps = opsIn(console_.wsFrames);
      const joined = new Set(consoleOps.filter((op) => op.body?.join).map((op) => op.id[0]));
      assert.equal(joined.size, 2, 'both joins reached the console');
      const bearOps = consoleOps.filter((op) => op.body?.create_note?.board === 'bears');
      assert.equal(new Set(bearOps.map((op) => createdText(op))).size, 2, 'the console got both bears');
      for (const op of bearOps) {
        assert.ok(!joined.has(op.id[0]), `bear "${createdText(op)}" by a joined actor ${op.id[0]}`);
      }
      for (const frame of console_.wsFrames) {
        const ops = opsIn([frame]);
        const hasBear = ops.some((op) => op.body?.create_note?.board === 'bears');
        const hasNamed = ops.some((op) => joined.has(op.id[0]));
        assert.ok(!(hasBear && hasNamed), `the console got a frame with a bear and a named op: ${frame}`);
      }
      // A phone gets views: no bear in them is by a joined actor or carries a name, and no
      // frame names the other participant.
      for (const [who, page, other] of [['Anna', anna, NAMES.Bram], ['Bram', bram, NAMES.Anna]]) {
        assert.deepEqual(opsIn(page.wsFrames), [], `ops in frames to ${who}`);
        const bears = viewsIn(page.wsFrames).flatMap((patch) => patch.bears?.set ?? []);
        assert.ok(bears.length >= 2, `${who} was sent the wall`);
        for (const bear of bears) {
          assert.ok(!joined.has(bear.id.replace(/-\d+$/, '')), `${who}: bear "${bear.text}" named after a joined actor`);
          assert.equal(bear.author_name ?? null, null, `${who}: bear "${bear.text}" carries a name`);
        }
        assert.deepEqual(leaked(page, [other]), [], `${who} was sent the other's name`);
      }
      // Each phone still knows its own bear as its own: it is in "my contributions".
      const [file] = await Promise.all([
        anna.waitForEvent('download'),
        anna.getByRole('button', { name: 'Mijn bijdragen downloaden' }).click(),
      ]);
      const mine = readFileSync(await file.path(), 'utf8');
      assert.ok(mine.includes(BEARS.Anna), `her bear in her download:\n${mine}`);
      assert.ok(!mine.includes(BEARS.Bram), 'not his');
      for (const text of ANNA) assert.ok(mine.includes(text), `"${text}" in her download`);
      await screenshot(bram, 'trust-participant-bears-revealed-390');

      // Finished: the phones say so and lead with what to take home, not "not started".
      await console_.getByRole('tab', { name: 'Programma' }).click();
      await console_.getByRole('button', { name: 'Workshop afronden' }).click();
      await waitFor('Anna to see the workshop finished', async () =>
        (await anna.locator('[data-testid=participant-block]').textContent()) === 'Workshop afgerond');
      assert.equal(await anna.locator('.now-bar .countdown').count(), 0, 'no countdown after the end');
      assert.ok(await anna.getByRole('button', { name: 'Mijn bijdragen downloaden' }).isVisible());
      await screenshot(anna, 'trust-participant-finished-390');

      // A phone downloads the participant's entry only, never the facilitator's app: not
      // for its screens, and not in the background for offline use.
      const appCode = (page) => page.fetched.filter((path) => /\.(js|wasm)$/.test(path));
      for (const [who, page] of [['Anna', anna], ['Bram', bram]]) {
        assert.ok(appCode(page).some((path) => /^\/participant-[0-9a-f]+_bg\.wasm$/.test(path)), `${who}: ${appCode(page)}`);
        assert.deepEqual(appCode(page).filter((path) => !path.startsWith('/participant-')), [], `${who} fetched`);
        const kept = () => page.evaluate(async () =>
          (await (await caches.open('bijeen-app-v1')).keys()).map((request) => new URL(request.url).pathname));
        await waitFor(`${who}'s participant entry kept for offline use`, async () =>
          (await kept()).some((path) => path.endsWith('_bg.wasm')));
        const keptCode = (await kept()).filter((path) => /\.(js|wasm)$/.test(path));
        assert.deepEqual(keptCode.filter((path) => !path.startsWith('/participant-')), [], `${who} keeps`);
      }
      assert.deepEqual(appCode(console_).filter((path) => path.startsWith('/participant-')), [],
        'the console loads no participant entry');
      assertNoProblems(anna);
      assertNoProblems(bram);
      assertNoProblems(console_);
    } finally {
      await facilitator.close();
      for (const phone of phones) await phone.close();
    }
  });
});

describe('a full workshop, told in plain words', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started), {
    relayArgs: ['--max-participants', '1'],
  });

  it('a phone that cannot join any more is told why, and nothing is lost silently', async () => {
    const facilitator = await newProfile(browser, LAPTOP);
    const phones = [await newProfile(browser, PHONE), await newProfile(browser, PHONE)];
    try {
      const console_ = await openWindow(facilitator);
      await createWorkshop(console_, relay.url);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
      const first = await openWindow(phones[0]);
      await joinOnPhone(first, `${relay.url}/j/${code}`, 'Eerste');
      const second = await openWindow(phones[1]);
      await second.goto(`${relay.url}/j/${code}`);
      await second.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
      await second.getByLabel('Je naam (mag leeg)').fill('Tweede');
      await second.locator('#join-group').selectOption({ index: 1 });
      await second.getByRole('button', { name: 'Meedoen', exact: true }).click();
      const said = /De workshop is vol: er doen al 1 deelnemer mee, er kan niemand meer bij\./;
      // Next to the button that was pressed, and in the connection line.
      await waitFor('the refusal in plain words at the join form', async () =>
        said.test(await second.locator('[data-testid=join-refused]').textContent().catch(() => '')));
      const status = await second.locator('[data-testid=connection]').textContent();
      assert.match(status, /1 wijziging geweigerd door de server/);
      assert.match(status, said);
      await screenshot(second, 'trust-participant-room-full-390');
      assertNoProblems(first);
    } finally {
      await facilitator.close();
      for (const phone of phones) await phone.close();
    }
  });
});
