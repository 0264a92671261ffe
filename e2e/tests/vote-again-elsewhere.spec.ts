import { expect, test, type Browser, type Page, type TestInfo } from '@playwright/test';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { startDemoServer, type DemoServer } from '../support/election-demo-server.ts';
import { decryptAsTrustee, electionStatus, expectPublishedCounts, joinWithInvitation } from '../support/election-official.ts';
import { castBallot } from '../support/election-voter.ts';
import { syncPasskeyPrf } from '../support/synced-passkey.ts';
import { addVirtualAuthenticator } from '../support/virtual-authenticator.ts';

// Issue #20, residents 2: "vote again" from another browser or device with the same passkey, through
// the ballot-key vault (docs/protocol/key-ceremony-and-credentials.md §6), on a Townhall of the test's own
// started like `npm start` (its demo election is closed and tallied here; the shared server's stays open).

const DEMO_TITLE = 'Demo election (not real): favourite park improvement';
const PARK = 'Which improvement should Demo Park get first?';
const EVENTS = 'Which events would you attend? (choose up to 2)';
const THIS_TAB_ONLY = /vote again only from this browser tab/;

test.describe.configure({ timeout: 600_000 });

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function expectAccessible(page: Page, name: string) {
  expect(await findAccessibilityViolations(page), name).toEqual([]);
}

