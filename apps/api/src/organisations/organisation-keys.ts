import { createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DeploymentSecretsRepository } from '../identity/deployment-secrets.repository.ts';

const PSEUDONYM_KEY = 'organisation-pseudonym-key';
const CODE_KEY = 'organisation-code-key';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Whose membership or appointment: a resident (elector) or a person who joined by invitation. */
export type AccountRef = { kind: 'elector'; id: string } | { kind: 'person'; id: string };

/** `length` random Crockford base32 symbols (5 bits each), for codes a person reads out or types. */
export function randomCode(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => CROCKFORD[byte & 31]).join('');
}

/**
 * The keyed functions of organisations and appointments, each under its own deployment secret. A
 * person appears in the registry log only as an HMAC for one purpose: one organisation's member, or one
 * side of one appointment, so an observer cannot join their entries across organisations or
 * appointments, nor to their enrolment (docs/organisations.md §4).
 */
@Injectable()
export class OrganisationKeys implements OnModuleInit {
  #pseudonymKey: Uint8Array | undefined;
  #codeKey: Uint8Array | undefined;

  constructor(@Inject(DeploymentSecretsRepository) private readonly secrets: DeploymentSecretsRepository) {}

  async onModuleInit(): Promise<void> {
    this.#pseudonymKey = await this.secrets.getOrCreate(PSEUDONYM_KEY);
    this.#codeKey = await this.secrets.getOrCreate(CODE_KEY);
  }

  /** The member's name in the organisation's MembershipGranted and MembershipRevoked entries. */
  memberPseudonym(organisationId: string, account: AccountRef): string {
    return this.#hmac(this.#pseudonymKey, `member:${organisationId}:${account.kind}:${account.id}`);
  }

  /** A side of one appointment in its AppointmentMade, AppointmentAccepted entries. */
  appointmentParty(appointmentId: string, side: 'appointer' | 'representative', electorId: string): string {
    return this.#hmac(this.#pseudonymKey, `appointment:${appointmentId}:${side}:elector:${electorId}`);
  }

  /** The only form in which membership and appointment codes are stored. */
  codeHash(kind: 'membership' | 'appointment', code: string): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.#require(this.#codeKey)).update(`${kind}-code:${code}`).digest());
  }

  #hmac(key: Uint8Array | undefined, message: string): string {
    return createHmac('sha256', this.#require(key)).update(message).digest('hex');
  }

  #require(key: Uint8Array | undefined): Uint8Array {
    if (!key) throw new Error('OrganisationKeys used before the module was initialised');
    return key;
  }
}
