import type { Page } from '@playwright/test';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { expect, test } from '../support/fixtures.ts';
import { createAdminInvitation, joinAsStaff } from '../support/identity.ts';

test.describe.configure({ timeout: 90_000 });

const staffNavigation = (page: Page) => page.getByRole('navigation', { name: 'Staff pages' });

async function expectAccessible(page: Page, name: string) {
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `${name} overflows sideways`).toBeLessThanOrEqual(0);
  expect(await findAccessibilityViolations(page), name).toEqual([]);
}

test('the first admin joins with the admin:invite link and invites an officer, who sees only officer pages', async ({ page, browser, virtualAuthenticator, pageProblems }) => {
  const link = await createAdminInvitation('Ada Admin');
  expect(link).toMatch(/^http:\/\/localhost:\d+\/official\/invite\/[A-Za-z0-9_-]+$/);
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Accept your invitation' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Ada Admin, you have been invited to join as an administrator');
  await page.getByRole('button', { name: 'Create a passkey and join' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You have joined' })).toBeVisible();
  expect(await virtualAuthenticator.credentials()).toHaveLength(1);
  await expect(page.getByText('Signed in as Ada Admin (admin)')).toBeVisible();

  // The link worked once.
  const reused = await browser.newPage();
  await reused.goto(link);
  await expect(reused.getByRole('heading', { level: 1, name: 'This invitation link is not valid' })).toBeVisible();
  await reused.close();

  // Overview: every page an admin may use, the roll and the system status.
  await page.getByRole('link', { name: 'Continue to the overview' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Council overview' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'System status' })).toContainText('PostgreSQL, reachable');
  await expect(staffNavigation(page).getByRole('link')).toHaveText(['Overview', 'Elections', 'Import the roll', 'Electors', 'Poll cards', 'Staff', 'Staff actions', 'Townhall ID services', 'Organisations', 'Powers of attorney', 'Sign out']);

  // Invite an officer; the form says what is missing first.
  await staffNavigation(page).getByRole('link', { name: 'Staff', exact: true }).click();
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('Select the role to invite them to');
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter the name of the person you are inviting');
  await page.getByLabel('Electoral registration officer').check();
  await page.getByLabel('Their name').fill('Olu Officer');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  const invitation = page.getByLabel('Invitation link');
  await expect(invitation).toHaveValue(/\/official\/invite\//);
  const officerLink = await invitation.inputValue();

  // The officer joins from another browser, with a passkey on their own device.
  const officer = await joinAsStaff(browser, officerLink);
  await officer.page.getByRole('link', { name: 'Continue to the overview' }).click();
  await expect(officer.page.getByText('Signed in as Olu Officer (officer)')).toBeVisible();
  await expect(staffNavigation(officer.page).getByRole('link')).toHaveText(['Overview', 'Elections', 'Import the roll', 'Electors', 'Poll cards', 'Powers of attorney', 'Sign out']);
  await officer.page.goto('/official/staff');
  await expect(officer.page.getByRole('heading', { level: 1, name: 'You cannot use this page' })).toBeVisible();
  // The API agrees: an officer may not list staff.
  expect((await officer.page.request.get('/api/staff')).status()).toBe(403);

  // The officer signs out and in again with the passkey.
  await staffNavigation(officer.page).getByRole('link', { name: 'Sign out' }).click();
  await expect(officer.page.getByRole('heading', { level: 1, name: 'You have signed out' })).toBeVisible();
  await officer.page.goto('/official/roll/import');
  await expect(officer.page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await officer.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(officer.page.getByRole('heading', { level: 1, name: 'Import the electoral roll' })).toBeVisible();
  await officer.context.close();

  // The admin sees the officer in the staff list and what both did.
  await page.reload();
  await expect(page.getByRole('table', { name: 'Staff members' })).toContainText('Olu Officer');
  await page.getByRole('link', { name: 'See what staff have done' }).click();
  const actions = page.getByRole('table', { name: 'Staff actions' });
  // One vocabulary: actions in words, not internal names or routes.
  await expect(actions).toContainText('Invited a member of staff');
  await expect(actions).not.toContainText('staff.invite');
  await expect(actions).toContainText('Olu Officer');
  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
});

test('anonymous visitors and residents see the sign-in page, not staff pages', async ({ page }) => {
  for (const path of ['/official/', '/official/roll/import', '/official/staff', '/official/roll/electors']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await expect(page.getByText('Not signed in')).toBeVisible();
  }
  await page.goto('/official/invite/not-a-real-token');
  await expect(page.getByRole('heading', { level: 1, name: 'This invitation link is not valid' })).toBeVisible();
});

test('every staff page passes WCAG 2.2 AA checks and fits the screen @phone', async ({ page, virtualAuthenticator: _device }, testInfo) => {
  const adminName = `Axe Admin ${testInfo.project.name}`;
  const link = await createAdminInvitation(adminName);
  await page.goto('/official/');
  await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
  await expectAccessible(page, 'sign in');
  await page.goto(link);
  await expect(page.getByRole('heading', { level: 1, name: 'Accept your invitation' })).toBeVisible();
  await expectAccessible(page, 'invitation');
  await page.getByRole('button', { name: 'Create a passkey and join' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You have joined' })).toBeVisible();
  await expectAccessible(page, 'joined');
  for (const [path, name] of [
    ['/official/', 'overview'],
    ['/official/roll/import', 'roll import'],
    ['/official/roll/electors', 'electors'],
    ['/official/roll/poll-cards', 'poll cards'],
    ['/official/roll/electors/RVS-0003/reissue', 're-issue a card'],
    ['/official/staff', 'staff'],
    ['/official/staff/actions', 'staff actions'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByText(`Signed in as ${adminName} (admin)`)).toBeVisible();
    await expectAccessible(page, name);
  }
  await page.goto('/official/staff');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.locator('.govuk-error-summary')).toBeFocused();
  await expectAccessible(page, 'staff form with errors');
  await page.getByLabel('Trustee').check();
  await page.getByLabel('Their name').fill('Tara Trustee');
  await page.getByLabel('Election').fill('mayor-2026');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  // A trustee of an election that does not exist is refused (nothing is created).
  await expect(page.locator('.govuk-error-summary')).toContainText('There is no such election');
  await page.getByLabel('Electoral registration officer').check();
  await page.getByLabel('Their name').fill('Olu Officer');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.getByLabel('Invitation link')).toHaveValue(/\/official\/invite\//);
  await expectAccessible(page, 'staff with a new invitation');
});
