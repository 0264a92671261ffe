import { describe, expect, it } from 'vitest';
import { contractTermsHash } from '@townhall/protocol';
import type { CheckId } from '../src/report.ts';
import { CONTRACT_FIXTURE, decoded, entryLines, failing, failuresOf, loadLines, reseal, setBody, verifyContractLines, type Line } from './tamper-support.ts';

// The contract tampering suite (contracts.md §12): named mutations of a real contract record, each
// rejected by the check that should catch it. The fixture (test/fixtures/README.md) has 29 entries:
// job 1 (entries 2–8) an emergency completed late, job 2 (9–17) rejected once and priced with the
// late-delivery reduction job 1 causes, job 3 (18–24) the other association's, an open job (25–26),
// and two payment runs (27: jobs 1 and 2; 28: job 3). Every mutation is resealed as a dishonest
// operator holding the log key would: the chain and the log's signatures verify, only the
// witnesses' cosignatures (and the contract checks) can tell.

const load = () => loadLines(CONTRACT_FIXTURE);
/** The line of the entry at `index` of the log. */
const entryAt = (lines: Line[], index: number) => entryLines(lines)[index]!;
const bodyAt = (lines: Line[], index: number) => decoded(entryAt(lines, index)).body as Record<string, any>;
const orderIdAt = (lines: Line[], index: number): string => bodyAt(lines, index).event?.orderId ?? bodyAt(lines, index).orderId;

/** The record's registry entries, decoded, in record order. */
const registryOf = (lines: Line[]) => lines.filter((l) => l.kind === 'registry-entry').map(decoded);

/** A payment run made consistent with its items again: the operator keeps the totals adding up. */
function retotal(run: Record<string, any>): void {
  const sum = (figure: string) => String(run.payments.reduce((total: bigint, p: Record<string, number>) => total + BigInt(p[figure]!), 0n));
  run.contractorTotalPence = sum('contractorPaymentPence');
  run.hostFeeTotalPence = sum('hostFeePence');
  run.totalPence = sum('associationPaysPence');
}

async function expectCaught(lines: Line[], checks: CheckId[]) {
  const report = await verifyContractLines(lines);
  expect(report.isValid).toBe(false);
  for (const check of checks) expect(failing(report), `expected ${check} to fail`).toContain(check);
  return report;
}

describe('the untouched contract record', () => {
  it('verifies, including after a no-op reseal; every contract check ran', async () => {
    const report = await verifyContractLines(reseal(load()));
    expect(failing(report)).toEqual([]);
    expect(report).toMatchObject({ isValid: true, contractId: 'keep-repairs', entries: 29 });
    const checked = Object.fromEntries(report.checks.map((c) => [c.id, c.checked]));
    expect(checked).toMatchObject({ 'contract.sequence': 29, 'contract.approvals': 1, 'contract.payments': 3, 'contract.payment-runs': 2 });
    expect(bodyAt(load(), 3).event.priority).toBe('emergency');
    expect(bodyAt(load(), 17).lateReductionPence).toBe(1_533);
  });

  it('the report’s statement shows every payment recorded and recomputed, and every run’s totals beside its sums', async () => {
    const { statement } = await verifyContractLines(load());
    expect(statement!.organisations.map((o) => o.legalName)).toEqual(['Keep Plumbing Ltd', 'Keep Homes', 'Moat Housing']);
    expect(statement!.payments.map((p) => p.index)).toEqual([8, 17, 24]);
    for (const payment of statement!.payments) expect(payment.recomputed).toEqual(payment.recorded);
    expect(statement!.payments[1]!.recorded.lateReductionPence).toBe(1_533);
    expect(statement!.paymentRuns.map((r) => [r.index, r.payments])).toEqual([
      [27, 2],
      [28, 1],
    ]);
    for (const run of statement!.paymentRuns) for (const total of run.totals) expect(total.recomputed).toBe(total.recorded);
  });

  it('a raw edit (not resealed) breaks the chain and the checkpoint roots', async () => {
    const lines = load();
    setBody(entryAt(lines, 17), (b) => (b.contractorPaymentPence += 100));
    await expectCaught(lines, ['ledger.chain', 'ledger.checkpoint-roots']);
  });
});

describe('deadlines', () => {
  it('a job sent with a later deadline than the terms give (OrderTriaged.dueAt moved a day, resealed): contract.orders names both instants', async () => {
    const lines = load();
    const recorded = bodyAt(lines, 3).dueAt as string;
    const later = new Date(Date.parse(recorded) + 86_400_000).toISOString();
    setBody(entryAt(lines, 3), (b) => (b.dueAt = later));
    const report = await expectCaught(reseal(lines), ['contract.orders']);
    expect(failuresOf(report, 'contract.orders')).toEqual([expect.objectContaining({ evidence: expect.objectContaining({ index: 3, recorded: later, recomputed: recorded }) })]);
  });
});

