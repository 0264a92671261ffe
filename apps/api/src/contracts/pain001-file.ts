import { create } from 'xmlbuilder2';
import { AppError } from '../common/app-error.ts';
import type { PaymentAccount } from '../organisations/organisations.service.ts';

/**
 * A payment run as an ISO 20022 `pain.001.001.09` CustomerCreditTransferInitiationV09 message for the
 * association's bank (docs/protocol/contracts.md §11.6): one payment instruction from the association's
 * account, one credit transfer per payee per job. Built with an XML builder, which escapes every text (`leaf`).
 */
export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

/** The UK clearing system of sort codes (ISO 20022 ExternalClearingSystemIdentification1Code). */
const UK_SORT_CODE_CLEARING = 'GBDSC';
/** How an account without an IBAN is named: its sort code and account number, 14 digits (§11.6). */
export const SORT_CODE_ACCOUNT_SCHEME = 'SortCodeAccountNumber';

export interface Pain001Party {
  name: string;
  account: PaymentAccount;
}

export interface Pain001Transfer {
  /** Unique within the message, at most 35 characters. */
  endToEndId: string;
  amountPence: bigint;
  creditor: Pain001Party;
  remittance: string;
}

export interface Pain001Message {
  /** MsgId and PmtInfId: at most 35 characters. */
  messageId: string;
  createdAt: Date;
  /** ReqdExctnDt, an ISO date. */
  executionDate: string;
  debtor: Pain001Party;
  transfers: readonly Pain001Transfer[];
}

/** Whole pence as pounds with exactly two decimals, in integers only: 8517n → "85.17". */
export function formatPence(pence: bigint): string {
  if (pence < 0n) throw new RangeError(`a payment cannot be negative (${pence} pence)`);
  return `${pence / 100n}.${(pence % 100n).toString().padStart(2, '0')}`;
}

// Characters XML 1.0 cannot carry at all (§2.2), which no bank name or reference needs.
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A MaxNText value: on one line, without characters XML cannot hold, cut to `max` characters (whole code points). */
export function isoText(value: string, max: number): string {
  const text = [...value.replace(NOT_XML, '').replace(/\s+/g, ' ').trim()];
  return (text.length > max ? text.slice(0, max).join('').trimEnd() : text.join('')) || '-';
}

