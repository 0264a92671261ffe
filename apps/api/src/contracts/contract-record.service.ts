import { Inject, Injectable } from '@nestjs/common';
import { decodeEntry } from '@townhall/ledger';
import { AppError } from '../common/app-error.ts';
import { contractLogName } from '../ledger/ledger.module.ts';
import { LedgerRecordWriter } from '../record/record.module.ts';
import { ContractsRepository } from './contracts.repository.ts';

export const CONTRACT_RECORD_FORMAT = 'townhall/contract-record';

/**
 * The registry entries a contract's approvals and steps are checked against, in time: the parties'
 * registrations and status changes, the grants and revocations of the members who acted, and the
 * passkeys bound to them (which the approvals are signed with).
 */
const REGISTRY_TYPES = new Set(['OrganisationRegistered', 'OrganisationStatusChanged', 'MembershipGranted', 'MembershipRevoked', 'MemberPasskeyBound']);

interface PartiesBody {
  terms?: { parties?: { contractor?: string; associations?: string[] } };
  event?: { terms?: { parties?: { contractor?: string; associations?: string[] } } };
  approvals?: { organisation: string; member: string }[];
  by?: string;
}

/**
 * The contract record (docs/protocol/contracts.md §12): the election record's layout (record.md §2)
 * for one contract's log, so anyone can recompute every payment offline. Its registry entries are
 * those its approvals and `by` fields rest on: the parties' OrganisationRegistered and
 * OrganisationStatusChanged entries, and the MembershipGranted, MembershipRevoked and
 * MemberPasskeyBound entries of the pseudonyms that approved or took a step.
 */
@Injectable()
export class ContractRecordService {
  constructor(
    @Inject(ContractsRepository) private readonly repository: ContractsRepository,
    @Inject(LedgerRecordWriter) private readonly writer: LedgerRecordWriter,
  ) {}

  async *chunks(contractId: string): AsyncGenerator<string> {
    if (!(await this.repository.findContract(contractId))) throw new AppError('NOT_FOUND', 'There is no such contract.');
    const parties = new Set<string>();
    const members = new Set<string>();
    yield* this.writer.chunks({
      logName: contractLogName(contractId),
      header: { format: CONTRACT_RECORD_FORMAT, version: 1, contractId },
      logKeysField: 'contractLog',
      collect: (row) => {
        if (row.type === 'LogCreated') return;
        const body = decodeEntry(row.bytes).body as PartiesBody;
        const terms = body.terms ?? body.event?.terms;
        for (const id of [terms?.parties?.contractor, ...(terms?.parties?.associations ?? [])]) if (id) parties.add(id);
        for (const approval of body.approvals ?? []) members.add(approval.member);
        if (body.by) members.add(body.by);
      },
      registryEntries: async () => (row) => {
        if (!REGISTRY_TYPES.has(row.type)) return false;
        const body = decodeEntry(row.bytes).body as { organisationId?: string; member?: string };
        if (!parties.has(body.organisationId ?? '')) return false;
        return body.member === undefined || members.has(body.member);
      },
    });
  }
}
