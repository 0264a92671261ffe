import { createPublicKey, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ServiceRegistrationRequest, type ServiceList, type ServiceRegistered, type ServiceStatus, type ServiceSummary } from '@townhall/protocol';
import type { z } from 'zod';
import { AppError } from '../common/app-error.ts';
import { OidcLedger } from './oidc-ledger.ts';
import { OidcPayloadRepository } from './oidc-payload.repository.ts';
import { OidcProviderService, clientMetadataOf } from './oidc-provider.service.ts';
import { OidcRepository, isLive, type LiveServiceRow, type ServiceRow } from './oidc.repository.ts';

type Registration = z.output<typeof ServiceRegistrationRequest>;

export function serviceSummary(service: LiveServiceRow): ServiceSummary {
  const m = service.metadata as {
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    backchannel_logout_uri?: string;
    token_endpoint_auth_method?: ServiceSummary['authMethod'];
  };
  const authMethod = m.token_endpoint_auth_method ?? 'none';
  return {
    clientId: service.clientId,
    name: service.name,
    clientType: authMethod === 'none' ? 'public' : 'confidential',
    authMethod,
    redirectUris: m.redirect_uris ?? [],
    postLogoutRedirectUris: m.post_logout_redirect_uris ?? [],
    backchannelLogoutUri: m.backchannel_logout_uri ?? null,
    claims: service.claims,
    requiredClaims: service.requiredClaims,
    minimumAcr: service.minimumAcr,
    acceptsRepresentatives: service.acceptsRepresentatives,
    status: service.status,
    revision: service.revision,
    ledgerIndex: service.ledgerIndex === null ? null : service.ledgerIndex.toString(),
    createdAt: service.createdAt.toISOString(),
  };
}

/** What deleting a service revoked: the grants (people's consent) and the provider's rows in all. */
export interface ServiceDeletion {
  name: string;
  grantsRevoked: number;
  rowsDeleted: number;
  /** People's provider sessions it was bound to, each told to the service by back-channel logout. */
  sessionsEnded: number;
}

function deletedError(clientId: string): AppError {
  return new AppError('SERVICE_DELETED', 'This service was deleted. A deleted service cannot be changed or brought back: register a new service instead.', {
    logMessage: `service ${clientId} is deleted`,
  });
}

/**
 * The register of services that may sign people in through Townhall ID (council administrators).
 * Each registration and each change of status is a ServiceRegistered entry in the registry log: the
 * public list of which service may ask for what. Deleting a service is a ServiceDeleted entry, and final.
 */
@Injectable()
export class OidcServicesService {
  constructor(
    @Inject(OidcRepository) private readonly repository: OidcRepository,
    @Inject(OidcLedger) private readonly ledger: OidcLedger,
    @Inject(OidcProviderService) private readonly oidc: OidcProviderService,
    @Inject(OidcPayloadRepository) private readonly payloads: OidcPayloadRepository,
  ) {}

  async list(): Promise<ServiceList> {
    return { services: (await this.repository.listServices()).map(serviceSummary) };
  }

  async register(input: Registration): Promise<ServiceRegistered> {
    return this.#register(`svc_${randomBytes(12).toString('base64url')}`, input);
  }

  /**
   * The demo deployment's own service, under a fixed client id: registered on first start, and its
   * registration changed (a new revision, a new entry) when its address or key changed since. Once an
   * administrator has deleted it, its client id is never used again: SERVICE_DELETED.
   */
  async ensureRegistered(clientId: string, input: Registration): Promise<ServiceSummary> {
    const existing = await this.repository.findService(clientId);
    if (!existing) return (await this.#register(clientId, input)).service;
    if (!isLive(existing)) throw deletedError(clientId);
    const wanted = this.#draft(clientId, input, null);
    const isSame =
      JSON.stringify(existing.metadata) === JSON.stringify(wanted.metadata) &&
      existing.name === wanted.name &&
      existing.acceptsRepresentatives === wanted.acceptsRepresentatives;
    if (isSame) return serviceSummary(existing);
    const service = await this.ledger.appendServiceChange(async (tx, index) => {
      const row = await this.repository.updateService(tx, clientId, wanted, index);
      return { entryFor: row, result: row };
    });
    return serviceSummary(service);
  }

  #draft(clientId: string, input: Registration, clientSecret: string | null): Omit<ServiceRow, 'createdAt' | 'revision' | 'ledgerIndex' | 'status'> {
    const metadata: Record<string, unknown> = {
      application_type: 'web',
      redirect_uris: input.redirectUris,
      post_logout_redirect_uris: input.postLogoutRedirectUris,
      token_endpoint_auth_method: input.clientType === 'public' ? 'none' : input.authMethod,
      ...(input.backchannelLogoutUri ? { backchannel_logout_uri: input.backchannelLogoutUri, backchannel_logout_session_required: true } : {}),
      ...(input.jwks ? { jwks: input.jwks } : {}),
      ...(clientSecret ? { client_secret: clientSecret } : {}),
    };
    return {
      clientId,
      name: input.name,
      metadata,
      claims: input.claims,
      requiredClaims: input.requiredClaims,
      minimumAcr: input.minimumAcr,
      acceptsRepresentatives: input.acceptsRepresentatives,
    };
  }

