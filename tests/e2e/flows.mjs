// Steps that several end-to-end tests share, written the way a person would do them.
import { waitFor } from './harness.mjs';

/** From the home page: create a workshop from the chosen template; returns its id. */
export async function createWorkshop(page, baseUrl, { template = 'seed' } = {}) {
  await page.goto(`${baseUrl}/`);
  await page.locator('#template').selectOption(template);
  await page.getByRole('button', { name: /Workshop maken|Create workshop/ }).click();
  await page.waitForURL(/\/w\/[0-9a-f]+$/);
  await page.locator('.block-row').first().waitFor();
  return new URL(page.url()).pathname.split('/')[2];
}

/** Seconds left on a countdown, from its `m:ss` or `+m:ss` (negative when over time). */
export async function secondsLeft(page) {
  const text = (await page.locator('.countdown__digits').first().textContent()).trim();
  const match = text.match(/^(\+?)(\d+):(\d\d)$/);
  if (!match) return null;
  const seconds = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '+' ? -seconds : seconds;
}

/** Waits until the projector shows the same remaining time as the console, within 1 s. */
export async function sameTimeOnBoth(consolePage, projectorPage) {
  return waitFor('the projector and console to show the same time', async () => {
    const [a, b] = await Promise.all([secondsLeft(consolePage), secondsLeft(projectorPage)]);
    return a !== null && b !== null && Math.abs(a - b) <= 1 ? [a, b] : false;
  });
}

/** Presses "Workshop starten"; when that is far from the planned start (most test runs are
 * not at 09:45) the console asks whether to move the plan: `moveThePlan` answers. */
export async function startWorkshop(page, { moveThePlan = false } = {}) {
  await page.getByRole('button', { name: 'Workshop starten' }).click();
  const dialog = page.getByRole('dialog', { name: 'Nu beginnen?' });
  const running = page.getByRole('button', { name: 'Pauzeren' });
  await Promise.race([dialog.waitFor(), running.waitFor()]);
  if (await dialog.isVisible()) {
    await dialog.getByTestId(moveThePlan ? 'rebase-yes' : 'rebase-keep').click();
    await running.waitFor();
  }
}
