/**
 * The deployment's Ed25519 log key. From TOWNHALL_LOG_SIGNING_KEY (a C2SP signer-key string
 * `PRIVATE+KEY+<name>+<id>+<base64(0x01 ‖ seed)>`, or the base64 of the 32-byte seed alone), or
 * generated on first start and kept in `deployment_secret`. Each log signs with key name = its
 * origin (C2SP tlog-checkpoint), so one seed gives one verifier key per log.
 */
import { randomBytes } from 'node:crypto';
import { SIGNATURE_TYPE_ED25519, createSigner, decodeBase64, formatVerifierKey, type NoteSigner } from '@townhall/ledger';
import { ConfigError } from '../config/config.ts';
import type { LedgerRepository } from './ledger.repository.ts';

export const LOG_KEY_SECRET_NAME = 'ledger-log-signing-key';

export function parseLogSigningKey(text: string): Uint8Array {
  const trimmed = text.trim();
  if (trimmed.startsWith('PRIVATE+KEY+')) {
    const fields = trimmed.split('+');
    const [, , name, hexId] = fields;
    const material = decodeBase64(fields.slice(4).join('+'));
    if (!name || !hexId || !material || material.length !== 33 || material[0] !== SIGNATURE_TYPE_ED25519) {
      throw new ConfigError(['TOWNHALL_LOG_SIGNING_KEY: not a C2SP Ed25519 signer key (PRIVATE+KEY+<name>+<id>+<base64 of 0x01 and 32 bytes>)']);
    }
    const seed = material.slice(1);
    if (createSigner(name, SIGNATURE_TYPE_ED25519, seed).keyId !== parseInt(hexId, 16)) {
      throw new ConfigError(['TOWNHALL_LOG_SIGNING_KEY: the key ID does not match the name and key']);
    }
    return seed;
  }
  const seed = decodeBase64(trimmed);
  if (!seed || seed.length !== 32) throw new ConfigError(['TOWNHALL_LOG_SIGNING_KEY: expected a signer-key string or base64 of a 32-byte Ed25519 seed']);
  return seed;
}

/** The configured seed, or the one kept in the database (created on first start). */
export async function resolveLogSeed(signingKey: string | undefined, repository: Pick<LedgerRepository, 'readSecret' | 'insertSecretIfAbsent'>): Promise<Uint8Array> {
  if (signingKey !== undefined) return parseLogSigningKey(signingKey);
  return (await repository.readSecret(LOG_KEY_SECRET_NAME)) ?? (await repository.insertSecretIfAbsent(LOG_KEY_SECRET_NAME, randomBytes(32)));
}

/** Signs checkpoints for any origin with the one deployment seed. */
export class LogKeyring {
  readonly #seed: Uint8Array;
  readonly #signers = new Map<string, NoteSigner>();

  constructor(seed: Uint8Array) {
    this.#seed = seed.slice();
  }

  signer(origin: string): NoteSigner {
    let signer = this.#signers.get(origin);
    if (!signer) {
      signer = createSigner(origin, SIGNATURE_TYPE_ED25519, this.#seed);
      this.#signers.set(origin, signer);
    }
    return signer;
  }

  verifierKey(origin: string): string {
    return formatVerifierKey(this.signer(origin));
  }

  get publicKey(): Uint8Array {
    return this.signer('townhall').publicKey;
  }
}