  async #register(clientId: string, input: Registration): Promise<ServiceRegistered> {
    // Pairwise subjects are per sector: the host of the redirect URIs (OpenID Connect Core §8.1). One
    // host per service, so that `sub` cannot change with the redirect URI a request happens to use.
    const hosts = new Set(input.redirectUris.map((uri) => new URL(uri).host));
    if (hosts.size > 1) {
      throw new AppError('VALIDATION_FAILED', 'All the redirect URIs of a service must be on one host name (its sign-in identifiers are per host).', {
        issues: [{ path: 'redirectUris', message: 'are on more than one host' }],
      });
    }
    // Each key must be a real public key, not only JWK-shaped (the provider checks the shape only).
    for (const [index, jwk] of (input.jwks?.keys ?? []).entries()) {
      try {
        createPublicKey({ key: jwk as never, format: 'jwk' });
      } catch (error) {
        const message = `is not a usable public key (${(error as Error).message})`;
        throw new AppError('VALIDATION_FAILED', `Key ${index + 1} of the service's key set ${message}.`, { issues: [{ path: `jwks.keys.${index}`, message }] });
      }
    }
    const clientSecret = input.authMethod === 'client_secret_basic' ? randomBytes(32).toString('base64url') : null;
    const draft = this.#draft(clientId, input, clientSecret);
    // The provider's own checks of the metadata (keys, URIs), before anything is written.
    try {
      await this.oidc.provider.Client.validate(clientMetadataOf({ ...draft, status: 'active', revision: 1, ledgerIndex: null, createdAt: new Date() }) as never);
    } catch (error) {
      const description = (error as { error_description?: string }).error_description ?? (error as Error).message;
      throw new AppError('VALIDATION_FAILED', `The service’s details were refused: ${description}.`, { issues: [{ path: '', message: description }] });
    }
    const service = await this.ledger.appendServiceChange(async (tx, index) => {
      const row = await this.repository.insertService(tx, draft, index);
      return { entryFor: row, result: row };
    });
    return { service: serviceSummary(service), clientSecret };
  }

  async setStatus(clientId: string, status: ServiceStatus): Promise<ServiceSummary> {
    const service = await this.ledger.appendServiceChange(async (tx, index) => {
      const current = await this.repository.lockService(tx, clientId);
      if (!current) throw new AppError('NOT_FOUND', 'There is no such service.');
      if (!isLive(current)) throw deletedError(clientId);
      if (current.status === status) throw new AppError('CONFLICT', `The service is already ${status}.`);
      const row = await this.repository.setServiceStatus(tx, clientId, status, index);
      return { entryFor: row, result: row };
    });
    return serviceSummary(service);
  }

  /**
   * Deletes a service, for good (suspension is the reversible action): in one transaction with its
   * ServiceDeleted entry, every grant, code, token, sign-in in progress and session binding of it is
   * removed and its row becomes a tombstone, so its tokens stop working at once on every instance (the
   * provider no longer finds the service, nor the tokens) and its client id is never registered again.
   * People's ConsentGiven and ClaimsReleased entries stay in the log: they are the record of what it received.
   */
  async delete(clientId: string): Promise<ServiceDeletion> {
    const { deletion, service, sessions } = await this.ledger.appendServiceDeletion(async (tx, index, at) => {
      const current = await this.repository.lockService(tx, clientId);
      if (!current) throw new AppError('NOT_FOUND', 'There is no such service.');
      if (!isLive(current)) throw deletedError(clientId);
      const sessions = await this.payloads.sessionsBoundTo(tx, clientId);
      const revoked = await this.payloads.revokeClient(tx, clientId);
      await this.repository.deleteOrganisationChoices(tx, revoked.grantIds);
      const deleted = await this.repository.markServiceDeleted(tx, current, index, at);
      const deletion = { name: current.name, grantsRevoked: revoked.grantIds.length, rowsDeleted: revoked.deleted, sessionsEnded: sessions.length };
      return { deleted, result: { deletion, service: current, sessions } };
    });
    // The service hears that every session it had with the provider has ended, so it signs those people out too.
    void this.oidc.logOutAt(service, sessions);
    return deletion;
  }
}