describe('prices', () => {
  it('a changed price (a PaymentComputed figure, the run made to agree): recomputation names the entry, the figure and both values', async () => {
    const lines = load();
    const orderId = orderIdAt(lines, 17);
    setBody(entryAt(lines, 17), (b) => {
      b.contractorPaymentPence += 100;
      b.associationPaysPence += 100;
    });
    setBody(entryAt(lines, 27), (run) => {
      const item = run.payments.find((p: { orderId: string }) => p.orderId === orderId);
      item.contractorPaymentPence += 100;
      item.associationPaysPence += 100;
      retotal(run);
    });
    const report = await expectCaught(reseal(lines), ['contract.payments', 'ledger.cosignatures']);
    expect(failing(report)).not.toContain('contract.payment-runs');
    // Failures of one entry are listed by message.
    expect(failuresOf(report, 'contract.payments').map((f) => f.evidence)).toEqual([
      { index: 17, orderId, figure: 'associationPaysPence', recorded: 6_232, recomputed: 6_132 },
      { index: 17, orderId, figure: 'contractorPaymentPence', recorded: 6_232, recomputed: 6_132 },
    ]);
    const payment = report.statement!.payments.find((p) => p.index === 17)!;
    expect([payment.recorded.contractorPaymentPence, payment.recomputed!.contractorPaymentPence]).toEqual([6_232, 6_132]);
  });

  it('a changed unit price in the agreed terms (termsHash recomputed): every payment differs from its recomputation', async () => {
    const lines = load();
    setBody(entryAt(lines, 1), (b) => {
      b.terms.catalogue[0].unitPricePence = 9_000;
      b.termsHash = contractTermsHash(b.terms);
    });
    const report = await expectCaught(reseal(lines), ['contract.payments']);
    expect(failing(report)).not.toContain('contract.sequence');
    const bases = failuresOf(report, 'contract.payments').filter((f) => f.evidence?.figure === 'basePence');
    expect(bases.map((f) => [f.evidence?.index, f.evidence?.recorded, f.evidence?.recomputed])).toEqual([
      [8, 8_517, 9_000],
      [17, 8_517, 9_000],
      [24, 8_517, 9_000],
    ]);
  });

  it('terms that are not those the parties approved (termsHash left as it was)', async () => {
    const lines = load();
    setBody(entryAt(lines, 1), (b) => (b.terms.catalogue[0].unitPricePence = 9_000));
    const report = await expectCaught(reseal(lines), ['contract.sequence', 'contract.payments']);
    expect(failuresOf(report, 'contract.sequence')[0]!.evidence).toMatchObject({ index: 1 });
  });

  it('a removed late job (its entries and its payment taken out, the run made to agree): the later jobs lose their reduction', async () => {
    const lines = load();
    const lateOrder = orderIdAt(lines, 2);
    const onTime = orderIdAt(lines, 9);
    setBody(entryAt(lines, 27), (run) => {
      run.payments = run.payments.filter((p: { orderId: string }) => p.orderId !== lateOrder);
      retotal(run);
    });
    const kept = lines.filter((l) => l.kind !== 'entry' || orderIdAt([l], 0) !== lateOrder);
    expect(entryLines(kept)).toHaveLength(22);
    const report = await expectCaught(reseal(kept), ['contract.payments']);
    expect(failing(report)).not.toContain('contract.orders');
    expect(failing(report)).not.toContain('contract.payment-runs');
    // Job 2's PaymentComputed is now entry 10: alone in the window, below the rule's two jobs, it
    // loses its late-delivery reduction, and as the host's first job its bulk discount; job 3's
    // (now entry 17) loses its reduction too.
    const evidence = failuresOf(report, 'contract.payments').map((f) => f.evidence);
    expect(evidence).toContainEqual({ index: 10, orderId: onTime, figure: 'lateReductionPence', recorded: 1_533, recomputed: 0 });
    expect(evidence).toContainEqual({ index: 10, orderId: onTime, figure: 'bulkDiscountPence', recorded: 852, recomputed: 0 });
    expect(evidence).toContainEqual({ index: 10, orderId: onTime, figure: 'contractorPaymentPence', recorded: 6_132, recomputed: 8_517 });
    expect(evidence).toContainEqual(expect.objectContaining({ index: 17, figure: 'lateReductionPence', recomputed: 0 }));
  });
});

