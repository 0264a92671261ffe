import { Inject, Injectable } from '@nestjs/common';
import { ledgerEntry } from '../ledger/ledger-entry.ts';
import type { TownhallIdClaim } from '@townhall/protocol';
import { LedgerService, REGISTRY_LOG, type AppendEntry, type TransactionClient } from '../ledger/ledger.module.ts';
import { OidcKeys } from './oidc-keys.ts';
import { OidcRepository, type AccountRef, type LiveServiceRow, type ReleaseKind, type ServiceRow } from './oidc.repository.ts';

/** Seconds are enough: the entry says when, not which request. */
function nowIso(): string {
  return new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
}

/**
 * Townhall ID's registry-log entries (docs/protocol/ledger.md §2.1, docs/identity.md), built through
 * the one table of entry types (ledgerEntry), so a wrong body is refused rather than written. A person
 * appears only by their per-service pseudonym (OidcKeys).
 */
@Injectable()
export class OidcLedger {
  constructor(
    @Inject(LedgerService) private readonly ledger: LedgerService,
    @Inject(OidcRepository) private readonly repository: OidcRepository,
    @Inject(OidcKeys) private readonly keys: OidcKeys,
  ) {}

  /** The ServiceRegistered entry for a service's current state (registration, or any change). */
  serviceEntry(
    service: Pick<LiveServiceRow, 'clientId' | 'revision' | 'name' | 'claims' | 'requiredClaims' | 'minimumAcr' | 'acceptsRepresentatives' | 'status' | 'metadata'>,
  ): AppendEntry {
    const redirectUris = (service.metadata.redirect_uris as string[] | undefined) ?? [];
    return ledgerEntry('ServiceRegistered', {
      serviceId: service.clientId,
      revision: service.revision,
      name: service.name,
      claims: service.claims,
      requiredClaims: service.requiredClaims,
      minimumAcr: service.minimumAcr,
      acceptsRepresentatives: service.acceptsRepresentatives,
      status: service.status,
      redirectOrigins: [...new Set(redirectUris.map((uri) => new URL(uri).origin))].sort(),
    });
  }

  /** Appends a ServiceRegistered entry; `write` stores the row in the same transaction, at the entry's index. */
  async appendServiceChange<T>(write: (tx: TransactionClient, index: bigint) => Promise<{ entryFor: LiveServiceRow; result: T }>): Promise<T> {
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const { entryFor, result } = await write(tx, nextIndex);
      return { entries: [this.serviceEntry(entryFor)], result };
    });
    return result;
  }

  /**
   * Appends a ServiceDeleted entry; `write` revokes what the service holds and makes its row a
   * tombstone in the same transaction, at the entry's index and time.
   */
  async appendServiceDeletion<T>(write: (tx: TransactionClient, index: bigint, at: Date) => Promise<{ deleted: ServiceRow; result: T }>): Promise<T> {
    const { result } = await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      const at = new Date(nowIso());
      const { deleted, result } = await write(tx, nextIndex, at);
      return { entries: [ledgerEntry('ServiceDeleted', { serviceId: deleted.clientId, revision: deleted.revision, at: at.toISOString() })], result };
    });
    return result;
  }

  recordConsent(account: AccountRef, clientId: string, claims: TownhallIdClaim[]): Promise<void> {
    const entry = ledgerEntry('ConsentGiven', { subject: this.#subject(clientId, account), serviceId: clientId, claims, at: nowIso() });
    return this.#append(account, clientId, 'consent-given', claims, entry);
  }

  recordWithdrawal(account: AccountRef, clientId: string): Promise<void> {
    const entry = ledgerEntry('ConsentWithdrawn', { subject: this.#subject(clientId, account), serviceId: clientId, at: nowIso() });
    return this.#append(account, clientId, 'consent-withdrawn', [], entry);
  }

  recordRelease(account: AccountRef, clientId: string, claims: TownhallIdClaim[]): Promise<void> {
    const entry = ledgerEntry('ClaimsReleased', { subject: this.#subject(clientId, account), serviceId: clientId, claims, at: nowIso() });
    return this.#append(account, clientId, 'claims-released', claims, entry);
  }

  #subject(clientId: string, account: AccountRef): string {
    return this.keys.releaseSubject(clientId, `${account.kind}:${account.id}`);
  }

  async #append(account: AccountRef, clientId: string, kind: ReleaseKind, claims: string[], entry: AppendEntry): Promise<void> {
    await this.ledger.append(REGISTRY_LOG, async (tx, { nextIndex }) => {
      await this.repository.insertRelease(tx, account, { clientId, kind, claims, ledgerIndex: nextIndex });
      return { entries: [entry], result: undefined };
    });
  }
}
