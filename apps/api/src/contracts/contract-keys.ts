import { createHmac } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DeploymentSecretsRepository } from '../identity/deployment-secrets.repository.ts';

const PSEUDONYM_KEY = 'contract-pseudonym-key';

/**
 * The keyed functions of repairs contracts (docs/protocol/contracts.md §11.2), under their own
 * deployment secret. A tenant appears in a contract log only as a pseudonym for one order, and a
 * property only as a keyed hash per association, so an observer can neither join a tenant's orders
 * nor learn an address; the association can recompute both to answer a tenant's question.
 */
@Injectable()
export class ContractKeys implements OnModuleInit {
  #key: Uint8Array | undefined;

  constructor(@Inject(DeploymentSecretsRepository) private readonly secrets: DeploymentSecretsRepository) {}

  async onModuleInit(): Promise<void> {
    this.#key = await this.secrets.getOrCreate(PSEUDONYM_KEY);
  }

  /** The reporting resident in one order's OrderRaised entry. */
  tenantPseudonym(orderId: string, electorId: string): string {
    return this.#hmac(`tenant:${orderId}:elector:${electorId}`);
  }

  /** `propertyRef` of an order: the same home gives the same reference within one association. */
  propertyRef(associationId: string, address: { addressLine: string; postcode: string }): string {
    const normalised = `${address.addressLine}\n${address.postcode}`.toUpperCase().replace(/[^\S\n]+/g, ' ').trim();
    return this.#hmac(`property:${associationId}:${normalised}`);
  }

  #hmac(message: string): string {
    if (!this.#key) throw new Error('ContractKeys used before the module was initialised');
    return createHmac('sha256', this.#key).update(message).digest('hex');
  }
}
