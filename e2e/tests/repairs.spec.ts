/**
 * A repair from report to payment (docs/protocol/contracts.md §11) as its people meet it, on the demo
 * repairs consortium the server's seed agreed: a resident who is nobody's tenant is told how to become
 * one; the association invites them; they report a repair (errors, check answers, confirmation); the
 * association's administrator triages it from "Repairs" (errors first); the tenant sees its deadline;
 * the contractor's administrator accepts it, books a visit and completes it from "Work orders"; the
 * association confirms the work (asked first) and a payment run gives the list of payments (CSV)
 * and the ISO 20022 bank file with the contractor's payment; the tenant sees it finished. Every page is checked for accessibility and
 * against its screenshot at desktop and phone widths.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from '@playwright/test';
import { ContractDetail, OrganisationInvitationCreated, OrganisationList } from '@townhall/protocol';
import { a11yCoverage } from '../support/a11y-check.ts';
import { expect, test } from '../support/fixtures.ts';
import { apiPost } from '../support/identity.ts';
import { addElectorsToRoll, type AddedElector } from '../support/roll-additions.ts';
import { testBaseUrl } from '../support/test-database.ts';
import { addVirtualAuthenticator } from '../support/virtual-authenticator.ts';

// One long scenario (three people, three passkey ceremonies for an approval, two screen widths per state):
// about 1.7 minutes alone, more beside the other specs on two cores.
test.describe.configure({ timeout: 240_000 });

// Every demo elector belongs to another spec (the seed's demo tenant, CAS-0001, too): this spec adds its own.
const NIA: AddedElector = { number: 'RPR-0001', givenName: 'Nia', familyName: 'Okafor', address: '7 Keep Lane', postcode: 'DB1 1AC', dateOfBirth: '1990-04-21', district: 'CAS' };
// The seed's demo consortium (apps/api/src/seed/demo-consortium.ts).
const ASSOCIATION = 'Castle Homes (demo)';
const DEMO_CONTRACT_ID = 'demo-consortium-repairs';
const CONTRACTOR = 'Demo Repairs Ltd (not real)';
const PASSKEY_TIMEOUT = { timeout: 30_000 };

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const json = async <T>(response: { ok(): boolean; status(): number; text(): Promise<string> }, parse: (value: unknown) => T): Promise<T> => {
  const text = await response.text();
  expect(response.ok(), text).toBe(true);
  return parse(JSON.parse(text));
};

async function enrol(page: Page, code: string, elector: AddedElector) {
  await page.goto(`/enrol?code=${code}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('My postcode').check();
  await page.getByLabel('Postcode', { exact: true }).fill(elector.postcode);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Create a passkey' }).click();
  await expect(heading(page, 'Your account is set up')).toBeVisible(PASSKEY_TIMEOUT);
}

/** An administrator of an organisation of the consortium, whom the council invites (the seed's own are simulated, without passkeys), in a browser of their own. */
async function organisationAdministrator(browser: Browser, staff: Page, legalName: string, displayName: string) {
  const { organisations } = await json(await staff.request.get('/api/official/organisations'), (v) => OrganisationList.parse(v));
  const organisation = organisations.find((o) => o.legalName === legalName);
  expect(organisation, `the seed registered ${legalName}`).toBeDefined();
  const invitation = await json(
    await apiPost(staff, `/official/organisations/${organisation!.id}/invitations`, { displayName }),
    (v) => OrganisationInvitationCreated.parse(v),
  );
  const context = await browser.newContext({ baseURL: testBaseUrl() });
  const page = await context.newPage();
  await addVirtualAuthenticator(page);
  await page.goto(invitation.url);
  await page.getByRole('button', { name: 'Create a passkey and join' }).click();
  await expect(heading(page, `You have joined ${legalName}`)).toBeVisible(PASSKEY_TIMEOUT);
  return { id: organisation!.id, page, close: () => context.close() };
}

