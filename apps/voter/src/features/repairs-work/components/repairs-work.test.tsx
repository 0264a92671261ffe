import { fireEvent, screen, within } from '@testing-library/react';
import { exampleTerms } from '@townhall/contracts';
import { contractApprovalChallenge, contractTermsHash } from '@townhall/protocol';
import { rememberCsrfToken } from '@townhall/web-ui';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders as renderWith, serveFakeApi as serve } from '../../../test-support/fake-api.tsx';
import { reportedRepair } from '../../../test-support/repair-fixture.ts';
import { ContractPage } from './contract-page.tsx';
import { PaymentRuns } from './payment-runs.tsx';
import { WorkItem } from './work-item.tsx';
import { WorkQueue, type WorkOrganisation } from './work-queue.tsx';

const association: WorkOrganisation = { id: 'ha1', name: 'Northgate Homes', side: 'association' };
const contractor: WorkOrganisation = { id: 'c1', name: 'Castle Repairs Ltd', side: 'contractor' };

const repair = (orderId: string, patch: Record<string, unknown> = {}) =>
  reportedRepair({
    orderId,
    contractId: 'north-2027',
    associationId: 'ha1',
    description: 'The kitchen tap drips',
    address: '1 Castle Street, DB1 1AA',
    history: [{ type: 'order-raised', at: '2027-01-04T09:00:00.000Z', ledgerIndex: '3' }],
    ...patch,
  });

const terms = {
  catalogue: [
    { code: 'TAP-01', description: 'Replace a tap', unitPricePence: 8500, specification: 'Ceramic disc mixer tap' },
    { code: 'CALLOUT', description: 'Call-out', unitPricePence: 4000, specification: 'Attendance' },
  ],
};
const contracts = {
  contracts: [
    {
      contractId: 'north-2027',
      title: 'North consortium repairs 2027',
      contractorId: 'c1',
      associationIds: ['ha1'],
      hostId: 'ha1',
      agreedRevision: 1,
      log: 'contract-north-2027',
      versions: [{ revision: 1, status: 'agreed', termsHash: 'ab'.repeat(32), effectiveAt: null, terms, approvals: [], agreedIndex: '1' }],
    },
  ],
};

const passkey = vi.hoisted(() => ({ startAuthentication: vi.fn(), startRegistration: vi.fn() }));
vi.mock('@simplewebauthn/browser', async (importOriginal) => ({
  ...(await importOriginal<object>()),
  startAuthentication: passkey.startAuthentication,
  startRegistration: passkey.startRegistration,
}));
const assertion = { id: 'cred-1', rawId: 'cred-1', type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' }, clientExtensionResults: {} };
const confirmation = { ...assertion, id: 'sign-in-1', rawId: 'sign-in-1' };
const registration = { id: 'cred-1', rawId: 'cred-1', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'AA' }, clientExtensionResults: {} };

// The contract and its catalogue are parsed with the full terms schema: give the rest of a valid contract.
vi.mock('@townhall/protocol', async (importOriginal) => {
  const original = await importOriginal<typeof import('@townhall/protocol')>();
  const { z } = await import('zod');
  return { ...original, ContractList: z.object({ contracts: z.array(original.ContractDetail.extend({ versions: z.array(z.any()) })) }) };
});

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  passkey.startAuthentication.mockReset();
  passkey.startRegistration.mockReset();
  rememberCsrfToken(null);
});

