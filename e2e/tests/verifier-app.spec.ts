import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ElectionListResponse } from '@townhall/protocol';
import { verifyContractRecordSource } from '@townhall/verifier';
import { decoded, entryLines, reseal, setBody, type Line } from '../../packages/verifier/test/tamper-support.ts';
import { a11yCoverage } from '../support/a11y-check.ts';
import { findAccessibilityViolations } from '../support/accessibility.ts';
import { expect, test } from '../support/fixtures.ts';
import { chooseRecordFile, downloadReport, dropRecordFile, openVerifier, verdictOf, VERIFIER_PATH } from '../support/verifier-app.ts';
import { FIXTURE_BALLOTS, FIXTURE_RECORD, reportFromCli, reportFromLibrary, writeTamperedRecord } from '../support/verifier-reports.ts';

// The observer's verifier web app (issue #7): the record verified in Web Workers, results, the
// report, a tracking code check; once loaded it needs no server.

/** The library's 3-job repairs contract record (packages/verifier/test/fixtures/README.md): job 2's PaymentComputed is entry 17. */
const CONTRACT_RECORD = resolve(import.meta.dirname, '../../packages/verifier/test/fixtures/contract-3-jobs.record.jsonl');
const LATE_JOB_ENTRY = 17;
/** Job 2's order, read from its PaymentComputed entry (the fixture's ids change whenever it is made again). */
const LATE_JOB = {
  entry: LATE_JOB_ENTRY,
  orderId: (decoded(entryLines(readFileSync(CONTRACT_RECORD, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Line))[LATE_JOB_ENTRY]!).body as { orderId: string }).orderId,
};

/** The contract record with job 2's late reduction recorded as nothing, resealed as an operator holding the log key would (the library's tampering suite). */
function writeTamperedContractRecord(directory: string): string {
  const lines = readFileSync(CONTRACT_RECORD, 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Line);
  setBody(entryLines(lines)[LATE_JOB.entry]!, (body) => (body.lateReductionPence = 0));
  const path = join(directory, 'contract-tampered.record.jsonl');
  writeFileSync(path, `${reseal(lines).map((line) => JSON.stringify(line)).join('\n')}\n`);
  return path;
}

let scratch: string;
test.beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'townhall-verifier-app-'));
});
test.afterAll(() => rmSync(scratch, { recursive: true, force: true }));

