import { Inject, Injectable } from '@nestjs/common';
import { evaluateContract } from '@townhall/contracts';
import { ContractTerms, OcdsReleasePackage, type OcdsReleasePackage as Package } from '@townhall/protocol';
import { AppError } from '../common/app-error.ts';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { DATABASE, type Database } from '../database/database.ts';
import { OrganisationsService } from '../organisations/organisations.service.ts';
import { ContractsRepository } from './contracts.repository.ts';

/**
 * The prefix of every ocid this deployment publishes. OCDS prefixes are registered with the Open
 * Contracting Partnership; this one is not (docs/protocol/contracts.md §13 says so).
 */
export const OCDS_PREFIX = 'ocds-thdemo';

const pounds = (pence: bigint) => Number(pence) / 100;

/**
 * A contract's performance and payments as an Open Contracting Data Standard 1.1 release package
 * (docs/protocol/contracts.md §13): one `implementation` release whose milestones are the jobs'
 * deadlines (met when completed, with the date) and whose transactions are the payment runs'
 * payments, contractor and host fee apart. Everything comes from the evaluator's reading of the
 * contract's history and the recorded runs: nothing a tenant wrote, no address, no person.
 */
@Injectable()
export class ContractOcdsService {
  constructor(
    @Inject(ContractsRepository) private readonly repository: ContractsRepository,
    @Inject(OrganisationsService) private readonly organisations: OrganisationsService,
    @Inject(DATABASE) private readonly database: Database,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async releasePackage(contractId: string): Promise<Package> {
    const contract = await this.repository.findContract(contractId);
    if (!contract) throw new AppError('NOT_FOUND', 'There is no such contract.');
    if (contract.agreedRevision === null) throw new AppError('CONTRACT_WRONG_STATE', 'This contract is not agreed yet: it has no performance or payments to publish.');
    const history = await this.repository.history(undefined, contractId);
    const evaluation = evaluateContract(ContractTerms.parse(await this.repository.firstTerms(undefined, contractId)), history.map((e) => e.event));
    const terms = evaluation.revisions.at(-1)!.terms;
    const names = await this.organisations.organisationsById(contract.parties.map((p) => p.organisationId));
    const council = await this.database.prisma.council.findFirst({ orderBy: { createdAt: 'asc' } });
    const ref = (id: string) => ({ id, name: names.get(id)?.legalName ?? id });
    const runs = await this.repository.runsOfContract(contractId);
    const recordUri = `${this.config.publicUrl}/api/contracts/${encodeURIComponent(contractId)}/record`;
    const lastEvent = history.at(-1);
    const date = lastEvent ? (lastEvent.event as { at: string }).at : contract.createdAt.toISOString();

    const releasePackage = {
      uri: `${this.config.publicUrl}/api/contracts/${encodeURIComponent(contractId)}/ocds`,
      version: '1.1' as const,
      publishedDate: date,
      publisher: { name: council?.name ?? 'Townhall' },
      releases: [
        {
          ocid: `${OCDS_PREFIX}-${contractId}`,
          id: `${contractId}-${history.length}`,
          date,
          tag: ['implementation' as const],
          initiationType: 'tender' as const,
          language: 'en' as const,
          parties: contract.parties.map((p) => ({
            ...ref(p.organisationId),
            roles:
              p.party === 'contractor'
                ? (['supplier', 'payee'] as const)
                : p.organisationId === contract.hostId
                  ? (['buyer', 'procuringEntity', 'payer', 'payee'] as const)
                  : (['buyer', 'payer'] as const),
          })).map((p) => ({ ...p, roles: [...p.roles] })),
          buyer: ref(contract.hostId),
          awards: [{ id: `${contractId}-award`, status: 'active' as const, suppliers: [ref(contract.contractorId)] }],
          contracts: [
            {
              id: contractId,
              awardID: `${contractId}-award`,
              title: contract.title,
              status: (terms.endDate < date.slice(0, 10) ? 'terminated' : 'active') as 'active' | 'terminated',
              period: { startDate: `${terms.startDate}T00:00:00Z`, endDate: `${terms.endDate}T23:59:59Z` },
              // When the last party approved revision 1.
              dateSigned: (contract.versions.find((v) => v.revision === 1)?.agreedAt ?? contract.createdAt).toISOString(),
              implementation: {
                milestones: evaluation.jobs
                  .filter((job) => job.dueAt !== null)
                  .map((job) => ({
                    id: `${job.orderId}-completion`,
                    title: `Repair ${job.orderId}: work completed`,
                    type: 'delivery' as const,
                    dueDate: job.dueAt!,
                    ...(job.completedAt ? { dateMet: job.completedAt } : {}),
                    status: (job.completedAt ? 'met' : 'scheduled') as 'met' | 'scheduled',
                    ...(job.isLate ? { description: 'Completed after its deadline.' } : {}),
                  })),
                transactions: runs.flatMap((run) =>
                  run.payments.flatMap((payment) => [
                    {
                      id: `${run.id}-${payment.orderId}-repair`,
                      source: recordUri,
                      date: run.createdAt.toISOString(),
                      value: { amount: pounds(payment.contractorPaymentPence), currency: 'GBP' as const },
                      payer: ref(run.associationId),
                      payee: ref(contract.contractorId),
                      uri: recordUri,
                    },
                    ...(payment.hostFeePence > 0n
                      ? [
                          {
                            id: `${run.id}-${payment.orderId}-host-fee`,
                            source: recordUri,
                            date: run.createdAt.toISOString(),
                            value: { amount: pounds(payment.hostFeePence), currency: 'GBP' as const },
                            payer: ref(run.associationId),
                            payee: ref(contract.hostId),
                            uri: recordUri,
                          },
                        ]
                      : []),
                  ]),
                ),
              },
            },
          ],
        },
      ],
    };
    return OcdsReleasePackage.parse(releasePackage);
  }
}
