/**
 * The official's and the trustees' sides of an election in the official app, each in its own browser.
 */
import { readFile } from 'node:fs/promises';
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { addVirtualAuthenticator } from './virtual-authenticator.ts';

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

/** A `datetime-local` value `secondsFromNow` ahead, in the page's own time zone (what the form reads). */
export function localDateTime(page: Page, secondsFromNow: number): Promise<string> {
  return page.evaluate((seconds) => {
    const at = new Date(Date.now() + seconds * 1000);
    return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
  }, secondsFromNow);
}

export const electionStatus = (page: Page) => page.getByTestId('election-status');

/**
 * Trustee round 1 → 3 in the trustee's browser: make the key, save the sealed file, send the shares
 * once everyone has committed, check the shares received. Returns the saved key file's text.
 */
export async function runTrusteeCeremony(page: Page, electionId: string, passphrase: string): Promise<string> {
  await page.goto(`/official/trustee/elections/${electionId}`);
  await expect(page.getByRole('heading', { name: 'Step 1: make your part of the key' })).toBeVisible({ timeout: 20_000 });
  await page.getByLabel('Choose a passphrase').fill(passphrase);
  await page.getByLabel('Type the passphrase again').fill(passphrase);
  await page.getByRole('button', { name: 'Make my key and publish the commitment' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download your key file' }).click({ timeout: 30_000 });
  const file = await readFile((await (await download).path()) as string, 'utf8');
  await page.getByRole('button', { name: 'Send your shares' }).click({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Check the shares sent to you' }).click({ timeout: 60_000 });
  // Its own row of the public progress table (the page moves on once everyone has accepted).
  await expect(page.getByRole('row', { name: /\(you\)/ })).toContainText('Accepted');
  return file;
}

/** At tally time the trustee opens the saved file with its passphrase; the page decrypts and posts. */
export async function decryptAsTrustee(page: Page, keyFile: string, passphrase: string): Promise<void> {
  await page.getByLabel('Your key file').setInputFiles({ name: 'key.json', mimeType: 'application/json', buffer: Buffer.from(keyFile) });
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Open the key file and decrypt' }).click();
}

export async function expectOnTrusteePage(page: Page, title: string) {
  await expect(heading(page, title)).toBeVisible();
}

/** A new browser (context on `baseUrl`) with its own passkey accepts a staff invitation link. */
export async function joinWithInvitation(browser: Browser, baseUrl: string, invitationUrl: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl });
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await page.goto(invitationUrl);
  await page.getByRole('button', { name: 'Create a passkey and join' }).click();
  // Several people join at once on a shared 2-core machine: a passkey ceremony may take a while.
  await expect(heading(page, 'You have joined')).toBeVisible({ timeout: 30_000 });
  return { context, page };
}

/** The published counts of one contest (by its title), option label → votes, read exactly (1 is not 10). */
export async function expectPublishedCounts(page: Page, contestTitle: string, counts: Record<string, number>) {
  const table = page.getByRole('table', { name: contestTitle, exact: true });
  for (const [option, count] of Object.entries(counts)) {
    const row = table.locator('tbody tr').filter({ has: page.getByRole('rowheader', { name: option, exact: true }) });
    await expect(row.getByRole('cell'), option).toHaveText(String(count));
  }
  await expect(table.locator('tbody').getByRole('row')).toHaveCount(Object.keys(counts).length);
}