describe('WorkQueue', () => {
  it('puts what waits on the association first with what to do, then what waits on the contractor, then the confirmed', async () => {
    serve({
      'GET /api/organisations/ha1/contracts': () => Response.json(contracts),
      'GET /api/organisations/ha1/repairs': () =>
        Response.json({
          repairs: [
            repair('aaaa1111-0000-4000-8000-000000000001', { state: 'triaged', itemCode: 'TAP-01', quantity: 1, priority: 'routine', hazard: 'none', dueAt: '2027-02-01T17:00:00.000Z' }),
            repair('bbbb2222-0000-4000-8000-000000000002'),
            repair('cccc3333-0000-4000-8000-000000000003', { state: 'completed', itemCode: 'TAP-01', quantity: 1, priority: 'urgent', hazard: 'none', dueAt: '2027-01-10T17:00:00.000Z' }),
            repair('dddd4444-0000-4000-8000-000000000004', { state: 'confirmed', itemCode: 'TAP-01', quantity: 1, priority: 'routine', hazard: 'none', dueAt: '2027-01-20T17:00:00.000Z' }),
          ],
        }),
    });
    renderWith(<WorkQueue organisation={association} canRunPayments />);
    const mine = await screen.findByRole('table', { name: 'Waiting for you (2)' });
    const rows = within(mine).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['Repair BBBB-2222', 'Repair CCCC-3333']);
    expect(rows[0]!.textContent).toContain('Triage it');
    expect(rows[1]!.textContent).toContain('Check the work');
    expect(within(mine).getByRole('link', { name: 'Repair BBBB-2222' }).getAttribute('href')).toBe('/account/organisations/ha1/work/bbbb2222-0000-4000-8000-000000000002');
    expect(within(screen.getByRole('table', { name: 'Waiting for the contractor (1)' })).getByText('Sent to contractor')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Confirmed (1)' })).getByText('Confirmed')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Payment runs' }).getAttribute('href')).toBe('/account/organisations/ha1/payment-runs');
    expect(screen.getByRole('link', { name: 'North consortium repairs 2027' }).getAttribute('href')).toBe('/account/organisations/ha1/contracts/north-2027');
  });

  it('says when there is nothing yet, and who may see the list when the caller may not', async () => {
    serve({ 'GET /api/organisations/c1/work-orders': () => Response.json({ repairs: [] }) });
    renderWith(<WorkQueue organisation={contractor} canRunPayments={false} />);
    expect(await screen.findByText(/No work orders yet/)).toBeTruthy();
    vi.unstubAllGlobals();
    serve({ 'GET /api/organisations/ha1/repairs': () => Response.json({ error: { code: 'FORBIDDEN', message: 'No.', requestId: 'r' } }, { status: 403 }) });
    renderWith(<WorkQueue organisation={association} canRunPayments={false} />);
    expect(await screen.findByText('Only Northgate Homes’s administrators and repairs staff can see its repairs.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Payment runs' })).toBeNull();
  });
});