/** The page at desktop and phone width, for a person to look at (attached to the test's report). */
async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  const size = page.viewportSize();
  for (const width of [1280, 412]) {
    await page.setViewportSize({ width, height: 900 });
    const path = testInfo.outputPath(`${name}-${width}.png`);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${name}-${width}`, { path, contentType: 'image/png' });
  }
  if (size) await page.setViewportSize(size);
}

/** A resident in a browser of their own, with a passkey device that does (or does not) support PRF. */
async function newDevice(browser: Browser, demo: DemoServer, hasPrf: boolean) {
  const context = await browser.newContext({ baseURL: demo.baseUrl });
  const page = await context.newPage();
  // The sign-in page's button, not passkey autofill (the virtual authenticator would answer it on arrival).
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  const authenticator = await addVirtualAuthenticator(page, { hasPrf });
  return { context, page, authenticator };
}

async function enrol(page: Page, code: { code: string; postcode: string }) {
  await page.goto(`/enrol?code=${code.code}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('My postcode').check();
  await page.getByLabel('Postcode', { exact: true }).fill(code.postcode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(heading(page, 'Your account is set up')).toBeVisible({ timeout: 30_000 });
}

async function openVotePage(page: Page, electionId: string) {
  await page.goto(`/elections/${electionId}/vote`);
  await expect(heading(page, DEMO_TITLE)).toBeVisible({ timeout: 30_000 });
}

const TITLE = 'a resident casts in one browser, then votes again in a second browser with the same passkey; only the last ballot counts';
test(TITLE, async ({ browser }, testInfo) => {
  const demo = await startDemoServer();
  const contexts: { close(): Promise<void> }[] = [];
  try {
    const [resident, otherResident] = demo.residentCodes;
    expect(otherResident, 'the demo prints at least two residents’ codes').toBeDefined();

    // Device A: enrols with a passkey that supports PRF, gets the credential and casts. The key is
    // sealed and saved as part of getting the credential, so nothing warns that it stays in this tab.
    const first = await newDevice(browser, demo, true);
    contexts.push(first.context);
    await enrol(first.page, resident!);
    await openVotePage(first.page, demo.electionId);
    await expect(first.page.getByRole('main')).toContainText('locked with your passkey and saved');
    await screenshots(first.page, testInfo, 'vote-start');
    await first.page.getByRole('button', { name: 'Confirm it’s you and start' }).click();
    await expect(heading(first.page, 'Choose your answers')).toBeVisible({ timeout: 30_000 });
    const saved = await first.page.request.get(`/api/elections/${demo.electionId}/ballot-key`);
    expect(saved.status()).toBe(200);
    await first.page.getByLabel('A new playground', { exact: true }).check();
    await first.page.getByLabel('Summer concerts', { exact: true }).check();
    await first.page.getByRole('button', { name: 'Continue' }).click();
    await first.page.getByRole('button', { name: 'Seal my ballot' }).click();
    await expect(heading(first.page, 'Your ballot is sealed and ready to cast')).toBeVisible({ timeout: 30_000 });
    await expect(first.page.getByText(THIS_TAB_ONLY)).toHaveCount(0);
    await first.page.getByRole('button', { name: 'Cast my ballot' }).click();
    await expect(heading(first.page, 'Ballot cast')).toBeVisible({ timeout: 30_000 });
    await expect(first.page.getByText('from this or any other device where you can use your passkey')).toBeVisible();
    const firstCode = await first.page.getByTestId('tracking-code').textContent();

    // Device B: a separate browser context holding the same passkey, signed in with it.
    const second = await newDevice(browser, demo, true);
    contexts.push(second.context);
    const [passkey] = await first.authenticator.credentials();
    await second.authenticator.addCredential(passkey!);
    await syncPasskeyPrf(first.page, second.page);
    await second.page.goto('/sign-in');
    await second.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(second.page.getByRole('navigation', { name: 'Account' })).toContainText('Sign out', { timeout: 30_000 });
    expect(await second.page.evaluate(() => sessionStorage.length)).toBe(0);

    await openVotePage(second.page, demo.electionId);
    await expect(second.page.locator('.govuk-inset-text')).toContainText('You already have a voting key for this election');
    await expect(second.page.getByText(/only from that tab/)).toHaveCount(0);
    await expectAccessible(second.page, 'vote again from another device');
    await screenshots(second.page, testInfo, 'vote-again-elsewhere');

    // A server that hands back an altered record is caught: the record does not open, nothing is cast.
    await second.page.route('**/api/elections/*/ballot-key', async (route) => {
      const response = await route.fetch();
      const record = (await response.json()) as { wrappedKey: string };
      const last = record.wrappedKey.slice(-2) === '00' ? '01' : '00';
      await route.fulfill({ response, json: { ...record, wrappedKey: record.wrappedKey.slice(0, -2) + last } });
    });
    await second.page.reload();
    await second.page.getByRole('button', { name: 'Confirm it’s you and vote again' }).click();
    await expect(second.page.locator('.govuk-error-summary')).toContainText('Your saved voting key could not be opened');
    await expect(heading(second.page, DEMO_TITLE)).toBeVisible();
    await expectAccessible(second.page, 'saved key altered');
    await screenshots(second.page, testInfo, 'vote-again-altered-record');
    await second.page.unroute('**/api/elections/*/ballot-key');

    // The genuine record opens with the passkey, and the resident votes again from device B.
    await second.page.reload();
    await second.page.getByRole('button', { name: 'Confirm it’s you and vote again' }).click();
    const secondCode = await castBallot(second.page, ['More trees and benches', 'Outdoor cinema']);
    expect(secondCode).not.toBe(firstCode);

    // A resident whose passkey has no PRF is told before casting that re-voting then stays in this tab.
    const plain = await newDevice(browser, demo, false);
    contexts.push(plain.context);
    await enrol(plain.page, otherResident!);
    await openVotePage(plain.page, demo.electionId);
    await plain.page.getByRole('button', { name: 'Confirm it’s you and start' }).click();
    await plain.page.getByLabel('Better lighting on the paths', { exact: true }).check();
    await plain.page.getByRole('button', { name: 'Continue' }).click();
    await plain.page.getByRole('button', { name: 'Seal my ballot' }).click();
    await expect(heading(plain.page, 'Your ballot is sealed and ready to cast')).toBeVisible({ timeout: 30_000 });
    const warning = plain.page.locator('.govuk-warning-text');
    await expect(warning).toContainText('Your passkey cannot lock your voting key for use on other devices');
    await expectAccessible(plain.page, 'this tab only, before casting');
    await screenshots(plain.page, testInfo, 'vote-this-tab-only');
    await plain.page.getByRole('button', { name: 'Cast my ballot' }).click();
    await expect(heading(plain.page, 'Ballot cast')).toBeVisible({ timeout: 30_000 });
    await expect(plain.page.getByText('from this browser tab only')).toBeVisible();
    // A new tab has no key, and nothing was saved: it says where re-voting is still possible.
    const newTab = await plain.context.newPage();
    await openVotePage(newTab, demo.electionId);
    await expect(newTab.locator('.govuk-warning-text')).toContainText('You can vote again only from that tab');
    await expect(newTab.getByText('as many times as you like')).toHaveCount(0);
    await expect(newTab.getByRole('button', { name: /Confirm it’s you/ })).toHaveCount(0);
    await expectAccessible(newTab, 'key in another tab, not saved');
    await screenshots(newTab, testInfo, 'vote-key-in-other-tab');

    // Close, tally and decrypt: the counts are device B's ballot and the other resident's, not device A's.
    const official = await joinWithInvitation(browser, demo.baseUrl, await demo.adminInvitation('Demo Administrator'));
    contexts.push(official.context);
    await official.page.goto(`/official/elections/${demo.electionId}`);
    await official.page.getByRole('button', { name: 'Close the election now' }).click();
    await official.page.getByRole('button', { name: 'Yes, close the election now' }).click();
    await expect(electionStatus(official.page)).toHaveText('Closed');
    await official.page.getByRole('button', { name: 'Start the tally' }).click();
    await official.page.getByRole('button', { name: 'Yes, start the tally' }).click();
    for (const index of [1, 3]) {
      const trustee = await joinWithInvitation(browser, demo.baseUrl, demo.trusteeLinks.get(index)!);
      contexts.push(trustee.context);
      await trustee.page.goto(`/official/trustee/elections/${demo.electionId}`);
      await decryptAsTrustee(trustee.page, await demo.keyFile(index), demo.passphrase);
      const done = trustee.page.getByTestId('decrypted').or(trustee.page.getByRole('heading', { name: 'Result' }));
      await expect(done).toBeVisible({ timeout: 90_000 });
    }
    await expect(electionStatus(official.page)).toHaveText('Result published', { timeout: 60_000 });
    const park = { 'A new playground': 0, 'More trees and benches': 1, 'Better lighting on the paths': 1 };
    await expectPublishedCounts(official.page, PARK, park);
    await expectPublishedCounts(official.page, EVENTS, { 'A monthly market': 0, 'Outdoor cinema': 1, 'Summer concerts': 0 });
    await expect(official.page.getByRole('main')).toContainText('2 ballots were counted.');
  } finally {
    for (const context of contexts) await context.close();
    await demo.stop();
  }
});
