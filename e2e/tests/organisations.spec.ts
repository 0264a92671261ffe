/**
 * Organisations and acting for someone (#17, docs/organisations.md) as their users meet them: the
 * council registers a contractor, its administrator and a member join with passkeys, the member signs
 * in to a council service as the contractor and a resident at the door checks them on the public page,
 * until the council suspends the contractor; a resident appoints another as their representative, who
 * accepts and signs in to a council service for them, until the appointment is ended.
 */
import type { Browser, Locator, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { bootstrapAdmin } from '../support/identity.ts';
import { addElectorsToRoll, type AddedElector } from '../support/roll-additions.ts';
import { testBaseUrl } from '../support/test-database.ts';
import { startRegisteredService } from '../support/townhall-id-service.ts';
import { addVirtualAuthenticator, type VirtualAuthenticator, withoutPasskeyAutofill } from '../support/virtual-authenticator.ts';

test.describe.configure({ timeout: 90_000 });

// Every demo elector belongs to another spec: this spec adds its own two residents to the roll.
const ORLA: AddedElector = { number: 'REP-0001', givenName: 'Orla', familyName: 'Quinn', address: '2 Lock Street', postcode: 'DB3 3CC', dateOfBirth: '1948-03-15', district: 'RVS' };
const CORMAC: AddedElector = { number: 'REP-0002', givenName: 'Cormac', familyName: 'Byrne', address: '4 Lock Street', postcode: 'DB3 3CC', dateOfBirth: '1979-10-02', district: 'RVS' };

const CONTRACTOR = 'Kerbside Repairs Ltd';
const COMPANY_NUMBER = '07654321';
// A council service for contractors, registered by the test: it asks for `townhall:org`.
const PERMITS = 'Street works permits';
// The demo council service the e2e server starts and registers (`demo-garden-waste`); it accepts representatives.
const GARDEN_WASTE = 'Garden waste subscription (demo)';
const gardenWaste = `http://localhost:${process.env.TOWNHALL_E2E_DEMO_SERVICE_PORT}`;
// A passkey ceremony and the rows it writes are a few round trips: room for a loaded 2-core machine.
const PASSKEY_TIMEOUT = { timeout: 30_000 };

const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });
const errorSummary = (page: Page) => page.locator('.govuk-error-summary');

interface Device {
  page: Page;
  authenticator: VirtualAuthenticator;
  close: () => Promise<void>;
}

/** Another person's browser, with a passkey authenticator of its own. */
async function newDevice(browser: Browser): Promise<Device> {
  const context = await browser.newContext({ baseURL: testBaseUrl() });
  const page = await context.newPage();
  const authenticator = await addVirtualAuthenticator(page);
  return { page, authenticator, close: () => context.close() };
}

/**
 * A receipt link's target is the registry log's C2SP tlog-proof for that entry. An entry just written
 * has its receipt once the next checkpoint is published (until then 503, "try again in a few seconds").
 */
async function expectReceipt(page: Page, link: Locator) {
  const href = (await link.getAttribute('href'))!;
  await expect(async () => {
    const receipt = await page.request.get(href);
    expect(receipt.status()).toBe(200);
    expect(await receipt.text()).toContain('c2sp.org/tlog-proof');
  }).toPass({ timeout: 15_000 });
}

/** A person who is not a resident opens an invitation link, creates a passkey and reaches "Your organisations". */
async function joinWithNewPasskey(device: Device, link: string, displayName: string, roles: string) {
  const { page } = device;
  await page.goto(link);
  await expect(heading(page, `Join ${CONTRACTOR}`)).toBeVisible();
  const invitation = page.locator('.govuk-summary-list');
  await expect(invitation).toContainText(displayName);
  await expect(invitation).toContainText(roles);
  await page.getByRole('button', { name: 'Create a passkey and join' }).click();
  await expect(heading(page, `You have joined ${CONTRACTOR}`)).toBeVisible(PASSKEY_TIMEOUT);
  expect(await device.authenticator.credentials()).toHaveLength(1);
  await page.getByRole('link', { name: 'Go to your organisations' }).click();
  await expect(heading(page, 'Your organisations')).toBeVisible();
  await expect(page.getByText(`Signed in as ${displayName}`)).toBeVisible();
}

