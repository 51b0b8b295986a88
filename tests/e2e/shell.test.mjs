// The app shell: it renders, every route survives a hard reload, the language switch
// works and persists, windows of one profile talk over BroadcastChannel, and axe finds no
// serious or critical violation on any route.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkshop } from './flows.mjs';
import {
  PHONE, PROJECTOR, assertNoProblems, audit, newProfile, openWindow, relayAndBrowserForSuite,
  screenshot, waitFor,
} from './harness.mjs';

/**
 * Records every Content-Security-Policy violation in the profile's pages: the DOM event
 * (in each page, installed before any of its scripts) and the console report Chromium
 * writes for each one.
 */
async function watchCsp(profile) {
  const reports = [];
  await profile.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  profile.on('console', (message) => {
    if (/Content Security Policy|CSP violation/i.test(message.text())) reports.push(message.text());
  });
  return reports;
}

describe('app shell', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('renders the home page with real content and no console errors', async () => {
    const profile = await newProfile(browser);
    try {
      const page = await openWindow(profile, `${relay.url}/`);
      // The static first screen has the same heading; the app's list is the app's own.
      await page.locator('main', { hasText: 'Workshops in deze browser' }).waitFor();
      assert.equal(await page.locator('h1#home-title').count(), 1, 'the first screen gave way');
      assert.equal(await page.locator('h1#home-title').textContent(), 'Bijeen');
      assert.equal(await page.getAttribute('html', 'lang'), 'nl');
      assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });

  it('paints a first screen before the wasm arrives, says so when it never does, and gives way to the app', async () => {
    const remote = `/w/${'ab'.repeat(16)}/remote`;
    for (const [path, heading, viewport] of [['/', 'Bijeen', PROJECTOR], ['/j/ABC234', 'Meedoen', PHONE], [remote, 'Afstandsbediening', PHONE]]) {
      const stalled = await newProfile(browser, viewport);
      try {
        await stalled.route(/\.wasm$/, () => {}); // never answered: a download that stalls
        const page = await stalled.newPage();
        await page.clock.install();
        await page.goto(`${relay.url}${path}`, { waitUntil: 'domcontentloaded' });
        assert.equal((await page.locator('#first-screen h1').textContent()).trim(), heading, path);
        assert.match(await page.locator('#first-screen [role=status]').textContent(), /wordt geladen/);
        // A join link's first screen has the join form itself, ready for a name.
        const form = page.locator('#first-screen form.join-form');
        assert.equal(await form.count(), path.startsWith('/j/') ? 1 : 0, path);
        if (path.startsWith('/j/')) assert.ok(await form.isVisible(), path);
        await screenshot(page, `shell-first-screen${path === '/' ? '-home' : path === remote ? '-remote' : '-join'}`);
        await page.clock.fastForward(16_000);
        assert.match(await page.locator('#first-screen [role=status]').textContent(),
          /Het laden duurt lang\. Controleer je verbinding/, path);
      } finally {
        await stalled.close();
      }
      const profile = await newProfile(browser, viewport);
      try {
        const page = await openWindow(profile, `${relay.url}${path}`);
        await waitFor('the app to replace the first screen', async () => (await page.locator('#first-screen').count()) === 0);
        assert.equal(await page.locator('h1').count(), 1, `one heading on ${path}`);
        // The header's home link is a tap target of at least 44 px.
        const brand = await page.locator('.app-header__brand').boundingBox();
        assert.ok(brand.height >= 44, `home link ${brand.height}px high on ${path}`);
        if (path === '/') {
          // The import's picker is a button in the page's language, not the browser's.
          const pick = page.getByText('Kies een Bijeen-export (.json)');
          assert.ok(await pick.isVisible());
          assert.equal(await page.getByLabel('Kies een Bijeen-export (.json)').getAttribute('type'), 'file');
          const clip = await page.locator('#import-file').evaluate((input) => getComputedStyle(input).clip);
          assert.equal(clip, 'rect(0px, 0px, 0px, 0px)', 'the native picker is hidden');
        }
        // The made-up code's lookup is answered 404, which Chromium logs.
        page.problems = page.problems.filter((problem) => !/status of 404/.test(problem));
        assertNoProblems(page);
      } finally {
        await profile.close();
      }
    }
  });

  const routes = [
    { path: '/', heading: 'Bijeen', name: 'home' },
    { path: '/w/demo-1', heading: 'Regiekamer', name: 'console' },
    { path: '/w/demo-1/present', heading: 'Projectie', name: 'projector' },
    { path: '/w/demo-1/join', heading: 'Meedoen', name: 'participant' },
    // Without its key in the link, the remote's page says so under its heading.
    { path: '/w/demo-1/remote', heading: 'Afstandsbediening', name: 'remote' },
    { path: '/bestaat/niet', heading: 'Pagina niet gevonden', name: 'not-found' },
  ];

  for (const route of routes) {
    it(`renders ${route.path} after a hard reload, accessibly, at projector and phone size`, async () => {
      for (const [size, viewport] of [['projector', PROJECTOR], ['phone', PHONE]]) {
        const profile = await newProfile(browser, viewport);
        try {
          const page = await openWindow(profile, `${relay.url}${route.path}`);
          await page.reload();
          const heading = page.locator('h1');
          await heading.waitFor();
          assert.equal((await heading.textContent()).trim(), route.heading);
          if (route.name === 'participant') {
            assert.equal(await page.locator('.workshop-id').textContent(), 'demo-1');
          }
          if (route.name === 'console' || route.name === 'projector') {
            // No workshop "demo-1" in a fresh profile: said in plain words.
            assert.match(await page.locator('[role=alert]').innerText(), /staat niet in deze browser/);
          }
          assert.deepEqual(await audit(page), [], `axe on ${route.path} at ${size}`);
          await screenshot(page, `shell-${route.name}-${size}`);
          assertNoProblems(page);
        } finally {
          await profile.close();
        }
      }
    });
  }

  it('moves between the facilitator\'s screens without loading a page, follows back and forward, and leaves other entries\' links to the server', async () => {
    const profile = await newProfile(browser);
    try {
      const page = await profile.newPage();
      const id = await createWorkshop(page, relay.url);
      // A page load would drop this mark: every step below must keep it.
      await page.evaluate(() => { window.bijeenSameDocument = true; });
      const sameDocument = () => page.evaluate(() => window.bijeenSameDocument === true);
      await page.locator('.app-header__brand').click();
      await page.locator('h1#home-title').waitFor();
      assert.equal(new URL(page.url()).pathname, '/');
      await page.locator(`main a[href="/w/${id}/report"]`).click();
      await page.waitForURL(new RegExp(`/w/${id}/report$`));
      await page.locator('.oc-report').waitFor();
      await page.locator(`main a[href="/w/${id}"]`).click();
      await page.waitForURL(new RegExp(`/w/${id}$`));
      await page.locator('.block-row').first().waitFor();
      await page.goBack();
      await page.locator('.oc-report').waitFor();
      await page.goBack();
      await page.locator('h1#home-title').waitFor();
      await page.goForward();
      await page.locator('.oc-report').waitFor();
      assert.equal(await sameDocument(), true, 'links and the back button stayed in the page');
      // The skip link is an in-page anchor: the browser's own, and the screen stays.
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      assert.equal(new URL(page.url()).hash, '#main');
      await page.locator('.oc-report').waitFor();
      // A link to a phone's route is another entry: the server's page, not a not-found.
      await page.evaluate(() => {
        const link = Object.assign(document.createElement('a'), { href: '/j/ABC234', textContent: 'join' });
        link.id = 'to-phone';
        document.querySelector('main').append(link);
      });
      await page.locator('#to-phone').click();
      await page.waitForURL(/\/j\/ABC234$/);
      // The participant's entry: its first screen ("Meedoen") or, once its app has looked
      // the code up, its own heading ("Meedoen met een code").
      await waitFor('the participant\'s page', async () =>
        /^Meedoen/.test((await page.locator('h1').first().textContent()).trim()));
      assert.equal(await sameDocument(), false, 'the phone\'s page was loaded from the server');
      assert.equal(await page.locator('.oc-report').count(), 0);
    } finally {
      await profile.close();
    }
  });

  it('runs under its Content-Security-Policy without a single violation', async () => {
    const facilitator = await newProfile(browser);
    const phone = await newProfile(browser, PHONE);
    const reports = await watchCsp(facilitator);
    const phoneReports = await watchCsp(phone);
    try {
      const home = await facilitator.newPage();
      const response = await home.goto(`${relay.url}/`);
      const csp = response.headers()['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/, 'the page is served with the policy');
      await home.locator('h1#home-title').waitFor();

      // The console, with the invite panel: room creation, the WebSocket and the QR code.
      const console_ = await openWindow(facilitator);
      const id = await createWorkshop(console_, relay.url);
      await console_.getByRole('button', { name: 'Deelnemers uitnodigen' }).click();
      const code = (await console_.locator('[data-testid=join-code]').textContent()).trim();
      await waitFor('the console to be connected', async () =>
        (await console_.locator('[data-testid=connection]').getAttribute('data-state')) === 'connected');
      const projector = await openWindow(facilitator, `${relay.url}/w/${id}/present`);
      await projector.locator('h1').waitFor();

      // The participant's join page on another device, through the code lookup.
      const participant = await openWindow(phone, `${relay.url}/j/${code.toLowerCase()}`);
      await participant.waitForURL(/\/w\/[0-9a-f]{32}\/join$/);
      await participant.getByLabel('Je naam (mag leeg)').fill('Csp');
      await participant.locator('#join-group').selectOption({ index: 1 });
      await participant.getByRole('button', { name: 'Meedoen', exact: true }).click();
      await participant.locator('[data-testid=joined-as]').waitFor();
      await waitFor('the participant to be connected', async () =>
        (await participant.locator('[data-testid=connection]').getAttribute('data-state')) === 'connected');

      assert.deepEqual([...reports, ...phoneReports], [], 'CSP violations');
      for (const page of [console_, projector, participant]) assertNoProblems(page);
    } finally {
      await facilitator.close();
      await phone.close();
    }
  });

  it('switches language, and the choice survives a reload', async () => {
    const profile = await newProfile(browser);
    try {
      const page = await openWindow(profile, `${relay.url}/`);
      await page.getByRole('button', { name: 'English' }).click();
      await waitFor('English text', async () =>
        (await page.locator('#workshops-heading').textContent()) === 'Workshops in this browser');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'true');
      await page.reload();
      await page.locator('#workshops-heading').waitFor();
      assert.equal(await page.locator('#workshops-heading').textContent(), 'Workshops in this browser');
      await page.getByRole('button', { name: 'Nederlands' }).click();
      await waitFor('Dutch text', async () =>
        (await page.locator('#workshops-heading').textContent()) === 'Workshops in deze browser');
      assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });

  it('tells the other windows of the browser over BroadcastChannel', async () => {
    const profile = await newProfile(browser);
    const stranger = await newProfile(browser);
    try {
      const console_ = await openWindow(profile, `${relay.url}/w/demo-2`);
      const projector = await openWindow(profile, `${relay.url}/w/demo-2/present`);
      const otherProfile = await openWindow(stranger, `${relay.url}/w/demo-2/present`);
      await projector.locator('h1').waitFor();
      await otherProfile.locator('h1').waitFor();
      assert.equal(await projector.locator('h1').textContent(), 'Projectie');

      await console_.getByRole('button', { name: 'English' }).click();
      await waitFor('the projector window to follow the console',
        async () => (await projector.locator('h1').textContent()) === 'Projector');
      // An isolated profile is another device: it must not hear this browser's channel.
      assert.equal(await otherProfile.locator('h1').textContent(), 'Projectie');
      assertNoProblems(console_);
      assertNoProblems(projector);
    } finally {
      await profile.close();
      await stranger.close();
    }
  });
});