test.describe('the same record gives the same report in the CLI, the library in Node and the web app', () => {
  for (const variant of ['valid', 'tampered'] as const) {
    test(`${variant} record`, async ({ page, pageProblems }) => {
      test.setTimeout(180_000);
      const path = variant === 'valid' ? FIXTURE_RECORD : writeTamperedRecord(scratch);
      const [cli, library] = await Promise.all([reportFromCli(path), reportFromLibrary(path)]);
      expect(cli.exitCode).toBe(variant === 'valid' ? 0 : 1);
      expect(cli.report.isValid).toBe(variant === 'valid');

      await openVerifier(page);
      await chooseRecordFile(page, path);
      expect(await verdictOf(page)).toBe(variant === 'valid' ? 'Verified' : 'Not verified');
      const fromBrowser = await downloadReport(page);

      expect(fromBrowser).toEqual(cli.report);
      expect(fromBrowser).toEqual(JSON.parse(JSON.stringify(library)));
      if (variant === 'tampered') {
        const failed = cli.report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
        expect(failed).toContain('tally.result');
        for (const id of failed) await expect(page.locator(`[data-failed-check="${id}"]`)).toBeVisible();
      }
      expect(pageProblems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
    });
  }
});

test('a repairs contract’s record: every payment recomputed, the same report as the CLI’s; a tampered one shows the differing figure', async ({ page, pageProblems }) => {
  test.setTimeout(180_000);
  const coverage = a11yCoverage('verifier-contract');
  const tampered = writeTamperedContractRecord(scratch);
  await openVerifier(page);
  await chooseRecordFile(page, CONTRACT_RECORD);
  expect(await verdictOf(page)).toBe('Verified');
  await expect(page.getByTestId('verdict')).toContainText('Contract keep-repairs: every check that applies passed.');
  const payments = page.getByRole('table', { name: 'Every payment, as recorded and as recomputed' });
  await expect(payments.locator('[data-figure-verdict="equal"]')).toHaveCount(3 * 6);
  await expect(payments.locator('[data-figure-verdict="different"]')).toHaveCount(0);
  await expect(page.getByRole('table', { name: /Every payment run/ }).locator('tbody[data-payment-run]')).toHaveCount(2);
  const [cli, fromBrowser] = await Promise.all([reportFromCli(CONTRACT_RECORD), downloadReport(page)]);
  expect(cli.exitCode).toBe(0);
  expect(fromBrowser).toEqual(cli.report);
  expect(fromBrowser).toEqual(JSON.parse(JSON.stringify(await verifyContractRecordSource(readFileSync(CONTRACT_RECORD, 'utf8')))));
  await coverage.check(page, 'contract verified');

  await page.getByRole('link', { name: 'Verify another record' }).click();
  await chooseRecordFile(page, tampered);
  expect(await verdictOf(page)).toBe('Not verified');
  await expect(page.locator('[data-failed-check="contract.payments"]')).toContainText(`entry ${LATE_JOB.entry}: lateReductionPence of order ${LATE_JOB.orderId} is recorded as 0, recomputed as 1533`);
  const changed = page.locator(`[data-payment="${LATE_JOB.orderId}"] [data-figure="lateReductionPence"]`);
  await expect(changed.and(page.locator('[data-side="recorded"]'))).toContainText('£0.00');
  await expect(changed.and(page.locator('[data-side="recomputed"]'))).toContainText('£15.33 Different');
  for (const toggle of await page.getByText('Show the evidence').all()) await toggle.click();
  await coverage.check(page, 'contract not verified');
  coverage.expectComplete();
  expect(pageProblems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
});

test('picks an election from the running server and verifies its record from the API', async ({ page, request, pageProblems }) => {
  test.setTimeout(120_000);
  const { elections } = ElectionListResponse.parse(await (await request.get('/api/elections')).json());
  const demo = elections.find((e) => /demo/i.test(e.title)) ?? elections[0]!;
  await openVerifier(page);
  const card = page.locator(`[data-election="${demo.id}"]`);
  await expect(card.getByRole('heading', { name: demo.title })).toBeVisible();
  await expect(card.getByRole('link', { name: /Download the record/ })).toHaveAttribute('href', `/api/elections/${demo.id}/record`);
  await card.getByRole('button', { name: `Verify ${demo.title}` }).click();
  await expect(page).toHaveURL(/\/verify\/record$/);
  expect(await verdictOf(page)).toBe('Verified');
  const report = (await downloadReport(page)) as { electionId: string; isValid: boolean; checks: { id: string; status: string }[] };
  expect(report.electionId).toBe(demo.id);
  expect(report.isValid).toBe(true);
  // An open election has no count yet: the tally checks do not apply.
  if (demo.status === 'open') expect(report.checks.find((c) => c.id === 'tally.result')?.status).toBe('skip');
  expect(pageProblems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
});

test('once loaded, verifies dropped records and checks a tracking code with no connection', async ({ page, context, pageProblems }) => {
  test.setTimeout(180_000);
  await openVerifier(page);
  const failedRequests: string[] = [];
  page.on('requestfailed', (r) => failedRequests.push(r.url()));
  await context.setOffline(true);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await dropRecordFile(page, FIXTURE_RECORD);
  expect(await verdictOf(page)).toBe('Verified');
  // The verification ran off the page's thread: the app's worker and its proof pool.
  expect(page.workers().length).toBeGreaterThanOrEqual(1);
  await page.getByRole('link', { name: 'Check a tracking code or receipt' }).click();
  await page.getByLabel('Tracking code').fill(FIXTURE_BALLOTS.counted);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('counted')).toHaveText(/^Yes: it is its voter’s last ballot before the close/);

  // A second record, still offline: a fresh worker, its scripts from the browser's cache.
  await page.getByRole('link', { name: 'Back to the verification result' }).click();
  await page.getByRole('link', { name: 'Verify another election' }).click();
  await dropRecordFile(page, writeTamperedRecord(scratch));
  expect(await verdictOf(page)).toBe('Not verified');
  await context.setOffline(false);
  // Nothing was even attempted over the network: the workers, the styles and the icon were all loaded before.
  expect(failedRequests).toEqual([]);
  expect(pageProblems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
});

test('checks tracking codes against the verified record: counted, replaced, unknown, mistyped', async ({ page }) => {
  test.setTimeout(120_000);
  await openVerifier(page);
  await chooseRecordFile(page, FIXTURE_RECORD);
  await verdictOf(page);
  await page.getByRole('link', { name: 'Check a tracking code or receipt' }).click();
  const code = page.getByLabel('Tracking code');
  await code.fill(FIXTURE_BALLOTS.counted.toUpperCase().replace(/(.{8})/g, '$1 '));
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('heading', { name: 'Your ballot is in the record' })).toBeVisible();
  await expect(page.getByTestId('counted')).toHaveText(/^Yes/);
  await code.fill(FIXTURE_BALLOTS.superseded);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('counted')).toHaveText(/^No: the same voter cast a later ballot/);
  await code.fill('0'.repeat(64));
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('heading', { name: 'This ballot is not in the record' })).toBeVisible();
  await code.fill('12345');
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('link', { name: /you entered 5 characters/ })).toBeVisible();
});

