import { expect, type Page } from '@playwright/test';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { test } from '../support/fixtures.ts';

// The demo seed (apps/api/src/seed/demo-election.ts) creates this election, open, on the fresh database.
const DEMO_TITLE = 'Demo election (not real): favourite park improvement';
// Tomasz Nowak, CAS-0004: no other e2e test enrols him.
const TOMASZ = { number: 'CAS-0004', givenName: 'Tomasz', postcode: 'DB1 1AB' };
const PARK = 'Which improvement should Demo Park get first?';

async function expectAccessible(page: Page) {
  expect(await findAccessibilityViolations(page)).toEqual([]);
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

test('a demo resident votes in the demo election, checks a ballot’s encryption, casts and checks the ballot', async ({ page, cardIssuer, virtualAuthenticator, pageProblems }) => {
  test.setTimeout(90_000);
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

  // The same check from the receipt file alone, verified with the keys it carries.
  await page.reload();
  await page.getByLabel('Or upload your receipt file').setInputFiles(receiptPath);
  await expect(page.getByTestId('receipt-check')).toContainText('Verified');
  await expect(page.getByLabel('Tracking code')).toHaveValue(full);

  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
});
