import { describe, expect, it } from 'vitest';
import { pain001Texts as texts, validatePain001 } from '../../test/support/pain001-schema.ts';
import { AppError } from '../common/app-error.ts';
import type { PaymentAccount } from '../organisations/organisations.service.ts';
import { PAIN001_NAMESPACE, bankFileOfRun, formatPence, isoText, type RunForBankFile } from './pain001-file.ts';

/**
 * The pain.001.001.09 bank file of a payment run (docs/protocol/contracts.md §11.6), validated against
 * the ISO 20022 message schema (test/vectors/iso20022) and read back element by element.
 */
const ASSOCIATION = '0a0a0a0a-0000-4000-8000-00000000000a';
const CONTRACTOR = '0c0c0c0c-0000-4000-8000-00000000000c';
const HOST = '0b0b0b0b-0000-4000-8000-00000000000b';
const RUN = '5e1f7c2a-1b3d-4e5f-8a9b-0c1d2e3f4a5b';
const ORDER_1 = '3f2a91c0-0000-4000-8000-000000000001';
const ORDER_2 = '77aa0000-0000-4000-8000-000000000002';
const NOW = new Date('2026-12-15T23:30:00.123Z');

const ukAccount = (sortCode: string, accountNumber: string, accountName: string): PaymentAccount => ({ accountName, sortCode, accountNumber, iban: null, bic: null });
const accounts = new Map<string, PaymentAccount>([
  [ASSOCIATION, ukAccount('309430', '00733445', 'Moat Housing Co-op')],
  [CONTRACTOR, { accountName: 'Castle Plumbing Ltd', sortCode: '601613', accountNumber: '31926819', iban: 'GB29NWBK60161331926819', bic: 'NWBKGB2L' }],
  [HOST, ukAccount('200000', '55779911', 'Castle Homes')],
]);
const names = new Map([
  [ASSOCIATION, { legalName: 'Moat Housing, "Co-op"' }],
  [CONTRACTOR, { legalName: 'Castle Plumbing Ltd' }],
  [HOST, { legalName: 'Castle Homes' }],
]);

const run = (payments: RunForBankFile['payments'], patch: Partial<RunForBankFile> = {}): RunForBankFile => ({
  id: RUN,
  contractId: 'castle-repairs',
  associationId: ASSOCIATION,
  totalPence: payments.reduce((sum, p) => sum + p.contractorPaymentPence + p.hostFeePence, 0n),
  contract: { contractorId: CONTRACTOR, hostId: HOST },
  payments,
  ...patch,
});
const twoJobs = run([
  { orderId: ORDER_1, contractorPaymentPence: 8_517n, hostFeePence: 150n },
  { orderId: ORDER_2, contractorPaymentPence: 7_665n, hostFeePence: 5n },
]);