test('a repair from the tenant’s report through triage, the contractor’s visit and confirmation to the association’s payment run', async ({
  page,
  browser,
  cardIssuer,
  virtualAuthenticator: _device,
  pageProblems,
}) => {
  const coverage = a11yCoverage('repairs');
  const staff = cardIssuer.staff.page;
  await addElectorsToRoll(staff, [NIA]);
  await enrol(page, await cardIssuer.issueCode(NIA.number), NIA);
  const navigation = page.getByRole('navigation', { name: 'Account' });

  // 1. Nobody's tenant yet: repairs are not offered, and the page says how to become one.
  await expect(navigation.getByRole('link', { name: 'Your account' })).toBeVisible();
  await expect(navigation.getByRole('link', { name: 'Your repairs' })).toHaveCount(0);
  await page.goto('/repairs/report');
  await expect(heading(page, 'You cannot report a repair here yet')).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Your housing association invites you');
  await coverage.check(page, 'not a tenant');

  // 2. The association invites Nia as its tenant; she joins with the account she has.
  const administrator = await organisationAdministrator(browser, staff, ASSOCIATION, 'Hana Housing');
  const association = { id: administrator.id };
  const tenantInvitation = await json(
    await apiPost(administrator.page, `/organisations/${association!.id}/invitations`, { displayName: 'Nia Okafor, 7 Keep Lane', roles: ['tenant'] }),
    (v) => OrganisationInvitationCreated.parse(v),
  );
  await page.goto(tenantInvitation.url);
  await page.getByRole('button', { name: 'Join as Nia' }).click();
  await expect(heading(page, `You have joined ${ASSOCIATION}`)).toBeVisible();

  // 3. Now "Your repairs" is in the navigation: none yet.
  await navigation.getByRole('link', { name: 'Your repairs' }).click();
  await expect(heading(page, 'Your repairs')).toBeVisible();
  await expect(page.getByText('You have not reported a repair here yet.')).toBeVisible();
  await coverage.check(page, 'no repairs yet');

  // 4. The report: nothing answered gives an error summary that links to each question.
  await page.getByRole('button', { name: 'Report a repair' }).click();
  await expect(heading(page, 'Report a repair')).toBeVisible();
  await expect(page.getByText(`Your report goes to ${ASSOCIATION}`)).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  const summary = page.locator('.govuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([
    'Enter what is wrong',
    'Enter where in your home the problem is',
    'Select how urgent the repair is',
    'Select yes if there is damp or mould',
    'Select yes if anyone’s health or safety is at risk now',
  ]);
  await coverage.check(page, 'with errors');
  await summary.getByRole('link', { name: 'Enter what is wrong' }).click();
  await expect(page.getByLabel('What is wrong?')).toBeFocused();
  await page.getByLabel('What is wrong?').fill('The kitchen mixer tap drips all night and the handle is loose.');
  await page.getByLabel('Where in your home is it?').fill('Kitchen, over the sink');
  await page.getByLabel('Urgent').check();
  await page.getByRole('group', { name: /Is there damp or mould/ }).getByLabel('No').check();
  await page.getByRole('group', { name: /health or safety at risk/ }).getByLabel('No').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  // 5. Check your answers, change one, and send.
  await expect(heading(page, 'Check your answers before reporting the repair')).toBeVisible();
  const answers = page.locator('.govuk-summary-list');
  await expect(answers).toContainText('Kitchen, over the sink');
  await expect(answers).toContainText('Urgent');
  await coverage.check(page, 'check answers');
  await page.getByRole('link', { name: 'Change how urgent' }).click();
  await expect(page.getByLabel('Urgent')).toBeChecked();
  await page.getByLabel('Routine').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(answers).toContainText('Routine');
  await page.getByRole('button', { name: 'Report the repair' }).click();
  await expect(heading(page, 'Repair reported')).toBeVisible();
  await expect(page.locator('.govuk-panel')).toContainText(/Your reference\s*[0-9A-F]{4}-[0-9A-F]{4}/);
  await coverage.check(page, 'confirmation');

  // 6. The repair: reported, its deadline not set until the association reads it; its history has a receipt.
  await page.getByRole('link', { name: 'See this repair' }).click();
  await expect(heading(page, 'Your repair')).toBeVisible();
  const orderId = /\/repairs\/([0-9a-f-]{36})$/.exec(page.url())?.[1] ?? '';
  expect(orderId).not.toBe('');
  const row = (label: string) => page.locator('.govuk-summary-list__row').filter({ has: page.locator('dt', { hasText: label }) }).locator('dd');
  await expect(row('Status')).toContainText('Reported');
  await expect(row('Deadline')).toHaveText('Set when your housing association has read your report');
  await expect(page.getByRole('listitem').filter({ hasText: 'You reported the repair' }).getByRole('link', { name: /^Receipt for entry \d+/ })).toBeVisible();
  await coverage.check(page, 'reported');

  // 7. The association's administrator triages it from "Repairs" on their account page: the contract sets
  //    its deadline, which Nia sees in "Your repairs".
  const reference = `${orderId.slice(0, 4)}-${orderId.slice(4, 8)}`.toUpperCase();
  const hana = administrator.page;
  await hana.goto('/account');
  await hana.getByRole('link', { name: `Repairs of ${ASSOCIATION}` }).click();
  await expect(heading(hana, `Repairs for ${ASSOCIATION}`)).toBeVisible();
  const waiting = hana.getByRole('table', { name: /^Waiting for you/ });
  await expect(waiting.getByRole('row').filter({ hasText: reference })).toContainText('Triage it');
  await coverage.check(hana, 'association repairs');
  await waiting.getByRole('link', { name: `Repair ${reference}` }).click();
  await expect(heading(hana, new RegExp(`Repair ${reference}`))).toBeVisible();
  await hana.getByRole('button', { name: 'Send to the contractor' }).click();
  await expect(hana.locator('.govuk-error-summary')).toContainText('Select the catalogue item for the work');
  await coverage.check(hana, 'triage with errors');
  await hana.getByLabel(/\(TAP-01\)/).check();
  await hana.getByLabel('Urgent').check();
  await hana.getByLabel('No damp or mould hazard').check();
  await hana.getByRole('button', { name: 'Send to the contractor' }).click();
  await expect(hana.getByText('The job is sent to the contractor with its deadline.')).toBeVisible();

  await navigation.getByRole('link', { name: 'Your repairs' }).click();
  await expect(heading(page, 'Your repairs')).toBeVisible();
  const repairRow = page.getByRole('row').filter({ hasText: 'Kitchen, over the sink' });
  await expect(repairRow).toContainText('Sent to the contractor');
  await expect(repairRow).toContainText(/By \d{1,2} \w+ \d{4} at \d\d:\d\d/);
  await coverage.check(page, 'one repair');

  // 8. Another person's repair, or none: not found (the API refuses it; the page says so).
  await page.goto('/repairs/00000000-0000-4000-8000-000000000000');
  await expect(heading(page, 'Repair not found')).toBeVisible();
  await coverage.check(page, 'not found');

  // 9. The contractor's administrator accepts the job, books a visit and completes it from "Work orders".
  const engineer = await organisationAdministrator(browser, staff, CONTRACTOR, 'Ezra Engineer');
  const ezra = engineer.page;
  await ezra.goto('/account');
  await ezra.getByRole('link', { name: `Work orders of ${CONTRACTOR}` }).click();
  await expect(heading(ezra, `Work orders for ${CONTRACTOR}`)).toBeVisible();
  await expect(ezra.getByRole('table', { name: /^Waiting for you/ }).getByRole('row').filter({ hasText: reference })).toContainText('Accept it');
  await coverage.check(ezra, 'contractor work orders');
  await ezra.getByRole('link', { name: `Repair ${reference}` }).click();
  await coverage.check(ezra, 'to accept');
  await ezra.getByRole('button', { name: 'Accept the job' }).click();
  await expect(ezra.getByText('You accepted the job.')).toBeVisible();
  await ezra.getByLabel('Starts').fill('2030-01-07T09:00');
  await ezra.getByLabel('Ends').fill('2030-01-07T11:00');
  await ezra.getByRole('button', { name: 'Book the visit' }).click();
  await expect(ezra.getByText('The visit is booked.', { exact: false })).toBeVisible();
  await ezra.getByLabel('What you did (optional)').fill('Fitted a new ceramic disc mixer tap.');
  await ezra.getByRole('button', { name: 'Mark the job complete' }).click();
  await expect(ezra.getByText('The job is marked complete.', { exact: false })).toBeVisible();

  // 10. The association checks the work and confirms it, only after saying yes: the job is priced.
  await hana.reload();
  await expect(hana.getByText('Fitted a new ceramic disc mixer tap.')).toBeVisible();
  await coverage.check(hana, 'to check');
  await hana.getByRole('button', { name: 'Confirm the work is done' }).click();
  await hana.getByRole('button', { name: 'Yes, confirm the work' }).click();
  await expect(hana.getByText('The work is confirmed and the job is priced.')).toBeVisible();
  await expect(hana.getByText(/^To the contractor: £\d/)).toBeVisible();
  await coverage.check(hana, 'confirmed');

  // 11. A payment run gathers it, after asking, into a file for the bank with the contractor's payment.
  await hana.goto(hana.url().replace(/\/work\/[^/]+$/, '/payment-runs'));
  await expect(heading(hana, `Payment runs for ${ASSOCIATION}`)).toBeVisible();
  await expect(hana.getByText(/^1 confirmed job to pay, £[\d,]+\.\d\d in all\.$/)).toBeVisible();
  await coverage.check(hana, 'payments due');
  await hana.getByRole('button', { name: /^Make a payment run/ }).click();
  await hana.getByRole('button', { name: 'Yes, make the payment run' }).click();
  await expect(hana.getByText(/^Payment run made: 1 payment/)).toBeVisible();
  await coverage.check(hana, 'run made');
  const [download] = await Promise.all([hana.waitForEvent('download'), hana.getByRole('link', { name: 'Download the list of payments (CSV)' }).click()]);
  const file = await readFile((await download.path())!, 'utf8');
  expect(file).toContain(orderId);
  expect(file).toContain(CONTRACTOR);
  // The ISO 20022 bank file: the demo parties' bank accounts are recorded, so it pays the contractor's account from the association's.
  const [bankDownload] = await Promise.all([hana.waitForEvent('download'), hana.getByRole('button', { name: 'Download the bank file (ISO 20022 pain.001)' }).click()]);
  expect(bankDownload.suggestedFilename()).toMatch(/\.xml$/);
  const bankFile = await readFile((await bankDownload.path())!, 'utf8');
  expect(bankFile).toContain('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"');
  expect(bankFile).toContain(`<EndToEndId>${orderId.replaceAll('-', '')}-C</EndToEndId>`);
  expect(bankFile).toContain(`<Nm>${CONTRACTOR}</Nm>`);
  expect(bankFile).toContain('99990110000001'); // the demo contractor's sort code and account number
  expect(bankFile).toContain('99990210000002'); // the demo association's, which pays
  // The file is kept: the run says when it was made, and downloading it again gives the very same file.
  const runs = hana.getByRole('table', { name: 'Earlier payment runs' });
  await expect(runs.getByText(/^File made .*; every download is this same file\.$/)).toBeVisible();
  await coverage.check(hana, 'bank file made');
  const [again] = await Promise.all([hana.waitForEvent('download'), runs.getByRole('button', { name: /^Bank file \(ISO 20022 pain\.001\)/ }).click()]);
  expect(await readFile((await again.path())!, 'utf8')).toBe(bankFile);
  await expect(hana.getByRole('button', { name: /^Make a payment run/ })).toHaveCount(0);

  // The contract's page: how it performs (the job confirmed, its spend), its terms and approvals.
  await hana.getByRole('link', { name: 'Back to repairs' }).click();
  await hana.getByRole('link', { name: 'Responsive repairs, demo consortium (not real)' }).click();
  await expect(heading(hana, 'Responsive repairs, demo consortium (not real)')).toBeVisible();
  await expect(hana.getByRole('table', { name: 'Confirmed jobs and payments by association' }).getByRole('row', { name: new RegExp(ASSOCIATION.replace(/[()]/g, '\\$&')) })).toBeVisible();
  await expect(hana.getByText(/^Revision 1: agreed, 3 of 3 parties approved/)).toBeVisible();
  await coverage.check(hana, 'performance');

  // An amendment (a higher host fee) waits for every party. Hana approves it for the association with
  // her signing passkey: the first time, her own passkey confirms it is her, the browser makes the
  // signing passkey, the registry binds it to her membership, and it signs the revision's challenge.
  const contractPath = `/organisations/${association.id}/contracts/${DEMO_CONTRACT_ID}`;
  const agreed = await json(await hana.request.get(`/api${contractPath}`), (v) => ContractDetail.parse(v));
  const terms = agreed.versions.find((v) => v.revision === agreed.agreedRevision)!.terms;
  const amendment = { ...terms, revision: 2, parties: { ...terms.parties, host: { ...terms.parties.host, feePerJobPence: terms.parties.host.feePerJobPence + 25 } } };
  await json(await apiPost(hana, `${contractPath}/amendments`, { terms: amendment, effectiveAt: new Date(Date.now() + 7 * 86_400_000).toISOString() }), (v) => ContractDetail.parse(v));
  await hana.reload();
  await expect(hana.getByRole('heading', { name: 'Terms proposed (revision 2)' })).toBeVisible();
  await hana.getByRole('button', { name: 'Approve revision 2' }).click();
  await expect(hana.getByText(/The first time, your browser asks for your passkey to confirm it is you/)).toBeVisible();
  await coverage.check(hana, 'approving with a passkey');
  await hana.getByRole('button', { name: 'Yes, approve it with my passkey' }).click();
  await expect(hana.getByText(`${ASSOCIATION} approved revision 2.`)).toBeVisible(PASSKEY_TIMEOUT);
  await expect(hana.getByText(/^Revision 2: waiting for approvals, 1 of 3 parties approved/)).toBeVisible();
  await coverage.check(hana, 'approved with a passkey');

  // 12. Nia sees her repair finished.
  await page.goto(`/repairs/${orderId}`);
  await expect(row('Status')).toContainText('Finished');

  // 13. The contractor's administrator finds the webhook page from the work orders: none is
  // registered; an address on a private network is refused before anything is sent to it.
  await ezra.goto('/account');
  await ezra.getByRole('link', { name: `Work orders of ${CONTRACTOR}` }).click();
  await ezra.getByRole('link', { name: 'Webhook' }).click();
  await expect(heading(ezra, 'Webhook for new work orders')).toBeVisible();
  await expect(ezra.getByText('No webhook is registered: work orders reach you only on your work queue.')).toBeVisible();
  await coverage.check(ezra, 'no webhook');
  await ezra.getByLabel('Endpoint address').fill('https://10.0.0.1/townhall/orders');
  await ezra.getByRole('button', { name: 'Register the endpoint' }).click();
  await expect(ezra.getByRole('alert').filter({ hasText: 'There is a problem' })).toContainText('is a private address, which our server does not call');
  await coverage.check(ezra, 'with an error');

  coverage.expectComplete();
  expect(pageProblems.pageErrors).toEqual([]);
  expect(pageProblems.cspViolations).toEqual([]);
  await administrator.close();
  await engineer.close();
});