describe('payment runs', () => {
  it('a doubled payment (the same orders in a second run): named with both runs', async () => {
    const lines = load();
    const copy = structuredClone(entryAt(lines, 27));
    setBody(copy, (run) => (run.runId = '00000000-0000-4000-8000-000000000001'));
    lines.splice(lines.indexOf(entryAt(lines, 28)) + 1, 0, copy);
    const report = await expectCaught(reseal(lines), ['contract.payment-runs']);
    const evidence = failuresOf(report, 'contract.payment-runs').map((f) => f.evidence);
    expect(evidence).toHaveLength(2);
    for (const job of [2, 9]) expect(evidence).toContainEqual(expect.objectContaining({ index: 29, orderId: orderIdAt(lines, job), firstRun: 27 }));
  });

  it('a run whose total is not the sum of its payments', async () => {
    const lines = load();
    setBody(entryAt(lines, 28), (run) => (run.totalPence = String(BigInt(run.totalPence) + 1n)));
    const report = await expectCaught(reseal(lines), ['contract.payment-runs']);
    expect(failuresOf(report, 'contract.payment-runs')[0]!.evidence).toMatchObject({ index: 28, figure: 'totalPence' });
  });
});

describe('the order lifecycle', () => {
  it('a skipped step (job 3 scheduled without being accepted): the entry that skips is named', async () => {
    const lines = load();
    const orderId = orderIdAt(lines, 20);
    lines.splice(lines.indexOf(entryAt(lines, 20)), 1);
    const report = await expectCaught(reseal(lines), ['contract.orders']);
    expect(failuresOf(report, 'contract.orders')[0]!.evidence).toMatchObject({ index: 20, orderId, step: 'order-scheduled', state: 'triaged' });
  });

  it('a repeated step (job 3 confirmed twice, the copy a millisecond later)', async () => {
    const lines = load();
    const copy = structuredClone(entryAt(lines, 23));
    setBody(copy, (b) => (b.event.at = new Date(Date.parse(b.event.at) + 1).toISOString()));
    lines.splice(lines.indexOf(entryAt(lines, 23)) + 1, 0, copy);
    const report = await expectCaught(reseal(lines), ['contract.orders']);
    expect(failuresOf(report, 'contract.orders')[0]!.evidence).toMatchObject({ index: 24, step: 'order-confirmed', state: 'confirmed' });
  });

  it('events out of time order: the log would not be the canonical order', async () => {
    const lines = load();
    setBody(entryAt(lines, 21), (b) => (b.event.at = bodyAt(lines, 19).event.at));
    const report = await expectCaught(reseal(lines), ['contract.sequence']);
    expect(failuresOf(report, 'contract.sequence')[0]!.evidence).toMatchObject({ index: 21, previous: 20 });
  });
});