/** From a service's start page through Townhall ID's sign-in page, with the passkey. */
async function signInToService(page: Page, serviceUrl: string, service: string) {
  await page.goto(serviceUrl);
  await page.getByRole('button', { name: 'Sign in with Townhall ID' }).click();
  await expect(heading(page, `Sign in to ${service} with Townhall ID`)).toBeVisible();
  await page.getByRole('button', { name: 'Sign in with your passkey' }).click();
}

/** Signs out of the service, and of Townhall ID when it asks. */
async function signOutOfService(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(heading(page, 'You have signed out')).toBeVisible();
}

/** One value of the service's "What this service received" table, by the row's heading. */
const received = (page: Page, detail: RegExp) =>
  page.getByRole('table', { name: 'What this service received' }).getByRole('row', { name: detail }).getByRole('cell');

test('the council registers a contractor, whose people join with passkeys; a member signs in to a service as it, and a resident checks them, until the council suspends it', async ({
  page: visitor,
  browser,
  pageProblems,
}) => {
  // 1. A council administrator registers the contractor; a malformed Companies House number is refused first.
  const council = await bootstrapAdmin(browser, 'Cara Council');
  const staff = council.page;
  await staff.getByRole('link', { name: 'Continue to the overview' }).click();
  // The council's service for contractors asks for the organisation a person signs in for.
  const permits = await startRegisteredService(staff, {
    name: PERMITS,
    scope: 'openid profile townhall:org',
    claims: ['Their name', 'The organisation they are acting for, and their roles in it'],
    minimumLevel: /^Invited by an organisation’s administrator/,
  });
  await staff.getByRole('navigation', { name: 'Staff pages' }).getByRole('link', { name: 'Organisations', exact: true }).click();
  await expect(heading(staff, 'Organisations')).toBeVisible();
  await staff.getByRole('link', { name: 'Register an organisation' }).click();
  await expect(heading(staff, 'Register an organisation')).toBeVisible();
  await staff.getByLabel('Contractor', { exact: true }).check();
  await staff.getByLabel('Legal name').fill(CONTRACTOR);
  const companyNumber = staff.getByLabel('Companies House number (if it has one)');
  await companyNumber.fill('7654321');
  await staff.getByLabel('Address', { exact: true }).fill('Unit 4, Depot Road\nDemo Borough\nDB1 9ZZ');
  await staff.getByLabel('Their name', { exact: true }).fill('Ash Administrator');
  const register = staff.getByRole('button', { name: 'Register and create the invitation link' });
  await register.click();
  await expect(errorSummary(staff)).toContainText('The Companies House number must be 8 characters');
  await expect(companyNumber).toHaveAccessibleDescription(/must be 8 characters/);
  await companyNumber.fill(COMPANY_NUMBER);
  await register.click();
  await expect(heading(staff, 'Organisation registered')).toBeVisible();
  await expect(staff.getByRole('main')).toContainText(`${CONTRACTOR} is on the council’s register`);
  const administratorLink = await staff.getByLabel('Invitation link').inputValue();
  expect(administratorLink).toMatch(/^http:\/\/localhost:\d+\/organisation-invite\/[A-Za-z0-9_-]+$/);

  // 2. Its administrator, not a resident, joins with a new passkey in their own browser.
  const ash = await newDevice(browser);
  await joinWithNewPasskey(ash, administratorLink, 'Ash Administrator', 'Administrator');
  const ashCard = ash.page.getByRole('region', { name: CONTRACTOR });
  await expect(ashCard).toContainText('Contractor');
  await expect(ashCard).toContainText('Active');
  await expect(ashCard).toContainText('Administrator');
  await expectReceipt(ash.page, ashCard.getByRole('link', { name: /^Receipt for entry \d+/ }));
  // The link worked once.
  const reused = await browser.newPage();
  await reused.goto(administratorLink);
  await expect(heading(reused, 'This invitation link is not valid')).toBeVisible();
  await reused.close();

  // They invite a member, who joins from another browser.
  await ashCard.getByRole('link', { name: `Manage members of ${CONTRACTOR}` }).click();
  await expect(heading(ash.page, `Members of ${CONTRACTOR}`)).toBeVisible();
  const members = ash.page.getByRole('table', { name: 'Current members' });
  await expect(members.getByRole('row', { name: /Ash Administrator/ })).toContainText('Joined by invitation');
  await ash.page.getByLabel('Their name', { exact: true }).fill('Mo Member');
  await ash.page.getByRole('button', { name: 'Create invitation link' }).click();
  const memberLink = await ash.page.getByLabel('Invitation link for Mo Member').inputValue();
  expect(memberLink).toMatch(/\/organisation-invite\//);
  const mo = await newDevice(browser);
  await joinWithNewPasskey(mo, memberLink, 'Mo Member', 'Member');
  const moCard = mo.page.getByRole('region', { name: CONTRACTOR });
  await expect(moCard).toContainText('Member');
  await expect(moCard.getByRole('link', { name: /^Manage members/ })).toHaveCount(0);

  // The administrator gives the member a role that council services may ask for.
  await ash.page.reload();
  const moRow = members.getByRole('row', { name: /Mo Member/ });
  await moRow.getByRole('button', { name: 'Change roles of Mo Member' }).click();
  await moRow.getByLabel('Other roles (optional)').fill('gas-safe');
  await moRow.getByRole('button', { name: 'Save roles' }).click();
  await expect(ash.page.getByRole('status').filter({ hasText: 'Mo Member’s roles are changed.' })).toBeVisible();
  await expect(moRow).toContainText('Gas safe and member');

  // 3. The member signs in to the council's service for contractors, choosing to act for the contractor;
  // the service receives the organisation with their roles (`townhall:org`).
  await mo.page.reload();
  await expect(moCard).toContainText('Gas safe and member');
  const organisationId = /[0-9a-f-]{36}/.exec(
    (await moCard.getByRole('link', { name: `${CONTRACTOR}’s public page` }).getAttribute('href')) ?? '',
  )?.[0];
  await withoutPasskeyAutofill(mo.page);
  await signInToService(mo.page, permits.url, PERMITS);
  await expect(heading(mo.page, `${PERMITS} wants to know`)).toBeVisible(PASSKEY_TIMEOUT);
  const actingFor = mo.page.getByRole('group', { name: 'Which organisation are you acting for?' });
  await expect(actingFor).toContainText('Your roles: gas-safe, member');
  await actingFor.getByLabel(CONTRACTOR).check();
  await mo.page.getByRole('button', { name: `Continue to ${PERMITS}` }).click();
  await expect(heading(mo.page, 'Hello, Mo Member')).toBeVisible();
  const organisationClaim = received(mo.page, /^townhall:org/);
  await expect(organisationClaim).toContainText(CONTRACTOR);
  expect(JSON.parse((await organisationClaim.textContent()) ?? '')).toEqual({
    id: organisationId,
    kind: 'contractor',
    name: CONTRACTOR,
    roles: ['gas-safe', 'member'],
  });
  await expect(received(mo.page, /\(acr\)/)).toHaveText('urn:townhall:acr:organisation-invitation');

  // At a resident's door, the member shows a membership code; the public page (no sign-in) confirms it.
  await mo.page.goto('/account');
  await moCard.getByRole('button', { name: `Show a membership code for ${CONTRACTOR}` }).click();
  const code = (await moCard.getByRole('status').locator('.th-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
  const publicPage = await moCard.getByRole('link', { name: `${CONTRACTOR}’s public page` }).getAttribute('href');

  await visitor.goto(publicPage!);
  await expect(heading(visitor, CONTRACTOR)).toBeVisible();
  const facts = visitor.locator('.govuk-summary-list');
  await expect(facts).toContainText('Active');
  await expect(facts).toContainText(COMPANY_NUMBER);
  await expect(facts.locator('.govuk-summary-list__row', { hasText: 'Current members' })).toContainText('2');
  const history = visitor.getByRole('table', { name: /^Status history/ });
  await expect(history.getByRole('row', { name: /Registered with the council/ })).toBeVisible();
  await expectReceipt(visitor, history.getByRole('link', { name: /registered with the council/ }));
  const checkCode = async () => {
    await visitor.getByLabel('Membership code').fill(code);
    await visitor.getByRole('button', { name: 'Check the code' }).click();
  };
  await checkCode();
  const answer = visitor.getByRole('status').filter({ has: visitor.getByRole('heading') });
  await expect(answer).toContainText('Confirmed');
  await expect(answer).toContainText(`Mo Member is a current member of ${CONTRACTOR}.`);
  await expect(answer).toContainText('Roles: Gas safe and member.');

  // The council suspends the contractor, saying first what its members lose.
  await staff.getByRole('link', { name: 'Back to the organisations' }).click();
  await staff.getByLabel('Search by name or number').fill(COMPANY_NUMBER);
  const row = staff.getByRole('row', { name: new RegExp(CONTRACTOR) });
  await row.getByRole('button', { name: `Suspend ${CONTRACTOR}` }).click();
  const question = staff.getByRole('group', { name: `Suspend ${CONTRACTOR}?` });
  await expect(question).toContainText('Its 2 members lose the organisation’s role at once');
  await question.getByRole('button', { name: 'Yes, suspend it' }).click();
  await expect(staff.getByRole('alert').filter({ hasText: `${CONTRACTOR} is suspended.` })).toBeVisible();
  await expect(row).toContainText('Suspended');

  // The public page shows the suspension with its receipt, and the same code no longer confirms a member.
  await visitor.reload();
  await expect(facts).toContainText('Suspended');
  await expect(visitor.getByText('The council has suspended this organisation')).toBeVisible();
  const suspended = history.getByRole('row', { name: /Suspended/ });
  await expect(suspended).toBeVisible();
  await expectReceipt(visitor, suspended.getByRole('link', { name: /^Receipt for entry \d+/ }));
  await checkCode();
  await expect(answer).toContainText('Not confirmed');
  await expect(answer).toContainText(`This code does not confirm a current member of ${CONTRACTOR}.`);

  // Its people see it at once: no membership codes, no managing members.
  await mo.page.reload();
  await expect(moCard).toContainText('You cannot act for it until the council reinstates it.');
  await expect(moCard.getByRole('button', { name: /membership code/ })).toHaveCount(0);
  await ash.page.reload();
  await expect(ash.page.getByText(`${CONTRACTOR} is not active, so nobody can manage its members`)).toBeVisible();

  // The member's next sign-in to the service no longer carries the organisation: Townhall ID remembers
  // the sign-in and what they agreed to share, so nothing is asked, but `townhall:org` is not released.
  await mo.page.goto(`${permits.url}/sign-in`);
  await expect(heading(mo.page, 'Hello, Mo Member')).toBeVisible();
  await expect(received(mo.page, /^Name/)).toHaveText('Mo Member');
  await expect(received(mo.page, /^townhall:org/)).toHaveCount(0);
  // Signed out and in again, they are asked again, and no longer offered the organisation to act for.
  await signOutOfService(mo.page);
  await signInToService(mo.page, permits.url, PERMITS);
  await expect(heading(mo.page, `${PERMITS} wants to know`)).toBeVisible(PASSKEY_TIMEOUT);
  await expect(mo.page.getByRole('group', { name: 'Which organisation are you acting for?' })).toHaveCount(0);

  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
  await Promise.all([ash.close(), mo.close(), council.context.close(), permits.close()]);
});

async function enrol(page: Page, code: string, elector: AddedElector) {
  await page.goto(`/enrol?code=${code}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('My postcode').check();
  await page.getByLabel('Postcode', { exact: true }).fill(elector.postcode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(heading(page, 'Your account is set up')).toBeVisible(PASSKEY_TIMEOUT);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Your account' }).click();
  await expect(heading(page, 'Your account')).toBeVisible();
}

test('a resident appoints another as their representative with a one-time code; the representative accepts and signs in to a service for them, until the resident ends it', async ({
  page: orla,
  browser,
  cardIssuer,
  virtualAuthenticator: _orlasDevice,
  pageProblems,
}) => {
  await addElectorsToRoll(cardIssuer.staff.page, [ORLA, CORMAC]);
  const cormacDevice = await newDevice(browser);
  const cormac = cormacDevice.page;
  await Promise.all([
    enrol(orla, await cardIssuer.issueCode(ORLA.number), ORLA),
    enrol(cormac, await cardIssuer.issueCode(CORMAC.number), CORMAC),
  ]);

  // Cormac makes an appointment code in his account and gives it to Orla.
  const youActFor = cormac.getByRole('region', { name: 'People you act for' });
  await expect(youActFor).toContainText('You do not act for anyone.');
  await youActFor.getByRole('button', { name: 'Make an appointment code' }).click();
  const code = (await youActFor.getByRole('status').locator('.th-code').textContent())?.trim() ?? '';
  expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

  // Orla appoints him for one purpose until the end of next year.
  const actForOrla = orla.getByRole('region', { name: 'People who can act for you' });
  await expect(actForOrla).toContainText('Nobody can act for you.');
  await actForOrla.getByRole('link', { name: 'Appoint someone to act for you' }).click();
  await expect(heading(orla, 'Appoint someone to act for you')).toBeVisible();
  await orla.getByLabel('Their appointment code').fill(code);
  await orla.getByRole('button', { name: 'Appoint them' }).click();
  await expect(errorSummary(orla)).toContainText('Select at least one thing they may do for you');
  await orla.getByLabel(/^Manage my council services/).check();
  const endYear = String(new Date().getFullYear() + 1);
  await orla.getByLabel('Day').fill('31');
  await orla.getByLabel('Month').fill('12');
  await orla.getByLabel('Year').fill(endYear);
  await orla.getByRole('button', { name: 'Appoint them' }).click();
  await expect(heading(orla, 'You appointed Cormac')).toBeVisible();
  await expect(orla.getByRole('main')).toContainText(`Until 31 December ${endYear}`);
  await orla.getByRole('link', { name: 'Go to your account' }).click();
  // The card's heading says whose side it is on in visually hidden words ("Cormac, who can act for you").
  const cormacForOrla = orla.getByRole('region', { name: /^Cormac\W+who can act for you$/ });
  await expect(cormacForOrla).toContainText('Waiting to be accepted');
  await expect(cormacForOrla).toContainText('It takes effect when Cormac accepts it in their account.');

  // Cormac accepts: from then it is in effect, for both of them, each step with its receipt.
  await cormac.reload();
  const orlaForCormac = cormac.getByRole('region', { name: /^Orla\W+whom you act for$/ });
  await expect(orlaForCormac).toContainText('Waiting to be accepted');
  await expect(orlaForCormac).toContainText('Manage my council services');
  await orlaForCormac.getByRole('button', { name: 'Accept the appointment from Orla' }).click();
  await expect(cormac.getByRole('status').filter({ hasText: 'You accepted. You can now act for Orla' })).toBeVisible();
  await expect(orlaForCormac).toContainText('Active');
  await expect(orlaForCormac.getByRole('listitem').filter({ hasText: 'You accepted' })).toBeVisible();

  await orla.reload();
  await expect(cormacForOrla).toContainText('Active');
  await expect(cormacForOrla).toContainText(`31 December ${endYear}`);
  for (const record of ['You appointed Cormac', 'Cormac accepted']) {
    await expectReceipt(orla, cormacForOrla.getByRole('listitem').filter({ hasText: record }).getByRole('link'));
  }

  // While it is in effect, Cormac signs in to a council service for Orla: the service gets Orla's
  // identifier, with an `act` claim (RFC 8693 §4.1) naming him by his own identifier for that service.
  await withoutPasskeyAutofill(cormac);
  await signInToService(cormac, gardenWaste, GARDEN_WASTE);
  const whoFor = cormac.getByRole('group', { name: `Who are you signing in to ${GARDEN_WASTE} as?` });
  await whoFor.getByLabel('Orla, who appointed me').check(PASSKEY_TIMEOUT);
  await cormac.getByRole('button', { name: `Continue to ${GARDEN_WASTE}` }).click();
  await expect(heading(cormac, `${GARDEN_WASTE} wants to know`)).toBeVisible();
  await cormac.getByRole('button', { name: `Continue to ${GARDEN_WASTE}` }).click();
  await expect(heading(cormac, 'Hello, Orla')).toBeVisible();
  await expect(received(cormac, /^Name/)).toHaveText(`${ORLA.givenName} ${ORLA.familyName}`);
  const orlasSub = (await received(cormac, /\(sub\)/).textContent()) ?? '';
  const actor = JSON.parse((await received(cormac, /^act/).textContent()) ?? '') as { sub: string };
  expect(actor.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(actor.sub).not.toBe(orlasSub);

  // Orla ends it, after being asked; Cormac sees it ended and can no longer act for her.
  await cormacForOrla.getByRole('button', { name: 'End the appointment with Cormac' }).click();
  await expect(cormacForOrla.getByRole('group', { name: 'End the appointment with Cormac?' })).toContainText(
    'Cormac can no longer act for you, from now.',
  );
  await cormacForOrla.getByRole('button', { name: 'Yes, end it' }).click();
  await expect(orla.getByRole('status').filter({ hasText: 'The appointment with Cormac has ended.' })).toBeVisible();
  await expect(cormacForOrla).toContainText('Ended');
  await expectReceipt(orla, cormacForOrla.getByRole('listitem').filter({ hasText: 'The appointment was ended' }).getByRole('link'));

  await cormac.goto('/account');
  await expect(orlaForCormac).toContainText('Ended');
  await expect(orlaForCormac.getByRole('button')).toHaveCount(0);

  // The service was told (back-channel logout) that his session for Orla has ended: he is signed out
  // of it. His next sign-in to the service is not offered for Orla: it is his own, and the service's
  // identifier for him is the one the `act` claim named.
  await cormac.goto(gardenWaste);
  await expect(cormac.getByRole('button', { name: 'Sign in with Townhall ID' })).toBeVisible();
  await expect(heading(cormac, 'Hello, Orla')).toHaveCount(0);
  await signInToService(cormac, gardenWaste, GARDEN_WASTE);
  await expect(heading(cormac, `${GARDEN_WASTE} wants to know`)).toBeVisible(PASSKEY_TIMEOUT);
  await expect(whoFor).toHaveCount(0);
  await cormac.getByRole('button', { name: `Continue to ${GARDEN_WASTE}` }).click();
  await expect(heading(cormac, 'Hello, Cormac')).toBeVisible();
  await expect(received(cormac, /\(sub\)/)).toHaveText(actor.sub);
  await expect(received(cormac, /^act/)).toHaveCount(0);

  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
  await cormacDevice.close();
});