test('every state of the app passes axe (WCAG 2.2 AA) without sideways scrolling @phone', async ({ page, pageProblems }) => {
  test.setTimeout(240_000);
  const states: string[] = [];
  async function check(state: string) {
    states.push(state);
    const violations = await findAccessibilityViolations(page);
    expect(violations, state).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, state).toBeLessThanOrEqual(0);
  }

  await page.goto(`${VERIFIER_PATH}record`);
  await expect(page.getByRole('heading', { level: 1, name: 'No record is loaded' })).toBeVisible();
  await check('no record loaded');

  await openVerifier(page);
  await check('start page');

  await page.getByLabel('Choose an election record file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await check('start page, wrong file');

  // Hold the server's record back so the verification can be seen (and checked) while it runs, then cancel it.
  let release = () => {};
  await page.context().route('**/api/elections/*/record', async (route) => {
    await new Promise<void>((resolve) => (release = resolve));
    await route.continue();
  });
  await page.getByRole('button', { name: /^Verify / }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Verifying the record' })).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Progress' })).toBeVisible();
  await check('verification running');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Verification cancelled' })).toBeVisible();
  release();
  await page.context().unrouteAll({ behavior: 'ignoreErrors' });
  await check('verification cancelled');

  await page.getByRole('link', { name: 'Choose an election or a record file' }).click();
  await chooseRecordFile(page, FIXTURE_RECORD);
  expect(await verdictOf(page)).toBe('Verified');
  await check('verified');

  await page.getByRole('link', { name: 'Check a tracking code or receipt' }).click();
  await check('ballot check');
  await page.getByLabel('Tracking code').fill(FIXTURE_BALLOTS.counted);
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByTestId('ballot-result')).toBeVisible();
  await check('ballot found');
  await page.getByLabel('Tracking code').fill('abc');
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  await check('ballot check, mistyped code');

  await page.goto(VERIFIER_PATH);
  await expect(page.getByTestId('offline-ready')).not.toBeEmpty();
  await chooseRecordFile(page, writeTamperedRecord(scratch));
  expect(await verdictOf(page)).toBe('Not verified');
  for (const toggle of await page.getByText('Show the evidence').all()) await toggle.click();
  await check('not verified, evidence open');

  expect(states).toHaveLength(10);
  expect(pageProblems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
});
