/**
 * WCAG 2.2 AA (axe-core) on every page of the three apps, in each state a person can meet it, at a
 * desktop and a phone viewport, with no sideways scrolling. The pages and states are listed in
 * support/a11y-routes.ts; the first test holds that list to the routers, and each scenario below
 * proves it checked every state the list gives it. No axe rule is disabled.
 */
import type { Page } from '@playwright/test';
import { a11yCoverage, findCutOffContent, horizontalOverflow } from '../support/a11y-check.ts';
import { KeyboardUser } from '../support/a11y-keyboard.ts';
import { A11Y_ELECTORS, ensureAccessibilityElectors, rollCsv } from '../support/a11y-residents.ts';
import { APP_NAMES, routerPaths } from '../support/a11y-router-paths.ts';
import { A11Y_PAGES } from '../support/a11y-routes.ts';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import type { LooksOptions } from '../support/page-looks.ts';
import { decryptAsTrustee, electionStatus, localDateTime, runTrusteeCeremony } from '../support/election-official.ts';
import { castBallot, enrolResident, startVoting } from '../support/election-voter.ts';
import { expect, test } from '../support/fixtures.ts';
import { createAdminInvitation, joinAsStaff, reissueCard } from '../support/identity.ts';

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const errorSummary = (page: Page) => page.locator('.govuk-error-summary');
const DEMO_TITLE = 'Demo election (not real): favourite park improvement';

/**
 * For the screenshots: the items of an election list (residents', officials', the verifier's) about
 * other elections than `titles` are left out, as other tests add elections to the same database.
 */
function onlyElections(page: Page, ...titles: string[]): LooksOptions {
  let others = page.locator('.th-election-list > li, .govuk-task-list__item, .govuk-inset-text li, tbody > tr');
  for (const title of titles) others = others.filter({ hasNotText: title });
  return { hide: [others] };
}

/** The residents' start page: the open demo election only (whether it is alone depends on other tests). */
function residentsStart(page: Page): LooksOptions {
  const others = [page.getByTestId('other-elections'), page.getByRole('heading', { level: 2, name: /^(Other elections|Elections)$/ })];
  return { hide: [...onlyElections(page, DEMO_TITLE).hide!, ...others], mask: [page.getByRole('heading', { level: 2, name: /open$/ })] };
}

/** The demo election's id, from the link the voter app's start page offers. */
async function demoElectionId(page: Page): Promise<string> {
  await page.goto('/');
  const href = await page.getByRole('link', { name: DEMO_TITLE }).getAttribute('href');
  return /\/elections\/([0-9a-f-]{36})\//.exec(href ?? '')![1]!;
}

test('the accessibility registry lists exactly the pages the three routers declare', () => {
  for (const app of APP_NAMES) {
    expect(A11Y_PAGES[app].map((p) => p.path).sort(), `pages of the ${app} app`).toEqual(routerPaths(app).sort());
  }
});

test('the checks catch what they look for: an axe violation, sideways scrolling, a focus without an indicator, a focus out of order', async ({ page }) => {
  await page.setContent(`<html lang="en"><head><title>Planted problems</title><style>#hidden:focus { outline: none; box-shadow: none }</style></head><body><main>
    <h1>Planted problems</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
    <div style="width: 3000px">wide</div>
    <button id="second" tabindex="2">Second</button><button id="first" tabindex="1">First</button><button id="hidden">No focus style</button>
  </main></body></html>`);
  expect((await findAccessibilityViolations(page)).map((v) => v.rule)).toContain('image-alt');
  expect(await horizontalOverflow(page)).toBeGreaterThan(0);
  const keyboard = new KeyboardUser(page);
  await keyboard.tabTo('First');
  await keyboard.tabTo('Second');
  await keyboard.tabTo('No focus style');
  expect(keyboard.problems().map((p) => [p.name, p.isInOrder, p.hasVisibleFocus])).toEqual([
    ['Second', false, true],
    ['No focus style', true, false],
  ]);
});

test('the phone check sees what a person sees: an element wider than the screen, cut off by a box, though the page does not scroll', async ({ page }) => {
  await page.setViewportSize({ width: 412, height: 839 });
  await page.setContent(`<html lang="en"><head><title>Planted</title></head><body><main><h1>Planted</h1>
    <div style="overflow: hidden"><table><tr><th>Passkey</th><td style="white-space: nowrap">7 December 2026 at 03:23</td><td style="white-space: nowrap">Not used yet, not used yet, not used yet</td></tr></table></div>
  </main></body></html>`);
  expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
  expect(await findCutOffContent(page)).toEqual(expect.arrayContaining([expect.stringMatching(/^td .* reaches \d+…\d+ of 412$/), expect.stringMatching(/cuts off/)]));
});