describe('who acted', () => {
  it('an approval by a pseudonym that is no administrator of the party', async () => {
    const lines = load();
    setBody(entryAt(lines, 1), (b) => (b.approvals[0].member = 'ab'.repeat(32)));
    const report = await expectCaught(reseal(lines), ['contract.approvals']);
    expect(failuresOf(report, 'contract.approvals')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ evidence: expect.objectContaining({ index: 1, member: 'ab'.repeat(32), roles: ['administrator'] }) }),
        // Its signing passkey is bound to the real approver, not to this pseudonym.
        expect.objectContaining({ message: expect.stringContaining('which no MemberPasskeyBound entry in the record binds'), evidence: expect.objectContaining({ member: 'ab'.repeat(32) }) }),
      ]),
    );
  });

  it('a contractor’s step taken by the association’s officer', async () => {
    const lines = load();
    const officer = bodyAt(lines, 3).by as string;
    setBody(entryAt(lines, 4), (b) => (b.by = officer));
    const report = await expectCaught(reseal(lines), ['contract.approvals']);
    const contractor = bodyAt(lines, 1).terms.parties.contractor as string;
    expect(failuresOf(report, 'contract.approvals')[0]!.evidence).toMatchObject({ index: 4, organisation: contractor, member: officer });
  });

  it('a step by a member after their membership was revoked: the open order’s triage (entry 26) credited to the first officer, who had left', async () => {
    const lines = load();
    const firstOfficer = bodyAt(lines, 3).by as string;
    expect(bodyAt(lines, 26).by).not.toBe(firstOfficer);
    setBody(entryAt(lines, 26), (b) => (b.by = firstOfficer));
    const report = await expectCaught(reseal(lines), ['contract.approvals']);
    const revoked = registryOf(lines).find((e) => e.type === 'MembershipRevoked')!.body as { member: string; at: string };
    expect(revoked.member).toBe(firstOfficer);
    expect(failuresOf(report, 'contract.approvals')).toEqual([
      expect.objectContaining({ evidence: expect.objectContaining({ index: 26, member: firstOfficer, revokedAt: revoked.at }) }),
    ]);
  });

  it('a contractor’s step dated while the council had suspended the contractor: job 3’s acceptance (entry 20) moved into the suspension', async () => {
    const lines = load();
    const [suspended, reinstated] = registryOf(lines)
      .filter((e) => e.type === 'OrganisationStatusChanged')
      .map((e) => Date.parse((e.body as { at: string }).at));
    // Registry instants are whole seconds: the suspension is in force from a second after its entry.
    const during = new Date((suspended! + 1_000 + reinstated!) / 2).toISOString();
    expect(Date.parse(bodyAt(lines, 19).event.at)).toBeLessThan(Date.parse(during));
    expect(Date.parse(bodyAt(lines, 21).event.at)).toBeGreaterThan(Date.parse(during));
    setBody(entryAt(lines, 20), (b) => (b.event.at = during));
    const report = await expectCaught(reseal(lines), ['contract.approvals']);
    expect(failuresOf(report, 'contract.approvals')).toEqual([expect.objectContaining({ evidence: expect.objectContaining({ index: 20, status: 'suspended', at: during }) })]);
    // Nothing else about the moved step is wrong.
    expect(failing(report).filter((id) => !id.startsWith('ledger.cosignatures'))).toEqual(['contract.approvals']);
  });

  it('an approval whose passkey signature is not over these terms: the signature of one approval flipped', async () => {
    const lines = load();
    const approval = bodyAt(lines, 1).approvals[0];
    setBody(entryAt(lines, 1), (b) => {
      const signature = Buffer.from(b.approvals[0].assertion.signature, 'base64url');
      signature[signature.length - 1]! ^= 0x01;
      b.approvals[0].assertion.signature = signature.toString('base64url');
    });
    const report = await expectCaught(reseal(lines), ['contract.approvals']);
    expect(failuresOf(report, 'contract.approvals')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('passkey signature that does not verify'), evidence: expect.objectContaining({ index: 1, member: approval.member }) }),
    ]);
  });

  it('an approval moved to another revision’s challenge: the signed terms are not the agreed ones (a changed fee, termsHash recomputed)', async () => {
    const lines = load();
    setBody(entryAt(lines, 1), (b) => {
      b.terms.parties.host.feePerJobPence += 1;
      b.termsHash = contractTermsHash(b.terms);
    });
    const report = await expectCaught(reseal(lines), ['contract.approvals']);
    // Every party's signature was over the terms they saw, not these.
    expect(failuresOf(report, 'contract.approvals').filter((f) => f.message.includes('the challenge is not over'))).toHaveLength(3);
  });

  it('an approval by a passkey no MemberPasskeyBound entry binds to its approver (another key’s hash put in)', async () => {
    const lines = load();
    setBody(entryAt(lines, 1), (b) => (b.approvals[0].credentialIdHash = 'cd'.repeat(32)));
    const report = await expectCaught(reseal(lines), ['contract.approvals']);
    expect(failuresOf(report, 'contract.approvals')[0]!.message).toContain('which no MemberPasskeyBound entry in the record binds');
  });

  it('the approvers’ signing passkeys’ registry entries left out of the record', async () => {
    const lines = load().filter((l) => l.kind !== 'registry-entry' || decoded(l).type !== 'MemberPasskeyBound');
    const report = await expectCaught(reseal(lines), ['contract.approvals']);
    expect(failuresOf(report, 'contract.approvals')).toHaveLength(3);
  });

  it('the approvers’ registry entries left out of the record', async () => {
    const lines = load().filter((l) => l.kind !== 'registry-entry' || decoded(l).type !== 'MembershipGranted');
    await expectCaught(reseal(lines), ['contract.approvals']);
  });
});

describe('the file', () => {
  it('an election verifier’s record line is not a contract record', async () => {
    const lines = load();
    lines[0] = { ...lines[0]!, format: 'townhall/election-record' };
    await expectCaught(lines, ['record.format']);
  });

  it('a first entry that is not this contract’s LogCreated', async () => {
    const lines = load();
    setBody(entryAt(lines, 0), (b) => (b.contractId = 'another-contract'));
    const report = await expectCaught(reseal(lines), ['contract.sequence']);
    expect(failuresOf(report, 'contract.sequence')[0]!.evidence).toMatchObject({ index: 0 });
  });
});
