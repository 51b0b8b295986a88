// DESIGN: "Once loaded, the app should reload with no network at all (hashed assets cached
// by a service worker): a facilitator in a room with bad wifi must never lose the projector."
// The relay is the only server, so killing it takes away every byte of network the app has:
// what reloads after that comes from the service worker's cache.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LAPTOP, PROJECTOR, assertNoProblems, newProfile, openWindow, relayAndBrowserForSuite, screenshot,
  waitFor,
} from './harness.mjs';
import { createWorkshop, sameTimeOnBoth, startWorkshop } from './flows.mjs';

/** Waits until the service worker controls `page` and holds the build's wasm. */
async function keptForOffline(page) {
  await waitFor('the service worker to control the page and hold the wasm', () => page.evaluate(async () => {
    if (!navigator.serviceWorker?.controller) return false;
    const cache = await caches.open('bijeen-app-v1');
    const paths = (await cache.keys()).map((request) => new URL(request.url).pathname);
    return paths.some((path) => path.endsWith('_bg.wasm')) && paths.includes('/index.html');
  }), { timeout: 15_000 });
}

describe('offline reload', () => {
  let relay;
  let browser;
  relayAndBrowserForSuite((started) => ({ relay, browser } = started));

  it('reloads console, projector and home with the relay gone, and the timer keeps running', async () => {
    const profile = await newProfile(browser, LAPTOP);
    try {
      const console_ = await openWindow(profile);
      const id = await createWorkshop(console_, relay.url);
      const [projector] = await Promise.all([
        profile.waitForEvent('page'),
        console_.getByRole('button', { name: 'Projectie openen' }).click(),
      ]);
      projector.problems = [];
      projector.on('console', (message) => {
        if (message.type() === 'error') projector.problems.push(`console.error: ${message.text()}`);
      });
      projector.on('pageerror', (error) => projector.problems.push(`uncaught: ${error.message}`));
      await projector.setViewportSize(PROJECTOR);
      await projector.locator('[data-testid=projector-block]').waitFor();
      await startWorkshop(console_);
      await sameTimeOnBoth(console_, projector);
      await keptForOffline(console_);
      await keptForOffline(projector);

      await relay.crash();
      // Nothing answers on the relay's port any more.
      const reachable = await fetch(`${relay.url}/healthz`).then(() => true, () => false);
      assert.equal(reachable, false, 'the relay is really gone');

      await projector.reload();
      await waitFor('the projector to show the running block again', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()) === 'Waarom werken in netwerken?',
      { timeout: 15_000 });
      await console_.reload();
      await console_.locator('.block-row').first().waitFor({ timeout: 15_000 });
      const [left] = await sameTimeOnBoth(console_, projector);
      assert.ok(left > 25 * 60 && left <= 30 * 60, `the first block still runs, ${left}s left`);
      await screenshot(projector, 'projector-offline-reload-1920');

      // The timer still steers the projector with no network: windows talk in the browser.
      await console_.getByRole('button', { name: 'Volgend blok' }).click();
      await waitFor('the projector to follow to block 2 while offline', async () =>
        (await projector.locator('[data-testid=projector-block]').textContent()).startsWith('Bespreken van aansprekende voorbeelden'));

      // Any client-side route gets the cached shell: home lists the workshop.
      await console_.goto(`${relay.url}/`);
      await console_.locator('.workshop-list').getByRole('link', { name: 'Werken in netwerken' }).first().waitFor({ timeout: 15_000 });
      assert.ok(id.length > 0);

      await relay.restart();
      await console_.goto(`${relay.url}/w/${id}`);
      await console_.locator('.block-row').first().waitFor();
      assertNoProblems(console_);
      assertNoProblems(projector);
    } finally {
      await profile.close();
    }
  });
});
