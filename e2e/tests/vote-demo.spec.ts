import { expect, type Page } from '@playwright/test';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { startDemoServer } from '../support/election-demo-server.ts';
import { decryptAsTrustee, electionStatus, expectPublishedCounts, joinWithInvitation } from '../support/election-official.ts';
import { castBallot, enrolResident, startVoting } from '../support/election-voter.ts';
import { test } from '../support/fixtures.ts';

// The demo seed (apps/api/src/seed/demo-election.ts) creates this election, open, on the fresh database.
const DEMO_TITLE = 'Demo election (not real): favourite park improvement';
// Tomasz Nowak, CAS-0004: no other e2e test enrols him.
const TOMASZ = { number: 'CAS-0004', givenName: 'Tomasz', postcode: 'DB1 1AB' };
const PARK = 'Which improvement should Demo Park get first?';

// Fixtures included (the card issuer runs `npm run admin:invite`; the second test starts a server of
// its own): on a loaded 2-core machine these take well over Playwright's default 30 s.
test.describe.configure({ timeout: 300_000 });

async function expectAccessible(page: Page) {
  expect(await findAccessibilityViolations(page)).toEqual([]);
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

test('a demo resident votes in the demo election, checks a ballot’s encryption, casts and checks the ballot', async ({ page, cardIssuer, virtualAuthenticator, pageProblems }) => {
  const code = await cardIssuer.issueCode(TOMASZ.number);
  await page.goto(`/enrol?code=${code}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('My postcode').check();
  await page.getByLabel('Postcode', { exact: true }).fill(TOMASZ.postcode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(heading(page, 'Your account is set up')).toBeVisible();

  // Elections I may vote in.
  await page.goto('/elections');
  await expect(heading(page, 'Elections you can vote in')).toBeVisible();
  const demo = page.getByRole('link', { name: DEMO_TITLE });
  await expect(demo).toBeVisible();
  await expectAccessible(page);
  await demo.click();
  await expect(heading(page, DEMO_TITLE)).toBeVisible();
  await expect(page.getByText('only your last ballot counts')).toBeVisible();

  // The credential: one passkey assertion, seen only as the first step of the progress line.
  await page.getByRole('button', { name: 'Confirm it’s you and start' }).click();
  await expect(heading(page, 'Choose your answers')).toBeVisible();
  expect(await virtualAuthenticator.credentials()).toHaveLength(1);
  await expect(page.getByRole('navigation', { name: 'Voting progress' })).toContainText('Completed');
  await expectAccessible(page);

  // min/max enforced with an error summary.
  await page.getByRole('button', { name: 'Continue' }).click();
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toContainText(`Select an answer for “${PARK}”`);
  await expect(page).toHaveTitle(/^Error: /);
  await page.getByLabel('More trees and benches').check();
  for (const label of ['A monthly market', 'Outdoor cinema', 'Summer concerts']) await page.getByLabel(label).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(summary).toContainText('Select no more than 2 answers');
  await expectAccessible(page);
  await page.getByLabel('Summer concerts').uncheck();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(heading(page, 'Check your answers before sealing your ballot')).toBeVisible();
  await expect(page.locator('.govuk-summary-list')).toContainText('More trees and benches');
  await page.getByRole('button', { name: 'Seal my ballot' }).click();
  await expect(heading(page, 'Your ballot is sealed and ready to cast')).toBeVisible();
  await expectAccessible(page);

  // The Benaloh check: the sealed ballot is opened in public and shown back, then a fresh one is sealed.
  await page.getByRole('button', { name: 'Check this ballot’s encryption' }).click();
  await expect(heading(page, 'Your ballot’s encryption has been checked')).toBeVisible();
  await expect(page.getByText('The opened ballot matches the answers you chose.')).toBeVisible();
  await expect(page.locator('.govuk-summary-list')).toContainText('More trees and benches');
  await expect(page.locator('.govuk-summary-list')).toContainText('A monthly market, Outdoor cinema');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Seal a fresh ballot' }).click();
  await expect(heading(page, 'Your ballot is sealed and ready to cast')).toBeVisible();

  // Cast: the confirmation panel, the tracking code and the receipt.
  await page.getByRole('button', { name: 'Cast my ballot' }).click();
  await expect(heading(page, 'Ballot cast')).toBeVisible();
  const firstCode = (await page.getByTestId('tracking-code').textContent())!;
  expect(firstCode).toMatch(/^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
  await expect(page.getByRole('link', { name: /Download your receipt/ })).toBeVisible();
  await expectAccessible(page);

  // Re-voting until close, with the same credential (kept in this tab only): the last ballot counts.
  await page.getByRole('button', { name: 'Vote again' }).click();
  await expect(heading(page, 'Choose your answers')).toBeVisible();
  await page.getByLabel('A new playground').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Seal my ballot' }).click();
  await page.getByRole('button', { name: 'Cast my ballot' }).click();
  await expect(heading(page, 'Ballot cast')).toBeVisible();
  const revoteCode = (await page.getByTestId('tracking-code').textContent())!;
  expect(revoteCode).not.toBe(firstCode);
  expect(await virtualAuthenticator.credentials()).toHaveLength(1);
  // The receipt file, once a published checkpoint covers the ballot.
  const receiptLink = page.getByRole('link', { name: 'Download your receipt', exact: true });
  await expect(receiptLink).toBeVisible({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), receiptLink.click()]);
  const receiptPath = await download.path();

  // Check my ballot: the tracking code is found in the ledger, its receipt verified in the browser.
  await page.getByRole('link', { name: 'Check my ballot' }).click();
  await expect(heading(page, 'Check my ballot')).toBeVisible();
  const full = await page.getByLabel('Tracking code').inputValue();
  expect(full.slice(0, 12).toUpperCase()).toBe(revoteCode.replaceAll('-', ''));
  await expect(async () => {
    await page.getByRole('button', { name: 'Check' }).click();
    await expect(page.getByTestId('receipt-check')).toContainText('Verified', { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('counted')).toContainText('has not closed yet');
  await expectAccessible(page);
  // The short code from the "Ballot cast" panel finds the same ballot.
  await page.getByLabel('Tracking code').fill(revoteCode);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.locator('#ballot-result')).toContainText(full);
  await expect(page.locator('.govuk-error-summary')).toHaveCount(0);

  // The same check from the receipt file alone, verified with the keys it carries.
  await page.reload();
  await page.getByLabel('Or upload your receipt file').setInputFiles(receiptPath);
  await expect(page.getByTestId('receipt-check')).toContainText('Verified');
  await expect(page.getByLabel('Tracking code')).toHaveValue(full);

  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
});

// The README's demo walkthrough to its end, on a Townhall of the test's own started like `npm start`
// (the shared server's demo election stays open for the other specs): everything the test uses —
// the activation code, the trustees' sign-in links, the key files and their passphrase — is read
// from what the server printed at start.
test('after `npm start`, the demo election is voted in, closed by an official, and decrypted by two demo trustees with their key files', async ({ browser }) => {
  const demo = await startDemoServer();
  const contexts = [];
  try {
    expect(demo.residentCodes.length).toBeGreaterThan(0);
    expect([...demo.trusteeLinks.keys()]).toEqual([1, 2, 3]);

    // A demo resident enrols with the printed code and votes.
    const [resident] = demo.residentCodes;
    const voter = await enrolResident(browser, resident!.code, resident!.postcode, demo.baseUrl);
    contexts.push(voter.context);
    await startVoting(voter.page, DEMO_TITLE);
    await castBallot(voter.page, ['More trees and benches', 'Outdoor cinema']);

    // An administrator (npm run admin:invite) closes the demo election early and starts the tally.
    const official = await joinWithInvitation(browser, demo.baseUrl, await demo.adminInvitation('Demo Administrator'));
    contexts.push(official.context);
    await official.page.goto(`/official/elections/${demo.electionId}`);
    await expect(electionStatus(official.page)).toHaveText('Open');
    await official.page.getByRole('button', { name: 'Close the election now' }).click();
    // Closing cannot be undone: the page says so and asks again.
    await expect(official.page.getByRole('group', { name: 'Close the election now?' })).toContainText('This cannot be undone');
    await official.page.getByRole('button', { name: 'Yes, close the election now' }).click();
    await expect(electionStatus(official.page)).toHaveText('Closed');
    await official.page.getByRole('button', { name: 'Start the tally' }).click();
    await official.page.getByRole('button', { name: 'Yes, start the tally' }).click();
    await expect(electionStatus(official.page)).toHaveText('Decrypting');

    // Demo trustees 1 and 3 sign in with their printed links and decrypt with their key files.
    for (const index of [1, 3]) {
      const trustee = await joinWithInvitation(browser, demo.baseUrl, demo.trusteeLinks.get(index)!);
      contexts.push(trustee.context);
      await trustee.page.goto(`/official/trustee/elections/${demo.electionId}`);
      await expect(trustee.page.getByTestId('your-index')).toContainText(`You are trustee ${index} of 3`);
      await decryptAsTrustee(trustee.page, await demo.keyFile(index), demo.passphrase);
      // scrypt opens the key file in a Web Worker while the page says it is working.
      await expect(trustee.page.getByTestId('key-file-working')).toBeVisible();
      await expect(trustee.page.getByTestId('decrypted').or(trustee.page.getByRole('heading', { name: 'Result' }))).toBeVisible({ timeout: 60_000 });
    }

    // The demo result is published and matches the one ballot cast.
    await expect(electionStatus(official.page)).toHaveText('Result published', { timeout: 30_000 });
    await expectPublishedCounts(official.page, PARK, { 'A new playground': 0, 'More trees and benches': 1, 'Better lighting on the paths': 0 });
    await expectPublishedCounts(official.page, 'Which events would you attend? (choose up to 2)', { 'A monthly market': 0, 'Outdoor cinema': 1, 'Summer concerts': 0 });
    await expect(official.page.getByRole('main')).toContainText('1 ballot was counted. Decrypted by trustees 1, 3 (threshold 2).');

    // The resident meets the result: the start page says no election is open and leads to it, with
    // when voting actually closed (early, not 30 days on); its page shows the counts and turnout;
    // voting is not offered any more.
    await voter.page.goto('/');
    await expect(voter.page.getByRole('heading', { name: 'There is no election open' })).toBeVisible();
    const listed = voter.page.getByTestId('other-elections').getByRole('listitem').filter({ hasText: DEMO_TITLE });
    await expect(listed).toContainText('Result published');
    await expect(listed).toContainText(/Voting closed early, on \d+ \w+ \d{4} at \d\d:\d\d\. The result is published\./);
    await listed.getByRole('link', { name: DEMO_TITLE }).click();
    await expect(voter.page.getByRole('table', { name: `${PARK}: votes for each answer` })).toContainText('More trees and benches1');
    await expect(voter.page.getByTestId('turnout')).toContainText('Ballots counted1');
    await expect(voter.page.getByRole('link', { name: 'Verify this election’s result' })).toHaveAttribute('href', '/verify/');
    await voter.page.goto(`/elections/${demo.electionId}/vote`);
    await expect(voter.page).toHaveURL(new RegExp(`/elections/${demo.electionId}$`));
    await expect(voter.page.getByText(/vote again/i)).toHaveCount(0);
    // The verifier's start page gives the actual close too.
    await voter.page.goto('/verify/');
    await expect(voter.page.locator(`[data-election="${demo.electionId}"]`).getByTestId('voting-times')).toContainText('when it was closed early');
  } finally {
    for (const context of contexts) await context.close();
    await demo.stop();
  }
});
