// The app shell: it renders, every route survives a hard reload, the language switch
// works and persists, windows of one profile talk over BroadcastChannel, and axe finds no
// serious or critical violation on any route.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PHONE, PROJECTOR, assertNoProblems, audit, newProfile, openWindow, relayAndBrowserForSuite,
  screenshot, waitFor,
} from './harness.mjs';

describe('app shell', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('renders the home page with real content and no console errors', async () => {
    const profile = await newProfile(browser);
    try {
      const page = await openWindow(profile, `${relay.url}/`);
      await page.locator('h1#home-title').waitFor();
      assert.equal(await page.locator('h1#home-title').textContent(), 'Bijeen');
      assert.match(await page.locator('main').innerText(), /Workshops in deze browser/);
      assert.equal(await page.getAttribute('html', 'lang'), 'nl');
      assertNoProblems(page);
    } finally {
      await profile.close();
    }
  });

  const routes = [
    { path: '/', heading: 'Bijeen', name: 'home' },
    { path: '/w/demo-1', heading: 'Regiekamer', name: 'console' },
    { path: '/w/demo-1/present', heading: 'Projectie', name: 'projector' },
    { path: '/w/demo-1/join', heading: 'Meedoen', name: 'participant' },
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