function refusal(action: () => unknown): AppError {
  try {
    action();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('formatPence', () => {
  it('gives pounds with exactly two decimals, from integers only', () => {
    expect([0n, 5n, 150n, 8_517n, 100_000n, 123_456_789_012_345_678n].map(formatPence)).toEqual([
      '0.00',
      '0.05',
      '1.50',
      '85.17',
      '1000.00',
      '1234567890123456.78',
    ]);
    expect(() => formatPence(-1n)).toThrow(RangeError);
  });
});

describe('the bank file of a payment run', () => {
  it('validates against the ISO 20022 pain.001.001.09 schema, with one transfer per payee per job', async () => {
    const { filename, xml } = bankFileOfRun(twoJobs, names, accounts, NOW);
    expect(filename).toBe(`payment-run-${RUN}.pain001.xml`);
    expect(await validatePain001(xml)).toEqual({ valid: true, errors: [] });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(texts(xml, 'MsgId')).toEqual(['5e1f7c2a1b3d4e5f8a9b0c1d2e3f4a5b']);
    expect(texts(xml, 'PmtInfId')).toEqual(['5e1f7c2a1b3d4e5f8a9b0c1d2e3f4a5b']);
    expect(texts(xml, 'CreDtTm')).toEqual(['2026-12-15T23:30:00Z']);
    expect(texts(xml, 'PmtMtd')).toEqual(['TRF']);
    // 23:30 UTC on 15 December is still the 15th in London (GMT).
    expect(texts(xml, 'Dt')).toEqual(['2026-12-15']);
    expect(texts(xml, 'NbOfTxs')).toEqual(['4', '4']);
    expect(texts(xml, 'CtrlSum')).toEqual(['163.37', '163.37']);
    expect(texts(xml, 'EndToEndId')).toEqual([
      '3f2a91c0000040008000000000000001-C',
      '3f2a91c0000040008000000000000001-H',
      '77aa0000000040008000000000000002-C',
      '77aa0000000040008000000000000002-H',
    ]);
    expect(texts(xml, 'InstdAmt')).toEqual(['85.17', '1.50', '76.65', '0.05']);
    expect(xml.match(/<InstdAmt Ccy="GBP">/g)).toHaveLength(4);
    expect(texts(xml, 'Ustrd')).toEqual([
      `Contract castle-repairs, order ${ORDER_1}: contractor payment`,
      `Contract castle-repairs, order ${ORDER_1}: host fee`,
      `Contract castle-repairs, order ${ORDER_2}: contractor payment`,
      `Contract castle-repairs, order ${ORDER_2}: host fee`,
    ]);
    // The association pays from its sort code and account number; the contractor is paid to its IBAN.
    expect(texts(xml, 'InitgPty').map((t) => t.trim())).toEqual(['Moat Housing, "Co-op"']);
    expect(texts(xml, 'IBAN')).toEqual(['GB29NWBK60161331926819', 'GB29NWBK60161331926819']);
    expect(texts(xml, 'BICFI')).toEqual(['NWBKGB2L', 'NWBKGB2L']);
    expect(texts(xml, 'Prtry')).toEqual(['SortCodeAccountNumber', 'SortCodeAccountNumber', 'SortCodeAccountNumber']);
    expect(texts(xml, 'Othr').map((t) => t.replace(/\s+/g, ''))).toEqual([
      '30943000733445SortCodeAccountNumber',
      '20000055779911SortCodeAccountNumber',
      '20000055779911SortCodeAccountNumber',
    ]);
    expect(texts(xml, 'MmbId')).toEqual(['309430', '601613', '200000', '601613', '200000']);
  });

  it('sums to the penny what the run recorded: CtrlSum is its total, whatever the amounts', async () => {
    const pennies = run(Array.from({ length: 37 }, (_, i) => ({ orderId: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`, contractorPaymentPence: 1n + BigInt(i) * 333n, hostFeePence: BigInt(i % 3) })));
    const { xml } = bankFileOfRun(pennies, names, accounts, NOW);
    expect((await validatePain001(xml)).valid).toBe(true);
    const pence = texts(xml, 'InstdAmt').map((amount) => BigInt(amount.replace('.', '')));
    expect(pence.reduce((a, b) => a + b, 0n)).toBe(pennies.totalPence);
    expect(texts(xml, 'CtrlSum')).toEqual([formatPence(pennies.totalPence), formatPence(pennies.totalPence)]);
    expect(texts(xml, 'InstdAmt').every((amount) => /^\d+\.\d{2}$/.test(amount))).toBe(true);
    // A run whose recorded total is not what its payments add up to makes no file.
    expect(refusal(() => bankFileOfRun({ ...pennies, totalPence: pennies.totalPence + 1n }, names, accounts, NOW)).code).toBe('INTERNAL');
  });

  it('escapes every name, keeps accents, drops what XML cannot carry, and stays valid', async () => {
    const hostile = new Map([
      [ASSOCIATION, { legalName: 'Smith & Sons <Housing> "Trust" \'Ltd\' Crème Brûlée Ωμέγα 🏠\u0001\u0007' }],
      [CONTRACTOR, { legalName: `Ærøskøbing Rørlægger ApS ${'x'.repeat(160)}` }],
      [HOST, { legalName: ']]> <!-- not a comment --> &amp; R&D; &#65;' }],
    ]);
    const withNames = new Map(accounts);
    withNames.set(ASSOCIATION, ukAccount('309430', '00733445', 'Smith & Sons <Housing> Café'));
    const { xml } = bankFileOfRun(twoJobs, hostile, withNames, NOW);
    expect(await validatePain001(xml)).toEqual({ valid: true, errors: [] });
    expect(xml).toContain('Smith &amp; Sons &lt;Housing&gt;');
    expect(xml).not.toContain('<Housing>');
    const parties = texts(xml, 'Nm');
    expect(parties[0]).toBe('Smith & Sons <Housing> "Trust" \'Ltd\' Crème Brûlée Ωμέγα 🏠');
    expect(parties).toContain('Smith & Sons <Housing> Café');
    // Text that reads like markup or an entity reference is written as text (xmlbuilder2's own reader would decode
    // `&amp;#65;` twice, so this one is checked as written).
    expect(xml).toContain('<Nm>]]&gt; &lt;!-- not a comment --&gt; &amp;amp; R&amp;D; &amp;#65;</Nm>');
    // Names longer than ISO 20022's Max140Text are cut to 140 characters.
    const long = parties.find((n) => n.startsWith('Ærøskøbing'))!;
    expect([...long]).toHaveLength(140);
  });

  it('makes no file when the association or a payee has no bank account, and names each', () => {
    const without = (...ids: string[]) => new Map([...accounts].filter(([id]) => !ids.includes(id)));
    const both = refusal(() => bankFileOfRun(twoJobs, names, without(ASSOCIATION, HOST), NOW));
    expect(both).toMatchObject({ code: 'BANK_ACCOUNT_MISSING', status: 409 });
    expect(both.publicMessage).toContain('Moat Housing, "Co-op" (the association paying) and Castle Homes (the host association, for its fee) have no bank account');
    expect(both.details.issues).toEqual([
      { path: `organisations.${ASSOCIATION}`, message: 'Moat Housing, "Co-op" (the association paying) has no bank account for payments recorded' },
      { path: `organisations.${HOST}`, message: 'Castle Homes (the host association, for its fee) has no bank account for payments recorded' },
    ]);
    expect(refusal(() => bankFileOfRun(twoJobs, names, without(CONTRACTOR), NOW)).details.issues?.map((i) => i.path)).toEqual([`organisations.${CONTRACTOR}`]);
    // The host's own run pays no fee: the host's account is its debtor account, and no other is needed.
    const hostRun = run([{ orderId: ORDER_1, contractorPaymentPence: 8_517n, hostFeePence: 0n }], { associationId: HOST });
    expect(bankFileOfRun(hostRun, names, without(ASSOCIATION), NOW).xml).toContain('<Nm>Castle Homes</Nm>');
  });

  it('leaves out zero amounts, and refuses a run that pays nothing at all', async () => {
    const { xml } = bankFileOfRun(run([{ orderId: ORDER_1, contractorPaymentPence: 8_517n, hostFeePence: 0n }]), names, accounts, NOW);
    expect((await validatePain001(xml)).valid).toBe(true);
    expect(texts(xml, 'EndToEndId')).toEqual(['3f2a91c0000040008000000000000001-C']);
    expect(refusal(() => bankFileOfRun(run([{ orderId: ORDER_1, contractorPaymentPence: 0n, hostFeePence: 0n }]), names, accounts, NOW)).code).toBe('NOTHING_TO_PAY');
  });

  it('is checked by a schema that refuses a file mutated out of the standard', async () => {
    const { xml } = bankFileOfRun(twoJobs, names, accounts, NOW);
    const mutations = {
      'three-decimal-amount': xml.replace('>85.17<', '>85.170001<'),
      'end-to-end-id-too-long': xml.replace('3f2a91c0000040008000000000000001-C', `3f2a91c0000040008000000000000001-C${'9'.repeat(5)}`),
      'unknown-payment-method': xml.replace('<PmtMtd>TRF</PmtMtd>', '<PmtMtd>CASH</PmtMtd>'),
      'creditor-before-its-agent': xml.replace(/(<CdtrAgt>[\s\S]*?<\/CdtrAgt>)(\s*)(<Cdtr>[\s\S]*?<\/Cdtr>)/, '$3$2$1'),
      'wrong-namespace': xml.replace(PAIN001_NAMESPACE, 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03'),
    };
    for (const [name, mutated] of Object.entries(mutations)) {
      expect(mutated, name).not.toBe(xml);
      expect((await validatePain001(mutated)).valid, name).toBe(false);
    }
  });
});

describe('isoText', () => {
  it('keeps one line of at most the length allowed, cut between whole characters', () => {
    expect(isoText('  a\n\tb  ', 35)).toBe('a b');
    expect(isoText('🏠'.repeat(5), 3)).toBe('🏠🏠🏠');
    expect(isoText('\u0000\uD800', 10)).toBe('-');
  });
});
