import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { demoElectors } from '../../apps/api/src/seed/demo-roll.ts';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { expect, test } from '../support/fixtures.ts';
import { activationCodeOn, bootstrapAdmin, pdfPages } from '../support/identity.ts';
import { addVirtualAuthenticator } from '../support/virtual-authenticator.ts';

// The roll is the council's one roll, and issuing a ward's poll cards gives new codes to all its
// electors without an account: this runs in its own Playwright project, before every other test
// (playwright.config.ts), so no test holds a Castle code it would make stale.

async function expectAccessible(page: Page, name: string) {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} overflows sideways`).toBeLessThanOrEqual(0);
  expect(await findAccessibilityViolations(page), name).toEqual([]);
}

test('an officer imports the roll (a problem report, then a preview and apply), downloads poll cards and a resident enrols with one', async ({ browser }) => {
  test.setTimeout(90_000);
  const { page, context } = await bootstrapAdmin(browser, 'Rowan Roll');
  await page.goto('/official/roll/import');

  // A broken file: every problem listed by line and column, nothing imported.
  await page.getByLabel('Upload the roll file').setInputFiles({
    name: 'broken.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(
      'elector_number,given_name,family_name,address,postcode,date_of_birth,district\n' +
        'CAS-9001,Ann,Able,1 Road,DB1 1AA,1980-02-31,CAS\n' +
        'CAS-9001,Ben,Baker,2 Road,NOT A POSTCODE,1981-01-01,ZZZ\n',
    ),
  });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('nothing was imported');
  const problems = page.getByRole('table', { name: 'Problems in the roll file' });
  await expect(problems.getByRole('row', { name: /date_of_birth/ })).toContainText('2');
  await expect(problems.getByRole('row', { name: /postcode/ })).toContainText('3');
  await expect(problems.getByRole('row', { name: /elector_number/ })).toContainText('CAS-9001 appears already on line 2');
  await expect(problems.getByRole('row', { name: /district/ })).toContainText('Unknown district "ZZZ"');
  await expectAccessible(page, 'roll import with problems');

  // A good file: today's roll plus two new electors in Castle.
  const header = 'elector_number,given_name,family_name,address,postcode,date_of_birth,district';
  const rows = demoElectors.map(([number, district, given, family, address, postcode, dateOfBirth]) => [number, given, family, `"${address}"`, postcode, dateOfBirth, district].join(','));
  rows.push('CAS-0101,Nadia,Newcombe,"9 Keep Lane",DB1 1AA,1990-05-05,CAS', 'CAS-0102,Piotr,Nowicki,"11 Keep Lane",DB1 1AA,1985-06-06,CAS');
  await page.getByLabel('Upload the roll file').setInputFiles({ name: 'roll.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${rows.join('\n')}\n`) });
  await page.getByRole('button', { name: 'Upload and check' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check the changes to the roll' })).toBeVisible();
  const summary = page.locator('.govuk-summary-list');
  await expect(summary.getByRole('definition').nth(0)).toHaveText(String(demoElectors.length + 2));
  await expect(summary).toContainText('Electors added2');
  await expect(summary).toContainText('Electors removed0');
  await expect(page.getByRole('table', { name: 'Electors added' })).toContainText('Nadia Newcombe');
  await expectAccessible(page, 'import preview');

  await page.getByRole('button', { name: 'Apply these changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Roll updated' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(/RollCommitted, entry \d+ of the registry log/);
  await expect(page.getByRole('main')).toContainText(`${demoElectors.length + 2} electors on the roll`);
  await expectAccessible(page, 'import applied');

  // Poll cards for Castle: a PDF of letters, one per elector without an account.
  await page.getByRole('link', { name: 'Download poll cards' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Poll cards' })).toBeVisible();
  await expectAccessible(page, 'poll cards');
  // Issuing is a POST with the CSRF token (it gives the ward new codes), then the letters download.
  // The old GET (which a prefetch or another site could trigger) is no route, even with the officer's cookie.
  const oldGet = await page.request.get('/api/roll/poll-cards.pdf?district=CAS');
  expect(oldGet.status()).toBe(404);
  expect(((await oldGet.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  await page.getByRole('button', { name: 'Issue poll cards for Castle' }).click();
  // It says first what will happen (new codes; earlier unused ones stop working) and asks again.
  const confirmation = page.getByRole('group', { name: 'Issue the poll cards of Castle?' });
  await expect(confirmation).toContainText(/This makes \d+ letters/);
  await expect(confirmation).toContainText(/(earlier code|stops? working)/);
  const issued = page.waitForResponse((r) => r.url().endsWith('/api/roll/poll-cards') && r.request().method() === 'POST');
  await confirmation.getByRole('button', { name: 'Yes, issue new codes' }).click();
  const issuedResponse = await issued;
  expect(issuedResponse.status()).toBe(200);
  expect(issuedResponse.request().postDataJSON()).toEqual({ district: 'CAS' });
  expect(await issuedResponse.request().headerValue('x-csrf-token')).toBeTruthy();
  await expectAccessible(page, 'poll cards issued');
  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download poll cards for Castle (PDF)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('poll-cards-CAS.pdf');
  const pdf = await readFile((await download.path()) as string);
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const letters = await pdfPages(new Uint8Array(pdf));
  const nadiasLetter = letters.find((text) => text.includes('CAS-0101'));
  expect(nadiasLetter).toContain('Nadia Newcombe');
  const code = activationCodeOn(nadiasLetter ?? '');

  // Nadia enrols with the code from her letter, on her own device.
  const resident = await browser.newContext();
  const residentPage = await resident.newPage();
  await addVirtualAuthenticator(residentPage);
  await residentPage.goto(`/enrol?code=${code}`);
  await residentPage.getByRole('button', { name: 'Continue' }).click();
  await residentPage.getByLabel('My postcode').check();
  await residentPage.getByLabel('Postcode', { exact: true }).fill('DB1 1AA');
  await residentPage.getByRole('button', { name: 'Continue' }).click();
  await residentPage.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(residentPage.getByText('Signed in as Nadia')).toBeVisible();
  await residentPage.goto('/account');
  // Her pseudonym is in the RollCommitted entry's roll and in her Enrolled entry.
  await expect(residentPage.getByRole('region', { name: /^Enrolled/ })).toBeVisible();
  // A resident is not staff: the official app shows them the sign-in page.
  await residentPage.goto('/official/roll/import');
  await expect(residentPage.getByText('You are signed in as a resident')).toBeVisible();
  await resident.close();

  // The electors list shows her account; the officer re-issues Piotr's card and gets his letter.
  await page.goto('/official/roll/electors?q=CAS-01');
  const electors = page.getByRole('table', { name: 'Electors' });
  await expect(electors.getByRole('row', { name: /CAS-0101/ })).toContainText('Set up, 1 active passkey');
  await expectAccessible(page, 'electors');
  await electors.getByRole('link', { name: 'Re-issue card for CAS-0102' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Re-issue a poll card' })).toBeVisible();
  await expect(page.locator('.govuk-warning-text')).toContainText('The old activation code will stop working');
  await expectAccessible(page, 're-issue a card');
  await page.getByRole('button', { name: 'Re-issue the poll card' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New poll card issued' })).toBeVisible();
  const letterDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download the poll card letter (PDF)' }).click();
  const letter = await readFile((await (await letterDownload).path()) as string);
  const [letterText] = await pdfPages(new Uint8Array(letter));
  expect(letterText).toContain('Piotr Nowicki');
  activationCodeOn(letterText ?? '');
  await context.close();
});