test.describe('every page and state passes WCAG 2.2 AA at desktop and phone sizes', () => {
  // Each (page, state) runs axe twice; on a loaded 2-core machine a run takes a second or two.
  test.describe.configure({ timeout: 300_000 });

  test('as a visitor who is not signed in', async ({ page, virtualAuthenticator: _device, pageProblems }) => {
    const coverage = a11yCoverage('visitor');
    // No passkey on this device, and no autofill: the button's request fails at once.
    await page.addInitScript(() => {
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    const electionId = await demoElectionId(page);
    await coverage.check(page, 'signed out', residentsStart(page));
    await page.goto('/sign-in');
    await coverage.check(page, 'signed out');
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(errorSummary(page)).toBeVisible();
    await coverage.check(page, 'with an error');
    await page.goto(`/elections/${electionId}/check`);
    await expect(heading(page, 'Check my ballot')).toBeVisible();
    await coverage.check(page, 'signed out');
    await page.goto('/elections/00000000-0000-4000-8000-000000000000/check');
    await coverage.check(page, 'unknown election');
    // Townhall ID's sign-in page for a sign-in this browser did not start (or that ended).
    await page.goto('/oidc/interaction/not-a-real-sign-in');
    await expect(heading(page, 'This sign-in link has expired')).toBeVisible();
    await coverage.check(page, 'expired or from another browser');
    // Organisations: an invitation link that does not work, and the public page of no organisation.
    await page.goto('/organisation-invite/not-a-real-token');
    await expect(heading(page, 'This invitation link is not valid')).toBeVisible();
    await coverage.check(page, 'used or expired');
    await page.goto('/organisations/00000000-0000-4000-8000-000000000000');
    await expect(heading(page, 'Organisation not found')).toBeVisible();
    await coverage.check(page, 'unknown organisation');
    await page.goto('/no/such/page');
    await coverage.check(page, 'not found');

    await page.goto('/official/');
    await expect(heading(page, 'Sign in')).toBeVisible();
    await coverage.check(page, 'signed out');
    await page.goto('/official/sign-in');
    await coverage.check(page, 'signed out');
    await page.goto('/official/invite/not-a-real-token');
    await expect(heading(page, 'This invitation link is not valid')).toBeVisible();
    await coverage.check(page, 'used or expired');
    await page.goto('/official/no/such/page');
    await coverage.check(page, 'not found');

    coverage.expectComplete();
    expect(pageProblems.pageErrors).toEqual([]);
    expect(pageProblems.cspViolations).toEqual([]);
  });

  test('in the verifier: the start page, a record verified in the browser, a tracking code looked up', async ({ page, pageProblems }) => {
    const coverage = a11yCoverage('verifier');
    await page.goto('/verify/record');
    await coverage.check(page, 'no record loaded');
    await page.goto('/verify/record/ballot');
    await coverage.check(page, 'no record loaded');
    await page.goto('/verify/no/such/page');
    await coverage.check(page, 'not found');
    await page.goto('/verify/');
    await expect(heading(page, 'Verify an election')).toBeVisible();
    await coverage.check(page, 'start', onlyElections(page, DEMO_TITLE));
    await page.getByLabel('Choose an election record file').setInputFiles({ name: 'not-a-record.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from('this is not a record\n') });
    await expect(errorSummary(page)).toBeVisible();
    await coverage.check(page, 'with a file error', onlyElections(page, DEMO_TITLE));

    await page.getByRole('button', { name: `Verify ${DEMO_TITLE}` }).click();
    await expect(heading(page, 'Verification result')).toBeVisible({ timeout: 120_000 });
    await coverage.check(page, 'verification result', { mask: [page.locator('.th-chart')] });
    await page.getByRole('link', { name: 'Check a tracking code or receipt' }).click();
    await expect(heading(page, 'Check a tracking code or receipt')).toBeVisible();
    await coverage.check(page, 'ready');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(errorSummary(page)).toBeVisible();
    await coverage.check(page, 'with an error');
    coverage.expectComplete();
    expect(pageProblems.pageErrors).toEqual([]);
    expect(pageProblems.cspViolations).toEqual([]);
  });

  test('as a resident: enrolment, the start page signed in, account, sign out', async ({
    page,
    cardIssuer,
    virtualAuthenticator: _device,
    pageProblems,
  }) => {
    const coverage = a11yCoverage('resident');
    const elector = A11Y_ELECTORS.resident;
    await ensureAccessibilityElectors(cardIssuer.staff.page);
    const code = await cardIssuer.issueCode(elector.number);

    await page.goto('/enrol');
    await coverage.check(page, 'empty');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(errorSummary(page)).toContainText('Enter the activation code');
    await coverage.check(page, 'with an error');
    await page.goto(`/enrol?code=${code}`);
    await expect(page.getByLabel('Enter your activation code')).toHaveValue(code);
    await coverage.check(page, 'filled from the poll card link');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(heading(page, 'How do you want to show the poll card is yours?')).toBeVisible();
    // Radios first; each reveals its one field (GOV.UK conditional reveal): none before a choice.
    await expect(page.getByLabel('Postcode', { exact: true })).toBeHidden();
    await expect(page.getByLabel('Day')).toBeHidden();
    await coverage.check(page, 'empty');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(errorSummary(page)).toBeVisible();
    await coverage.check(page, 'with an error');
    await page.getByLabel('My date of birth').check();
    await expect(page.getByLabel('Day')).toBeVisible();
    await expect(page.getByLabel('Postcode', { exact: true })).toBeHidden();
    await page.getByLabel('Day').fill('31');
    await page.getByLabel('Month').fill('2');
    await page.getByLabel('Year').fill('1990');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(errorSummary(page)).toContainText('Date of birth must be a real date');
    await coverage.check(page, 'date of birth with an error');
    await page.getByLabel('My postcode').check();
    await page.getByLabel('Postcode', { exact: true }).fill('DB9 9ZZ');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(errorSummary(page)).toContainText('do not match a poll card');
    await coverage.check(page, 'refused by the server');
    await page.getByLabel('My postcode').check();
    await page.getByLabel('Postcode', { exact: true }).fill(elector.postcode);
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(heading(page, 'Create a passkey')).toBeVisible();
    await coverage.check(page, 'ready');
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await expect(heading(page, 'Your account is set up')).toBeVisible();
    await coverage.check(page, 'account set up');

    await page.goto('/');
    await expect(page.getByText(`Signed in as ${elector.givenName}`)).toBeVisible();
    await coverage.check(page, 'signed in as a resident', residentsStart(page));
    await page.goto('/account');
    await expect(page.getByRole('table', { name: 'Your passkeys' })).toBeVisible();
    await page.getByText('The entry as recorded').first().click();
    await coverage.check(page, 'signed in as a resident');
    await page.goto('/official/');
    await coverage.check(page, 'signed in as a resident');
    await page.goto('/');
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign out' }).click();
    await expect(heading(page, 'You have signed out')).toBeVisible();
    await coverage.check(page, 'signed out');
    coverage.expectComplete();
    expect(pageProblems.pageErrors).toEqual([]);
    expect(pageProblems.cspViolations).toEqual([]);
  });

  test('as a resident voting: the ballot, check answers, confirmation, check my ballot', async ({ page, cardIssuer, virtualAuthenticator: _device, pageProblems }) => {
    const coverage = a11yCoverage('voting');
    const elector = A11Y_ELECTORS.voter;
    await ensureAccessibilityElectors(cardIssuer.staff.page);
    await page.goto(`/enrol?code=${await cardIssuer.issueCode(elector.number)}`);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('My postcode').check();
    await page.getByLabel('Postcode', { exact: true }).fill(elector.postcode);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Create a passkey' }).click();
    await expect(heading(page, 'Your account is set up')).toBeVisible();

    // The ballot, each step of the one voting page.
    await page.goto('/elections');
    await expect(page.getByRole('link', { name: DEMO_TITLE })).toBeVisible();
    await coverage.check(page, 'an open election', onlyElections(page, DEMO_TITLE));
    // The election's own page, open: its state in words and the way to vote.
    const demoVote = (await page.getByRole('link', { name: DEMO_TITLE }).getAttribute('href'))!;
    await page.goto(demoVote.replace(/\/vote$/, ''));
    await expect(page.getByTestId('election-state')).toContainText('Open for voting until');
    await coverage.check(page, 'open');
    await page.goto('/elections');
    await page.getByRole('link', { name: DEMO_TITLE }).click();
    await expect(heading(page, DEMO_TITLE)).toBeVisible();
    await coverage.check(page, 'start');
    await page.getByRole('button', { name: 'Confirm it’s you and start' }).click();
    await expect(heading(page, 'Choose your answers')).toBeVisible();
    await coverage.check(page, 'ballot');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(errorSummary(page)).toBeVisible();
    await coverage.check(page, 'ballot with errors');
    await page.getByLabel('More trees and benches').check();
    await page.getByLabel('A monthly market').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(heading(page, 'Check your answers before sealing your ballot')).toBeVisible();
    await coverage.check(page, 'check answers');
    await page.getByRole('button', { name: 'Seal my ballot' }).click();
    await expect(heading(page, 'Your ballot is sealed and ready to cast')).toBeVisible({ timeout: 30_000 });
    await coverage.check(page, 'sealed ballot');
    await page.getByRole('button', { name: 'Check this ballot’s encryption' }).click();
    await expect(heading(page, 'Your ballot’s encryption has been checked')).toBeVisible({ timeout: 30_000 });
    await coverage.check(page, 'encryption checked');
    await page.getByRole('button', { name: 'Seal a fresh ballot' }).click();
    await page.getByRole('button', { name: 'Cast my ballot' }).click({ timeout: 30_000 });
    await expect(heading(page, 'Ballot cast')).toBeVisible({ timeout: 30_000 });
    // The receipt's ledger proof arrives after the cast: the page as it stands once it has.
    await expect(page.getByRole('link', { name: 'Download your receipt', exact: true })).toBeVisible({ timeout: 30_000 });
    await coverage.check(page, 'confirmation');
    const checkUrl = new URL(page.url()).pathname.replace(/\/vote$/, '/check');

    // Check my ballot: empty, a mistyped code, then the code the confirmation gave.
    await page.getByRole('link', { name: 'Check my ballot' }).click();
    const trackingCode = await page.getByLabel('Tracking code').inputValue();
    await page.goto(checkUrl);
    await expect(heading(page, 'Check my ballot')).toBeVisible();
    await coverage.check(page, 'empty');
    await page.getByLabel('Tracking code').fill('ABCD-1234');
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(errorSummary(page)).toBeVisible();
    await coverage.check(page, 'with an error');
    await page.getByLabel('Tracking code').fill(trackingCode);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Your ballot is in the ledger' })).toBeVisible();
    await coverage.check(page, 'ballot found');
    coverage.expectComplete();
    expect(pageProblems.pageErrors).toEqual([]);
    expect(pageProblems.cspViolations).toEqual([]);
  });

  test('as staff: an admin and an officer on the roll and staff pages', async ({ page, browser, virtualAuthenticator: _device, pageProblems }) => {
    const coverage = a11yCoverage('staff');
    const staffNavigation = page.getByRole('navigation', { name: 'Staff pages' });
    await page.goto(await createAdminInvitation('Ally Admin'));
    await expect(heading(page, 'Accept your invitation')).toBeVisible();
    await coverage.check(page, 'valid');
    await page.getByRole('button', { name: 'Create a passkey and join' }).click();
    await expect(heading(page, 'You have joined')).toBeVisible();
    await coverage.check(page, 'joined');
    await page.goto('/official/');
    await expect(page.getByText('Signed in as Ally Admin (admin)')).toBeVisible();
    await coverage.check(page, 'signed in as an admin');

    // The roll: a file with problems, then today's roll again (a preview with nothing to change, not applied).
    await page.goto('/official/roll/import');
    await coverage.check(page, 'empty');
    await page.getByLabel('Upload the roll file').setInputFiles({
      name: 'broken.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('elector_number,given_name,family_name,address,postcode,date_of_birth,district\nX-1,Ann,Able,1 Road,NOT A POSTCODE,1980-02-31,ZZZ\n'),
    });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await expect(errorSummary(page)).toContainText('nothing was imported');
    await coverage.check(page, 'with problems in the file');
    await page.getByLabel('Upload the roll file').setInputFiles({ name: 'roll.csv', mimeType: 'text/csv', buffer: Buffer.from(await rollCsv()) });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await expect(heading(page, 'Check the changes to the roll')).toBeVisible();
    await coverage.check(page, 'preview');
    await page.goto('/official/roll/electors');
    await expect(page.getByRole('table').first()).toBeVisible();
    // The screenshot leaves out the electors, whose cards and enrolments other tests change.
    await coverage.check(page, 'first page', { hide: [page.locator('tbody > tr')] });
    await page.goto('/official/roll/electors/RVS-0003/reissue');
    await expect(heading(page, 'Re-issue a poll card')).toBeVisible();
    await coverage.check(page, 'before re-issuing');
    await page.goto('/official/roll/poll-cards');
    await coverage.check(page, 'choose a district');
    // Issuing is irreversible (earlier codes stop working): the page says how many, and asks again.
    await page.getByRole('button', { name: /^Issue poll cards for Castle/ }).click();
    const confirmation = page.getByRole('group', { name: /^Issue the poll cards of Castle/ });
    await expect(confirmation).toContainText(/This makes \d+ letters?/);
    await coverage.check(page, 'confirm issuing');
    await confirmation.getByRole('button', { name: 'Cancel' }).click();

    // Staff: the invitation form empty, with errors, and with a link made.
    await staffNavigation.getByRole('link', { name: 'Staff', exact: true }).click();
    await expect(heading(page, 'Staff')).toBeVisible();
    // Other tests invite staff (an election's trustees) into the same list: only this one's admin shows.
    const ownStaff = { hide: [page.getByRole('table').locator('tbody > tr').filter({ hasNotText: 'Ally Admin' })] };
    await coverage.check(page, 'empty', ownStaff);
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    await expect(errorSummary(page)).toBeFocused();
    await coverage.check(page, 'with errors', ownStaff);
    await page.getByLabel('Electoral registration officer').check();
    await page.getByLabel('Their name').fill('Otto Officer');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    await expect(page.getByLabel('Invitation link')).toHaveValue(/\/official\/invite\//);
    await coverage.check(page, 'invitation created', ownStaff);
    const officerLink = await page.getByLabel('Invitation link').inputValue();
    await page.goto('/official/staff/actions');
    await expect(page.getByRole('table', { name: 'Staff actions' })).toBeVisible();
    await coverage.check(page, 'list', { hide: [page.locator('tbody > tr').filter({ hasNotText: 'Ally Admin' })] });

    // Services using Townhall ID: the register, the form empty and with errors, a service registered
    // with a secret (shown once), and suspending it, which asks first (cancelled: it stays active);
    // deleting it, whose page asks for its name (first left empty), then the register saying so.
    await staffNavigation.getByRole('link', { name: 'Townhall ID services' }).click();
    const noServices = page.getByText(/^No services are registered yet/);
    await expect(page.getByRole('table', { name: 'Registered services' }).or(noServices)).toBeVisible();
    await coverage.check(page, 'list', { hide: [page.locator('tbody > tr').filter({ hasNotText: 'Garden waste' })] });
    await page.getByRole('link', { name: 'Register a service' }).click();
    await expect(heading(page, 'Register a service')).toBeVisible();
    await coverage.check(page, 'empty');
    await page.getByRole('button', { name: 'Register the service' }).click();
    await expect(errorSummary(page)).toBeFocused();
    await coverage.check(page, 'with errors');
    // A fixed name (the run's database is its own): screenshots must not change with the time of day.
    const serviceName = 'Accessible service';
    await page.getByLabel('Name of the service').fill(serviceName);
    await page.getByLabel('Redirect URIs').fill('https://accessible.example.gov.uk/callback');
    await page.getByLabel('A server that can keep a key or a secret').check();
    await page.getByLabel('With a client secret made for it').check();
    await page.getByRole('group', { name: 'What may it ask people to share?' }).getByLabel('Their name').check();
    await page.getByLabel(/^Electoral roll entry claimed/).check();
    await page.getByRole('button', { name: 'Register the service' }).click();
    await expect(heading(page, 'Service registered')).toBeVisible();
    await expect(page.getByLabel('Client secret')).not.toHaveValue('');
    await coverage.check(page, 'registered with a secret');
    await page.getByRole('link', { name: 'Back to the services' }).click();
    await page.getByRole('button', { name: `Suspend ${serviceName}` }).click();
    await expect(page.getByRole('group', { name: `Suspend ${serviceName}?` })).toBeVisible();
    await coverage.check(page, 'confirm suspending');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('link', { name: `Delete ${serviceName}` }).click();
    await expect(heading(page, `Delete ${serviceName}`)).toBeVisible();
    await coverage.check(page, 'confirm deleting');
    await page.getByRole('button', { name: 'Delete the service' }).click();
    await expect(errorSummary(page)).toBeFocused();
    await coverage.check(page, 'with an error');
    await page.getByLabel('To confirm, type the name of the service').fill(serviceName);
    await page.getByRole('button', { name: 'Delete the service' }).click();
    await expect(page.getByText(`${serviceName} is deleted.`, { exact: false })).toBeVisible();
    await coverage.check(page, 'service deleted', { hide: [page.locator('tbody > tr').filter({ hasNotText: 'Garden waste' })] });

    // Organisations: the form empty and with errors, then the register with the one this test
    // registers (other tests' rows are left out); a lasting power of attorney's form empty and with errors.
    await staffNavigation.getByRole('link', { name: 'Organisations', exact: true }).click();
    await expect(heading(page, 'Organisations')).toBeVisible();
    await page.getByRole('link', { name: 'Register an organisation' }).click();
    await expect(heading(page, 'Register an organisation')).toBeVisible();
    await coverage.check(page, 'empty');
    await page.getByRole('button', { name: 'Register and create the invitation link' }).click();
    await expect(errorSummary(page)).toBeFocused();
    await coverage.check(page, 'with errors');
    const charity = 'Accessible Lunch Club';
    await page.getByLabel('Charity', { exact: true }).check();
    await page.getByLabel('Legal name').fill(charity);
    await page.getByLabel('Address', { exact: true }).fill('1 Market Hall\nDemo Borough\nDB1 1AA');
    await page.getByLabel('Their name', { exact: true }).fill('Ada Organiser');
    await page.getByRole('button', { name: 'Register and create the invitation link' }).click();
    await expect(heading(page, 'Organisation registered')).toBeVisible();
    await page.getByRole('link', { name: 'Back to the organisations' }).click();
    await expect(page.getByRole('table', { name: 'Registered organisations' })).toContainText(charity);
    // How many there are depends on other tests too.
    const count = page.getByRole('status').filter({ hasText: /^\d+ organisations?$/ });
    await coverage.check(page, 'list', { hide: [page.locator('tbody > tr').filter({ hasNotText: charity }), count] });
    await staffNavigation.getByRole('link', { name: 'Powers of attorney' }).click();
    await expect(heading(page, 'Record a lasting power of attorney')).toBeVisible();
    await coverage.check(page, 'empty');
    await page.getByRole('button', { name: 'Record the power of attorney' }).click();
    await expect(errorSummary(page)).toBeFocused();
    await coverage.check(page, 'with errors');

    // Staff on the voter app's resident page.
    await page.goto('/elections');
    await expect(page.getByText('This page is for residents')).toBeVisible();
    await coverage.check(page, 'signed in as staff');

    const officer = await joinAsStaff(browser, officerLink);
    await officer.page.goto('/official/');
    await expect(officer.page.getByText('Signed in as Otto Officer (officer)')).toBeVisible();
    await coverage.check(officer.page, 'signed in as an officer');
    await officer.page.goto('/official/staff');
    await expect(heading(officer.page, 'You cannot use this page')).toBeVisible();
    await coverage.check(officer.page, 'an officer is refused');
    await officer.context.close();

    await page.goto('/official/');
    await staffNavigation.getByRole('link', { name: 'Sign out' }).click();
    await expect(heading(page, 'You have signed out')).toBeVisible();
    await coverage.check(page, 'signed out');
    coverage.expectComplete();
    expect(pageProblems.pageErrors).toEqual([]);
    expect(pageProblems.cspViolations).toEqual([]);
  });
  test('through an election’s life: draft, key ceremony, ready, open, closed, decrypting, published; trustee and voter pages', async ({
    page,
    browser,
    virtualAuthenticator: _device,
    pageProblems,
  }) => {
    test.setTimeout(420_000);
    const coverage = a11yCoverage('election');
    const title = 'Accessible poll';
    const options = ['Step-free access', 'Hearing loops'];
    const passphrases = ['a long passphrase one', 'a long passphrase two'];
    const elector = A11Y_ELECTORS.electionVoter;

    await page.goto(await createAdminInvitation('Elm Official'));
    await page.getByRole('button', { name: 'Create a passkey and join' }).click();
    await expect(heading(page, 'You have joined')).toBeVisible();
    await ensureAccessibilityElectors(page);
    const code = await reissueCard(page, elector.number);

    await page.goto('/official/elections');
    await expect(heading(page, 'Elections')).toBeVisible();
    await coverage.check(page, 'list', onlyElections(page, DEMO_TITLE));
    await page.getByRole('button', { name: 'Create an election' }).click();
    await expect(page.getByLabel('Title', { exact: true })).toBeVisible();
    await coverage.check(page, 'empty');
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await expect(errorSummary(page)).toContainText('give the election a title');
    await coverage.check(page, 'with errors');
    await page.getByLabel('Title', { exact: true }).fill(title);
    await page.getByLabel('Question title').fill('Which improvement first?');
    await page.getByLabel('Options', { exact: true }).fill(options.join('\n'));
    await page.getByLabel('Most options a voter may choose').fill('1');
    await page.getByLabel(/^Castle/).check();
    // Opening an hour ahead: the election waits, ready, until the official opens it.
    await page.getByLabel('Opens', { exact: true }).fill(await localDateTime(page, 3600));
    await page.getByLabel('Closes', { exact: true }).fill(await localDateTime(page, 7200));
    await page.getByRole('button', { name: 'Save the draft' }).click();
    await expect(heading(page, title)).toBeVisible();
    const electionId = /\/elections\/([0-9a-f-]{36})$/.exec(page.url())![1]!;
    await coverage.check(page, 'draft');

    const links: string[] = [];
    for (const name of ['Tia Trustee', 'Teo Trustee']) {
      await page.getByLabel('Invite a trustee: their name').fill(name);
      await page.getByRole('button', { name: 'Create an invitation link' }).click();
      await expect(page.getByLabel(`Invitation link for ${name}`)).toHaveValue(/\/official\/invite\//);
      links.push(await page.getByLabel(`Invitation link for ${name}`).inputValue());
    }
    await coverage.check(page, 'draft with trustees invited');
    // The trustees join one after the other, so that they are listed in the same order in every run.
    const joinInOrder = async () => [await joinAsStaff(browser, links[0]!), await joinAsStaff(browser, links[1]!)];
    const [trustees, voter] = await Promise.all([joinInOrder(), enrolResident(browser, code, elector.postcode)]);
    await page.getByRole('link', { name: 'Change the draft' }).click();
    await expect(page.getByRole('button', { name: 'Save the changes' })).toBeVisible();
    await coverage.check(page, 'change the draft');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await expect(page.getByTestId('joined-trustees').getByRole('listitem')).toHaveCount(2, { timeout: 15_000 });
    // Both needed: the first trustee's page then stays on "decrypted" until the second decrypts (with
    // one needed, the first decryption publishes the result at once and that state is only a flash).
    await page.getByLabel('How many trustees are needed to decrypt the result').fill('2');
    await page.getByRole('button', { name: 'Start the key ceremony' }).click();
    await page.getByRole('button', { name: 'Yes, start the key ceremony' }).click();
    await expect(electionStatus(page)).toHaveText('Key ceremony');
    await expect(page.getByRole('region', { name: 'Key ceremony progress' })).toBeVisible();
    await coverage.check(page, 'key ceremony');

    // The trustee's pages: their list, step 1 empty and with passphrase errors, then the ceremony.
    const [first, second] = trustees as [(typeof trustees)[number], (typeof trustees)[number]];
    await first.page.goto('/official/trustee');
    await coverage.check(first.page, 'signed in as a trustee');
    await first.page.goto(`/official/trustee/elections/${electionId}`);
    await expect(first.page.getByRole('heading', { name: 'Step 1: make your part of the key' })).toBeVisible({ timeout: 20_000 });
    await coverage.check(first.page, 'key ceremony, step 1');
    await first.page.getByLabel('Choose a passphrase').fill('short');
    await first.page.getByRole('button', { name: 'Make my key and publish the commitment' }).click();
    await expect(errorSummary(first.page)).toBeVisible();
    await coverage.check(first.page, 'key ceremony, passphrase errors');
    const keyFiles = await Promise.all([runTrusteeCeremony(first.page, electionId, passphrases[0]!), runTrusteeCeremony(second.page, electionId, passphrases[1]!)]);
    // The election's state and the ceremony's are fetched apart: wait until both say it is over.
    await expect(first.page.getByText('The key ceremony is complete.')).toBeVisible({ timeout: 20_000 });
    await expect(first.page.getByText('Election key:')).toBeVisible({ timeout: 20_000 });
    await expect(first.page.getByText('Save your key file')).toHaveCount(0, { timeout: 20_000 });
    await coverage.check(first.page, 'after the ceremony');

    await expect(electionStatus(page)).toHaveText('Ready to open', { timeout: 30_000 });
    await coverage.check(page, 'ready to open');
    await page.getByRole('button', { name: 'Open the election now' }).click();
    await expect(page.getByRole('heading', { name: 'Open the election now?' })).toBeFocused();
    await coverage.check(page, 'confirm opening');
    await page.getByRole('button', { name: 'Yes, open the election now' }).click();
    await expect(electionStatus(page)).toHaveText('Open', { timeout: 15_000 });
    await expect(page.getByTestId('dashboard')).toBeVisible();
    await coverage.check(page, 'open');

    await startVoting(voter.page, title);
    await castBallot(voter.page, [options[0]!]);
    await voter.page.getByRole('link', { name: 'Check my ballot' }).click();
    const trackingCode = await voter.page.getByLabel('Tracking code').inputValue();

    await page.getByRole('button', { name: 'Close the election now' }).click();
    await expect(page.getByRole('heading', { name: 'Close the election now?' })).toBeFocused();
    await coverage.check(page, 'confirm closing');
    await page.getByRole('button', { name: 'Yes, close the election now' }).click();
    await expect(electionStatus(page)).toHaveText('Closed', { timeout: 15_000 });
    await coverage.check(page, 'closed');
    await page.getByRole('button', { name: 'Start the tally' }).click();
    await page.getByRole('button', { name: 'Yes, start the tally' }).click();
    await expect(electionStatus(page)).toHaveText('Decrypting', { timeout: 15_000 });
    await expect(page.getByTestId('tally-progress')).toBeVisible();
    await coverage.check(page, 'decrypting');

    // Trustee 1's file, whoever made it: a wrong passphrase first, then the right one.
    const files = keyFiles.map((file, i) => ({ file, passphrase: passphrases[i]!, page: trustees[i]!.page }));
    const decrypting = files[0]!;
    await decrypting.page.reload();
    await decryptAsTrustee(decrypting.page, decrypting.file, 'not the passphrase');
    await expect(errorSummary(decrypting.page)).toContainText('The passphrase is not the one');
    await coverage.check(decrypting.page, 'decrypt with errors');
    await decryptAsTrustee(decrypting.page, decrypting.file, decrypting.passphrase);
    await expect(decrypting.page.getByTestId('decrypted')).toBeVisible({ timeout: 30_000 });
    await coverage.check(decrypting.page, 'decrypted');
    await files[1]!.page.goto(`/official/trustee/elections/${electionId}`);
    await decryptAsTrustee(files[1]!.page, files[1]!.file, files[1]!.passphrase);
    await expect(electionStatus(page)).toHaveText('Result published', { timeout: 30_000 });
    await coverage.check(page, 'result published');
    await decrypting.page.reload();
    await expect(decrypting.page.getByRole('heading', { name: 'Result' })).toBeVisible({ timeout: 15_000 });
    await coverage.check(decrypting.page, 'result published');

    // The voter's pages once the election is over.
    await voter.page.goto('/elections');
    await expect(voter.page.getByRole('link', { name: title })).toBeVisible();
    await coverage.check(voter.page, 'closed and published elections', onlyElections(voter.page, DEMO_TITLE, title));
    // The ballot page of an election that is over leads to the election's page: the result, no voting.
    await voter.page.goto(`/elections/${electionId}/vote`);
    await expect(voter.page).toHaveURL(new RegExp(`/elections/${electionId}$`));
    await expect(heading(voter.page, title)).toBeVisible();
    await expect(voter.page.getByTestId('election-state')).toContainText('The result is published');
    await expect(voter.page.getByRole('table', { name: 'Which improvement first?: votes for each answer' })).toBeVisible();
    await expect(voter.page.getByText(/vote again/i)).toHaveCount(0);
    await coverage.check(voter.page, 'result published');
    await voter.page.goto(`/elections/${electionId}/check`);
    await voter.page.getByLabel('Tracking code').fill(trackingCode);
    await voter.page.getByRole('button', { name: 'Check', exact: true }).click();
    await expect(voter.page.getByTestId('counted')).toContainText('Yes');
    await coverage.check(voter.page, 'ballot counted');

    for (const context of [...trustees, voter].map((b) => b.context)) await context.close();
    coverage.expectComplete();
    expect(pageProblems.pageErrors).toEqual([]);
    expect(pageProblems.cspViolations).toEqual([]);
  });
});