/** The pain.001.001.09 document (UTF-8 XML) for one payment instruction. */
export function buildPain001(message: Pain001Message): string {
  if (message.transfers.length === 0) throw new RangeError('a pain.001 message needs at least one credit transfer');
  if (new Set(message.transfers.map((t) => t.endToEndId)).size !== message.transfers.length) {
    throw new RangeError('every EndToEndId of a message must be unique');
  }
  const count = String(message.transfers.length);
  const controlSum = formatPence(message.transfers.reduce((sum, t) => sum + t.amountPence, 0n));
  const document = create({ version: '1.0', encoding: 'UTF-8' }).ele(PAIN001_NAMESPACE, 'Document');
  const initiation = document.ele('CstmrCdtTrfInitn');

  const header = initiation.ele('GrpHdr');
  leaf(header, 'MsgId', isoText(message.messageId, 35));
  leaf(header, 'CreDtTm', message.createdAt.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  leaf(header, 'NbOfTxs', count);
  leaf(header, 'CtrlSum', controlSum);
  leaf(header.ele('InitgPty'), 'Nm', isoText(message.debtor.name, 140));

  const instruction = initiation.ele('PmtInf');
  leaf(instruction, 'PmtInfId', isoText(message.messageId, 35));
  leaf(instruction, 'PmtMtd', 'TRF');
  leaf(instruction, 'NbOfTxs', count);
  leaf(instruction, 'CtrlSum', controlSum);
  leaf(instruction.ele('ReqdExctnDt'), 'Dt', message.executionDate);
  leaf(instruction.ele('Dbtr'), 'Nm', isoText(message.debtor.name, 140));
  addAccount(instruction.ele('DbtrAcct'), message.debtor.account);
  addAgent(instruction.ele('DbtrAgt'), message.debtor.account);

  for (const transfer of message.transfers) {
    const item = instruction.ele('CdtTrfTxInf');
    leaf(item.ele('PmtId'), 'EndToEndId', isoText(transfer.endToEndId, 35));
    item.ele('Amt').ele('InstdAmt', { Ccy: 'GBP' }).txt(formatPence(transfer.amountPence));
    addAgent(item.ele('CdtrAgt'), transfer.creditor.account);
    leaf(item.ele('Cdtr'), 'Nm', isoText(transfer.creditor.name, 140));
    addAccount(item.ele('CdtrAcct'), transfer.creditor.account);
    leaf(item.ele('RmtInf'), 'Ustrd', isoText(transfer.remittance, 140));
  }
  return document.end({ prettyPrint: true });
}

type Element = ReturnType<ReturnType<typeof create>['ele']>;

/**
 * One element holding text. xmlbuilder2 escapes `<`, `>` and `&`, except an `&` that already reads as
 * an entity reference (`&amp;`, `&x;`), which it writes as it is; so every `&` is turned into `&amp;`
 * first, and a name such as "R&D;" or "&amp;" is written as the text it is (and stays well-formed).
 */
function leaf(parent: Element, name: string, text: string): Element {
  return parent.ele(name).txt(text.replaceAll('&', '&amp;'));
}

/** CashAccount38: the IBAN when there is one, else sort code and account number under a named scheme. */
function addAccount(parent: Element, account: PaymentAccount): void {
  const id = parent.ele('Id');
  if (account.iban) {
    leaf(id, 'IBAN', account.iban);
  } else {
    const other = id.ele('Othr');
    leaf(other, 'Id', `${account.sortCode}${account.accountNumber}`);
    leaf(other.ele('SchmeNm'), 'Prtry', SORT_CODE_ACCOUNT_SCHEME);
  }
  leaf(parent, 'Nm', isoText(account.accountName, 70));
}

/** BranchAndFinancialInstitutionIdentification6: the BIC when known, and the sort code in the UK clearing system. */
function addAgent(parent: Element, account: PaymentAccount): void {
  const institution = parent.ele('FinInstnId');
  if (account.bic) leaf(institution, 'BICFI', account.bic);
  const member = institution.ele('ClrSysMmbId');
  leaf(member.ele('ClrSysId'), 'Cd', UK_SORT_CODE_CLEARING);
  leaf(member, 'MmbId', account.sortCode);
}

// ---- a payment run as a message

export interface RunForBankFile {
  id: string;
  contractId: string;
  associationId: string;
  totalPence: bigint;
  contract: { contractorId: string; hostId: string };
  payments: readonly { orderId: string; contractorPaymentPence: bigint; hostFeePence: bigint }[];
}

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The name a run's bank file is downloaded as. */
export function bankFileName(runId: string): string {
  return `payment-run-${runId}.pain001.xml`;
}

/**
 * The run's pain.001 file: the association pays the contractor each job's payment and, for a job of an
 * association other than the host, the host its fee. Every organisation it names must have a bank
 * account recorded, or nothing is made (BANK_ACCOUNT_MISSING names each one without).
 */
export function bankFileOfRun(
  run: RunForBankFile,
  names: ReadonlyMap<string, { legalName: string }>,
  accounts: ReadonlyMap<string, PaymentAccount>,
  now: Date,
): { filename: string; xml: string } {
  const roles = new Map<string, string>([[run.associationId, 'the association paying']]);
  if (run.payments.some((p) => p.contractorPaymentPence > 0n)) roles.set(run.contract.contractorId, 'the contractor');
  if (run.payments.some((p) => p.hostFeePence > 0n)) roles.set(run.contract.hostId, 'the host association, for its fee');
  const nameOf = (id: string) => names.get(id)?.legalName ?? id;
  const missing = [...roles].filter(([id]) => !accounts.has(id));
  if (missing.length > 0) {
    const who = missing.map(([id, role]) => `${nameOf(id)} (${role})`);
    throw new AppError(
      'BANK_ACCOUNT_MISSING',
      `The bank file cannot be made: ${who.join(' and ')} ${missing.length === 1 ? 'has' : 'have'} no bank account for payments recorded. ` +
        'An administrator of each adds it on their organisation’s page in Townhall, under “Bank account for payments”; then download the file again. ' +
        'The run itself is recorded and its payments stay in it.',
      { issues: missing.map(([id, role]) => ({ path: `organisations.${id}`, message: `${nameOf(id)} (${role}) has no bank account for payments recorded` })) },
    );
  }
  const party = (id: string): Pain001Party => ({ name: nameOf(id), account: accounts.get(id)! });
  const compact = (uuid: string) => uuid.replaceAll('-', '').toLowerCase();
  const transfers: Pain001Transfer[] = [];
  for (const payment of run.payments) {
    const remittance = (what: string) => `Contract ${run.contractId}, order ${payment.orderId}: ${what}`;
    // A zero amount is no payment: a bank refuses it, and there is nothing to send.
    if (payment.contractorPaymentPence > 0n) {
      transfers.push({
        endToEndId: `${compact(payment.orderId)}-C`,
        amountPence: payment.contractorPaymentPence,
        creditor: party(run.contract.contractorId),
        remittance: remittance('contractor payment'),
      });
    }
    if (payment.hostFeePence > 0n) {
      transfers.push({ endToEndId: `${compact(payment.orderId)}-H`, amountPence: payment.hostFeePence, creditor: party(run.contract.hostId), remittance: remittance('host fee') });
    }
  }
  if (transfers.length === 0) throw new AppError('NOTHING_TO_PAY', 'Every amount in this run is £0.00: there is nothing for a bank to pay.');
  const sum = transfers.reduce((total, t) => total + t.amountPence, 0n);
  // The file pays exactly what the run recorded (its PaymentRun entry), or it is not made.
  if (sum !== run.totalPence) {
    throw new AppError('INTERNAL', 'Something went wrong on our side. Please try again later.', {
      logMessage: `payment run ${run.id}: its transfers add up to ${sum} pence, its total is ${run.totalPence}`,
    });
  }
  const xml = buildPain001({
    messageId: compact(run.id),
    createdAt: now,
    executionDate: londonDate.format(now),
    debtor: party(run.associationId),
    transfers,
  });
  return { filename: bankFileName(run.id), xml };
}