describe('WorkItem', () => {
  it('triages a repair: says what is missing, then sends the item, quantity, priority and hazard class', async () => {
    const orderId = 'bbbb2222-0000-4000-8000-000000000002';
    const raised = repair(orderId, { hazards: { dampOrMould: true, immediateRisk: false } });
    const calls = serve({
      'GET /api/organisations/ha1/repairs': () => Response.json({ repairs: [raised] }),
      'GET /api/organisations/ha1/contracts': () => Response.json(contracts),
      [`POST /api/organisations/ha1/repairs/${orderId}/triage`]: (body) =>
        Response.json(repair(orderId, { ...(body as object), state: 'triaged', dueAt: '2027-02-01T17:00:00.000Z', history: [...raised.history, { type: 'order-triaged', at: '2027-01-04T10:00:00.000Z', ledgerIndex: '4' }] })),
    });
    renderWith(<WorkItem organisation={association} orderId={orderId} />);
    expect(await screen.findByRole('heading', { level: 1, name: /Repair BBBB-2222/ })).toBeTruthy();
    expect(screen.getByText('1 Castle Street, DB1 1AA')).toBeTruthy();
    fireEvent.click(await screen.findByRole('button', { name: 'Send to the contractor' }));
    const summary = screen.getByRole('alert');
    expect(within(summary).getByRole('link', { name: 'Select the catalogue item for the work' }).getAttribute('href')).toBe('#item-code-TAP-01');
    // The tenant reported damp: staff must decide the hazard class, it is not assumed.
    expect(within(summary).getByRole('link', { name: 'Select whether there is a damp or mould hazard' })).toBeTruthy();
    expect(calls.some((c) => c.call.startsWith('POST'))).toBe(false);

    fireEvent.click(screen.getByLabelText('Replace a tap (TAP-01)'));
    fireEvent.change(screen.getByLabelText('How many'), { target: { value: '2' } });
    fireEvent.click(screen.getByLabelText('Urgent'));
    fireEvent.click(screen.getByLabelText('Significant damp or mould hazard'));
    fireEvent.click(screen.getByRole('button', { name: 'Send to the contractor' }));
    expect(await screen.findByText('The job is sent to the contractor with its deadline.')).toBeTruthy();
    expect(calls.find((c) => c.call.endsWith('/triage'))!.body).toEqual({ itemCode: 'TAP-01', quantity: 2, priority: 'urgent', hazard: 'significant' });
  });

  it('confirms completed work only after asking, and refuses a rejection without a reason', async () => {
    const orderId = 'cccc3333-0000-4000-8000-000000000003';
    const completed = repair(orderId, { state: 'completed', itemCode: 'TAP-01', quantity: 1, priority: 'routine', hazard: 'none', dueAt: '2027-01-10T17:00:00.000Z', completionNotes: 'New mixer fitted' });
    const payment = { orderId, association: 'ha1', termsRevision: 1, basePence: 8500, bulkDiscountPence: 0, lateReductionPence: 1700, contractorPaymentPence: 6800, hostFeePence: 0, associationPaysPence: 6800, paymentRunId: null };
    let current: object = completed;
    const calls = serve({
      'GET /api/organisations/ha1/repairs': () => Response.json({ repairs: [current] }),
      [`POST /api/organisations/ha1/repairs/${orderId}/confirm`]: () => Response.json((current = { ...completed, state: 'confirmed', payment })),
    });
    renderWith(<WorkItem organisation={association} orderId={orderId} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Reject the work' }));
    expect(within(screen.getByRole('alert')).getByRole('link', { name: 'Select why the work is not right' }).getAttribute('href')).toBe('#rejection-reason-not-fixed');

    fireEvent.click(screen.getByRole('button', { name: 'Confirm the work is done' }));
    expect(calls.some((c) => c.call.endsWith('/confirm'))).toBe(false);
    expect(screen.getByRole('heading', { name: 'Confirm the work is done?' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Yes, confirm the work' }));
    expect(await screen.findByText('The work is confirmed and the job is priced.')).toBeTruthy();
    expect(screen.getByText('Late-delivery reduction: −£17.00')).toBeTruthy();
    expect(screen.getByText('To the contractor: £68.00')).toBeTruthy();
  });

  it('lets the contractor accept, and checks a visit ends after it starts', async () => {
    const orderId = 'aaaa1111-0000-4000-8000-000000000001';
    const triaged = repair(orderId, { state: 'triaged', itemCode: 'TAP-01', quantity: 1, priority: 'routine', hazard: 'none', dueAt: '2027-02-01T17:00:00.000Z' });
    let current: object = triaged;
    const calls = serve({
      'GET /api/organisations/c1/work-orders': () => Response.json({ repairs: [current] }),
      [`POST /api/organisations/c1/work-orders/${orderId}/accept`]: () => Response.json((current = { ...triaged, state: 'accepted' })),
    });
    renderWith(<WorkItem organisation={contractor} orderId={orderId} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Accept the job' }));
    expect(await screen.findByText('You accepted the job.')).toBeTruthy();
    expect(calls.filter((c) => c.call.endsWith('/accept'))).toHaveLength(1);
    fireEvent.change(await screen.findByLabelText('Starts'), { target: { value: '2027-01-12T10:00' } });
    fireEvent.change(screen.getByLabelText('Ends'), { target: { value: '2027-01-12T09:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Book the visit' }));
    const problem = screen.getAllByRole('alert').find((alert) => alert.textContent?.includes('There is a problem'))!;
    expect(within(problem).getByRole('link', { name: 'The visit must end after it starts' }).getAttribute('href')).toBe('#appointment-end');
    expect(calls.some((c) => c.call.endsWith('/schedule'))).toBe(false);
  });

  it('says a repair the organisation does not have is not found', async () => {
    serve({ 'GET /api/organisations/ha1/repairs': () => Response.json({ repairs: [] }) });
    renderWith(<WorkItem organisation={association} orderId="eeee5555-0000-4000-8000-000000000005" />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Repair not found' })).toBeTruthy();
  });
});

describe('PaymentRuns', () => {
  it('shows what is due, makes a run only after asking, and offers the bank file of each run', async () => {
    const orderId = 'dddd4444-0000-4000-8000-000000000004';
    const payment = { orderId, association: 'ha1', termsRevision: 1, basePence: 8500, bulkDiscountPence: 850, lateReductionPence: 0, contractorPaymentPence: 7650, hostFeePence: 0, associationPaysPence: 7650, paymentRunId: null };
    const run = { runId: 'run-1', contractId: 'north-2027', associationId: 'ha1', payments: [{ orderId, contractorPaymentPence: 7650, hostFeePence: 0, associationPaysPence: 7650 }], totalPence: '7650', ledgerIndex: '9', createdAt: '2027-02-01T12:00:00.000Z', bankFileMadeAt: null };
    const calls = serve({
      'GET /api/organisations/ha1/payment-runs': () => Response.json({ runs: calls.some((c) => c.call.startsWith('POST')) ? [run] : [] }),
      'GET /api/organisations/ha1/contracts': () => Response.json(contracts),
      'GET /api/organisations/ha1/repairs': () => Response.json({ repairs: [repair(orderId, { state: 'confirmed', payment })] }),
      'POST /api/organisations/ha1/payment-runs': () => Response.json(run, { status: 201 }),
    });
    renderWith(<PaymentRuns organisation={association} />);
    expect(await screen.findByText('1 confirmed job to pay, £76.50 in all.')).toBeTruthy();
    expect(screen.getByText('No payment runs yet.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Make a payment run for North consortium repairs 2027' }));
    expect(calls.some((c) => c.call.startsWith('POST'))).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, make the payment run' }));
    expect(await screen.findByText('Payment run made: 1 payment, £76.50 in all.')).toBeTruthy();
    expect(calls.find((c) => c.call.startsWith('POST'))!.body).toEqual({ contractId: 'north-2027' });
    expect(screen.getByRole('link', { name: 'Download the list of payments (CSV)' }).getAttribute('href')).toBe('/api/organisations/ha1/payment-runs/run-1/file');
    expect(screen.getByRole('button', { name: 'Download the bank file (ISO 20022 pain.001)' })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Earlier payment runs' });
    expect(within(table).getByRole('link', { name: /List of payments \(CSV\)/ }).getAttribute('href')).toBe('/api/organisations/ha1/payment-runs/run-1/file');
    expect(within(table).getByRole('link', { name: /Receipt for entry 9/ }).getAttribute('href')).toBe('/api/ledger/contract-north-2027/receipt/9');
  });

  describe('the bank file (ISO 20022 pain.001)', () => {
    const run = { runId: 'run-1', contractId: 'north-2027', associationId: 'ha1', payments: [], totalPence: '7650', ledgerIndex: '9', createdAt: '2027-02-01T12:00:00.000Z', bankFileMadeAt: null };
    const pain001 = 'GET /api/organisations/ha1/payment-runs/run-1/pain001';
    const withRuns = (routes: Record<string, (body: unknown) => Response>) =>
      serve({
        'GET /api/organisations/ha1/payment-runs': () => Response.json({ runs: [run] }),
        'GET /api/organisations/ha1/contracts': () => Response.json(contracts),
        'GET /api/organisations/ha1/repairs': () => Response.json({ repairs: [] }),
        ...routes,
      });
    const download = async () =>
      fireEvent.click(await screen.findByRole('button', { name: /^Bank file \(ISO 20022 pain\.001\) of the run made/ }));

    it('says when the run’s file was made, once it has been: every download is that same file', async () => {
      serve({
        'GET /api/organisations/ha1/payment-runs': () => Response.json({ runs: [run, { ...run, runId: 'run-2', ledgerIndex: '12', bankFileMadeAt: '2027-02-02T09:30:00.000Z' }] }),
        'GET /api/organisations/ha1/contracts': () => Response.json(contracts),
        'GET /api/organisations/ha1/repairs': () => Response.json({ repairs: [] }),
      });
      renderWith(<PaymentRuns organisation={association} />);
      const table = await screen.findByRole('table', { name: 'Earlier payment runs' });
      const made = within(table).getAllByText(/^File made .*; every download is this same file\.$/);
      expect(made).toHaveLength(1);
      expect(made[0]!.closest('tr')!.textContent).toContain('Receipt for entry 12');
    });

    it('saves the file the API gives, under its name', async () => {
      const saved: { href: string; download: string }[] = [];
      vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:bank-file', revokeObjectURL: () => {} }));
      const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
        saved.push({ href: this.href, download: this.download });
      });
      const calls = withRuns({
        [pain001]: () => new Response('<Document/>', { headers: { 'content-type': 'application/xml', 'content-disposition': 'attachment; filename="payment-run-run-1.pain001.xml"' } }),
      });
      renderWith(<PaymentRuns organisation={association} />);
      await download();
      await vi.waitFor(() => expect(saved).toEqual([{ href: 'blob:bank-file', download: 'payment-run-run-1.pain001.xml' }]));
      expect(calls.map((c) => c.call)).toContain(pain001);
      expect(screen.queryByRole('alert')).toBeNull();
      click.mockRestore();
    });

    it('says which organisation has no bank account and what to do, instead of saving an error as the file', async () => {
      withRuns({
        [pain001]: () =>
          Response.json(
            {
              error: {
                code: 'BANK_ACCOUNT_MISSING',
                message: 'The bank file cannot be made.',
                requestId: 'r',
                issues: [
                  { path: 'organisations.ha1', message: 'Northgate Homes (the association paying) has no bank account for payments recorded' },
                  { path: 'organisations.c1', message: 'Castle Repairs Ltd (the contractor) has no bank account for payments recorded' },
                ],
              },
            },
            { status: 409 },
          ),
      });
      renderWith(<PaymentRuns organisation={association} />);
      await download();
      const problem = await screen.findByRole('alert');
      expect(problem.textContent).toContain('cannot be made yet: a bank account is missing');
      expect(problem.textContent).toContain('Northgate Homes has no bank account for payments recorded. An administrator of Northgate Homes adds it under “Bank account for payments”');
      expect(within(problem).getByRole('link', { name: 'Northgate Homes’s page' }).getAttribute('href')).toBe('/account/organisations/ha1');
      expect(problem.textContent).toContain('Castle Repairs Ltd (the contractor) has no bank account for payments recorded. Ask them to add it');
      expect(problem.textContent).toContain('do not make another run');
    });
  });
});

describe('ContractPage', () => {
  const performance = {
    contractId: 'north-2027',
    title: 'North consortium repairs 2027',
    parties: [
      { organisationId: 'c1', legalName: 'Castle Repairs Ltd', party: 'contractor', isHost: false },
      { organisationId: 'ha1', legalName: 'Northgate Homes', party: 'association', isHost: true },
      { organisationId: 'ha2', legalName: 'Moat Housing', party: 'association', isHost: false },
    ],
    jobs: { raised: 14, open: 2, completed: 1, confirmed: 12, late: 2 },
    lateDelivery: {
      at: '2027-03-01T12:00:00.000Z',
      windowFrom: '2026-03-01T12:00:00.000Z',
      windowTo: '2027-03-01T12:00:00.000Z',
      jobsInWindow: 12,
      lateJobsInWindow: 2,
      minimumJobs: 10,
      priceReductionBasisPoints: 2000,
      firstBandFromBasisPoints: 1000,
    },
    byAssociation: [
      { organisationId: 'ha1', jobsConfirmed: 8, contractorPaymentPence: '61200', hostFeePence: '0', associationPaysPence: '61200' },
      { organisationId: 'ha2', jobsConfirmed: 4, contractorPaymentPence: '30600', hostFeePence: '600', associationPaysPence: '31200' },
    ],
  };
  const fullTerms = {
    ...terms,
    startDate: '2027-01-01',
    endDate: '2028-12-31',
    serviceLevels: { emergency: { unit: 'hours', amount: 24 }, urgent: { unit: 'working-days', amount: 3 }, routine: { unit: 'working-days', amount: 20 } },
    bulkDiscount: { scope: 'association', period: 'contract-year', tiers: [{ fromJob: 1, toJob: 10, discountBasisPoints: 0 }, { fromJob: 11, toJob: null, discountBasisPoints: 500 }], excludedItemCodes: [] },
    lateDelivery: { windowMonths: 12, minimumJobs: 10, bands: [{ fromLateShareBasisPoints: 1000, priceReductionBasisPoints: 2000 }] },
    parties: { host: { association: 'ha1', feePerJobPence: 150 } },
  };
  const withVersions = (versions: unknown[]) => ({ contracts: [{ ...contracts.contracts[0], associationIds: ['ha1', 'ha2'], versions }] });

  it('shows the late share that priced the latest job and the reduction it triggers, spend by association, and the terms in force', async () => {
    serve({
      'GET /api/organisations/ha1/contracts': () =>
        Response.json(withVersions([{ revision: 1, status: 'agreed', termsHash: 'ab'.repeat(32), effectiveAt: null, terms: fullTerms, approvals: [], agreedIndex: '1' }])),
      'GET /api/organisations/ha1/contracts/north-2027/performance': () => Response.json(performance),
    });
    renderWith(<ContractPage organisation={association} contractId="north-2027" isAdministrator={false} />);
    expect(await screen.findByText(/2 of the 12 jobs confirmed/)).toBeTruthy();
    expect(screen.getByText('Prices fall by 20% while this lasts.')).toBeTruthy();
    const spend = screen.getByRole('table', { name: 'Confirmed jobs and payments by association' });
    expect(within(spend).getByRole('row', { name: /Moat Housing/ }).textContent).toContain('£312.00');
    expect(screen.getByText('Jobs 11 on: 5% off')).toBeTruthy();
    expect(screen.getByText('Urgent: 3 working days')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Approve/ })).toBeNull();
  });

  describe('approving a revision with the passkey', () => {
    // Whole, valid terms: the page hashes them as the parties' approvals do (contracts.md §11.1).
    const revision2 = { ...exampleTerms(), contractId: 'north-2027', revision: 2 };
    const member = 'ee'.repeat(32);
    /** The approval options a server gives: the challenge of these terms, or of others when it is dishonest. */
    const optionsFor = (signed: typeof revision2) => {
      const challenge = contractApprovalChallenge({ contractId: 'north-2027', revision: 2, termsHash: contractTermsHash(signed), effectiveAt: '2027-06-01T00:00:00.000Z', organisation: 'ha1', party: 'association', member });
      return {
        contractId: 'north-2027',
        revision: 2,
        termsHash: contractTermsHash(signed),
        effectiveAt: '2027-06-01T00:00:00.000Z',
        organisation: 'ha1',
        party: 'association',
        member,
        challenge: Buffer.from(challenge).toString('base64url'),
        rpId: 'localhost',
        allowCredentials: [{ id: 'cred-1', type: 'public-key' }],
        userVerification: 'required',
        timeout: 300_000,
      };
    };
    const serveApproval = (options: ReturnType<typeof optionsFor>, extra: Record<string, () => Response> = {}) =>
      serve({
        ...extra,
        'GET /api/organisations/ha1/contracts': () =>
          Response.json(
            withVersions([
              { revision: 1, status: 'agreed', termsHash: 'ab'.repeat(32), effectiveAt: null, terms: fullTerms, approvals: [], agreedIndex: '1' },
              { revision: 2, status: 'proposed', termsHash: 'cd'.repeat(32), effectiveAt: '2027-06-01T00:00:00.000Z', terms: revision2, approvals: [{ organisationId: 'c1', party: 'contractor', approvedAt: '2027-05-01T00:00:00.000Z' }], agreedIndex: null },
            ]),
          ),
        'GET /api/organisations/ha1/contracts/north-2027/performance': () => Response.json(performance),
        'GET /api/organisations/ha1/contracts/north-2027/approval-options?revision=2': extra['GET /api/organisations/ha1/contracts/north-2027/approval-options?revision=2'] ?? (() => Response.json(options)),
        'POST /api/organisations/ha1/contracts/north-2027/approve': () => Response.json(withVersions([]).contracts[0]),
      });

    it('asks first, then signs the challenge of the terms shown with the passkey and sends the assertion', async () => {
      passkey.startAuthentication.mockResolvedValue(assertion);
      const calls = serveApproval(optionsFor(revision2));
      renderWith(<ContractPage organisation={association} contractId="north-2027" isAdministrator />);
      expect(await screen.findByRole('heading', { name: 'Terms proposed (revision 2)' })).toBeTruthy();
      fireEvent.click(screen.getByRole('button', { name: 'Approve revision 2' }));
      expect(calls.some((c) => c.call.startsWith('POST'))).toBe(false);
      fireEvent.click(screen.getByRole('button', { name: 'Yes, approve it with my passkey' }));
      expect(await screen.findByText('Northgate Homes approved revision 2.')).toBeTruthy();
      expect(passkey.startAuthentication).toHaveBeenCalledWith({ optionsJSON: expect.objectContaining({ challenge: optionsFor(revision2).challenge, userVerification: 'required' }) });
      expect(calls.find((c) => c.call.startsWith('POST'))!.body).toEqual({ revision: 2, assertion });
    });

    it('makes the signing passkey first when the membership has none: confirms with the sign-in passkey, creates it, then signs', async () => {
      passkey.startAuthentication.mockResolvedValueOnce(confirmation).mockResolvedValueOnce(assertion);
      passkey.startRegistration.mockResolvedValue(registration);
      let asked = 0;
      const calls = serveApproval(optionsFor(revision2), {
        'GET /api/organisations/ha1/contracts/north-2027/approval-options?revision=2': () =>
          Response.json(asked++ === 0 ? { ...optionsFor(revision2), allowCredentials: [] } : optionsFor(revision2)),
        'POST /api/sign-in/start': () => Response.json({ options: { challenge: 'c2lnbi1pbg', rpId: 'localhost', userVerification: 'required' } }),
        'POST /api/organisations/ha1/signing-passkeys/start': () =>
          Response.json({
            options: {
              challenge: 'bWFrZQ',
              rp: { id: 'localhost', name: 'Townhall' },
              user: { id: 'dQ', name: 'Approvals for Northgate Homes', displayName: 'Approvals for Northgate Homes' },
              pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
            },
          }),
        'POST /api/organisations/ha1/signing-passkeys/finish': () => Response.json({ credentialIdHash: 'ff'.repeat(32), boundIndex: '41', boundAt: '2027-05-02T00:00:00.000Z' }),
      });
      renderWith(<ContractPage organisation={association} contractId="north-2027" isAdministrator />);
      fireEvent.click(await screen.findByRole('button', { name: 'Approve revision 2' }));
      fireEvent.click(screen.getByRole('button', { name: 'Yes, approve it with my passkey' }));
      expect(await screen.findByText('Northgate Homes approved revision 2.')).toBeTruthy();
      const posts = calls.filter((c) => c.call.startsWith('POST')).map((c) => c.call);
      expect(posts).toEqual([
        'POST /api/sign-in/start',
        'POST /api/organisations/ha1/signing-passkeys/start',
        'POST /api/organisations/ha1/signing-passkeys/finish',
        'POST /api/organisations/ha1/contracts/north-2027/approve',
      ]);
      expect(calls.find((c) => c.call === 'POST /api/organisations/ha1/signing-passkeys/start')!.body).toEqual({ assertion: confirmation });
      expect(calls.find((c) => c.call === 'POST /api/organisations/ha1/signing-passkeys/finish')!.body).toEqual({ response: registration });
      expect(passkey.startAuthentication).toHaveBeenLastCalledWith({ optionsJSON: expect.objectContaining({ challenge: optionsFor(revision2).challenge }) });
    });

    it('refuses to sign when the server’s challenge is not that of the terms shown, and sends nothing', async () => {
      const calls = serveApproval(optionsFor({ ...revision2, title: 'Other terms' }));
      renderWith(<ContractPage organisation={association} contractId="north-2027" isAdministrator />);
      fireEvent.click(await screen.findByRole('button', { name: 'Approve revision 2' }));
      fireEvent.click(screen.getByRole('button', { name: 'Yes, approve it with my passkey' }));
      expect(await screen.findByText(/asked your passkey to sign something other than the terms on this page, so nothing was signed/)).toBeTruthy();
      expect(passkey.startAuthentication).not.toHaveBeenCalled();
      expect(calls.some((c) => c.call.startsWith('POST'))).toBe(false);
    });

    it('says nothing was signed when the passkey prompt is cancelled', async () => {
      passkey.startAuthentication.mockRejectedValue(Object.assign(new Error('cancelled'), { name: 'NotAllowedError' }));
      const calls = serveApproval(optionsFor(revision2));
      renderWith(<ContractPage organisation={association} contractId="north-2027" isAdministrator />);
      fireEvent.click(await screen.findByRole('button', { name: 'Approve revision 2' }));
      fireEvent.click(screen.getByRole('button', { name: 'Yes, approve it with my passkey' }));
      expect(await screen.findByText(/^Nothing was signed: the request was cancelled or it timed out/)).toBeTruthy();
      expect(calls.some((c) => c.call.startsWith('POST'))).toBe(false);
    });
  });
});
