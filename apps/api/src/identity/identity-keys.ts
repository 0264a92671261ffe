import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DeploymentSecretsRepository } from './deployment-secrets.repository.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function sha256(data: Uint8Array | string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** 16 Crockford base32 symbols (80 random bits), printed as XXXX-XXXX-XXXX-XXXX. */
export function generateActivationCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 15; i >= 0; i--) code += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

export function formatActivationCode(code: string): string {
  return code.match(/.{4}/g)!.join('-');
}

/** A random opaque token for cookies and invitation links (256 bits, base64url). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The deployment's keyed functions. Each uses its own secret from `deployment_secret`, generated on
 * first start, so a database copy without the secrets table cannot recompute pseudonyms or test
 * guessed activation codes.
 */
@Injectable()
export class IdentityKeys implements OnModuleInit {
  #pseudonymKey: Uint8Array | undefined;
  #codeKey: Uint8Array | undefined;
  #csrfKey: Uint8Array | undefined;

  constructor(@Inject(DeploymentSecretsRepository) private readonly secrets: DeploymentSecretsRepository) {}

  async onModuleInit(): Promise<void> {
    this.#pseudonymKey = await this.secrets.getOrCreate('elector-pseudonym-key');
    this.#codeKey = await this.secrets.getOrCreate('activation-code-key');
    this.#csrfKey = await this.secrets.getOrCreate('csrf-key');
  }

  #key(key: Uint8Array | undefined): Uint8Array {
    if (!key) throw new Error('IdentityKeys used before the module was initialised');
    return key;
  }

  /** docs/protocol/ledger.md: electors appear in ledgers only as HMAC-SHA256(pseudonym key, elector number), hex. */
  pseudonym(electorNumber: string): string {
    return createHmac('sha256', this.#key(this.#pseudonymKey)).update(`elector:${electorNumber}`).digest('hex');
  }

  /** The WebAuthn user handle: stable per account, meaningless outside this deployment. */
  userHandle(kind: 'elector' | 'staff' | 'person', id: string): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.#key(this.#pseudonymKey)).update(`user-handle:${kind}:${id}`).digest().subarray(0, 16));
  }

  /** Keyed hash of a normalised activation code (the only form in which codes are stored). */
  activationCodeHash(code: string): Uint8Array {
    return new Uint8Array(createHmac('sha256', this.#key(this.#codeKey)).update(`activation-code:${code}`).digest());
  }

  csrfToken(sessionCookie: string): string {
    return createHmac('sha256', this.#key(this.#csrfKey)).update(`csrf:${sessionCookie}`).digest('base64url');
  }

  isCsrfTokenValid(sessionCookie: string, token: string): boolean {
    const expected = Buffer.from(this.csrfToken(sessionCookie));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
