import { createHmac, createPrivateKey } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { DeploymentSecretsRepository } from '../identity/deployment-secrets.repository.ts';

/** The deployment secrets of Townhall ID, each generated on first start and kept like the log key. */
const SIGNING_KEY_PREFIX = 'oidc-signing-key-';
const COOKIE_KEY = 'oidc-cookie-key';
const PAIRWISE_KEY = 'oidc-pairwise-key';
const RELEASE_KEY = 'oidc-release-key';

/** SEC 1 (RFC 5915) ECPrivateKey for P-256 without the optional public key: the DER before the 32-byte scalar, and after it. */
const SEC1_P256_HEAD = Buffer.from('30310201010420', 'hex');
const SEC1_P256_TAIL = Buffer.from('a00a06082a8648ce3d030107', 'hex');

/** An ES256 private JWK (with `kid`, its RFC 7638 thumbprint) from a 32-byte P-256 scalar. */
export async function signingJwkFromScalar(scalar: Uint8Array): Promise<JWK> {
  const der = Buffer.concat([SEC1_P256_HEAD, Buffer.from(scalar), SEC1_P256_TAIL]);
  const jwk = createPrivateKey({ key: der, format: 'der', type: 'sec1' }).export({ format: 'jwk' }) as JWK;
  const kid = await calculateJwkThumbprint({ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, y: jwk.y! });
  return { ...jwk, kid, alg: 'ES256', use: 'sig' };
}

/**
 * The provider's keys. ID tokens are signed with ES256 by the newest signing key; every earlier one
 * stays in the JWKS so that tokens it signed still verify (rotation: `rotateSigningKey`, then restart
 * every instance). Pairwise subjects and the ledger's per-service pseudonyms use their own HMAC keys.
 */
@Injectable()
export class OidcKeys implements OnModuleInit {
  #signingKeys: JWK[] = [];
  #cookieKey = '';
  #pairwiseKey: Uint8Array | undefined;
  #releaseKey: Uint8Array | undefined;

  constructor(@Inject(DeploymentSecretsRepository) private readonly secrets: DeploymentSecretsRepository) {}

  async onModuleInit(): Promise<void> {
    await this.secrets.getOrCreate(`${SIGNING_KEY_PREFIX}1`);
    this.#signingKeys = await this.#loadSigningKeys();
    this.#cookieKey = Buffer.from(await this.secrets.getOrCreate(COOKIE_KEY)).toString('base64url');
    this.#pairwiseKey = await this.secrets.getOrCreate(PAIRWISE_KEY);
    this.#releaseKey = await this.secrets.getOrCreate(RELEASE_KEY);
  }

  async #loadSigningKeys(): Promise<JWK[]> {
    const stored = await this.secrets.listByPrefix(SIGNING_KEY_PREFIX);
    const numbered = stored
      .map((s) => ({ n: Number(s.name.slice(SIGNING_KEY_PREFIX.length)), value: s.value }))
      .filter((s) => Number.isSafeInteger(s.n))
      .sort((a, b) => b.n - a.n);
    return Promise.all(numbered.map((s) => signingJwkFromScalar(s.value)));
  }

  /** Adds a newer signing key; instances sign with it from their next start. Returns its `kid`. */
  async rotateSigningKey(): Promise<string> {
    const stored = await this.secrets.listByPrefix(SIGNING_KEY_PREFIX);
    const next = Math.max(0, ...stored.map((s) => Number(s.name.slice(SIGNING_KEY_PREFIX.length))).filter(Number.isSafeInteger)) + 1;
    const kid = (await signingJwkFromScalar(await this.secrets.getOrCreate(`${SIGNING_KEY_PREFIX}${next}`))).kid!;
    return kid;
  }

  /** Private JWKs, newest first (oidc-provider signs with the first and publishes the public parts of all). */
  get signingKeys(): JWK[] {
    return this.#signingKeys;
  }

  get cookieKeys(): string[] {
    return [this.#cookieKey];
  }

  /** OpenID Connect Core §8.1: the `sub` a service of this sector sees; no two sectors can join their records. */
  pairwiseSubject(sector: string, accountId: string): string {
    return createHmac('sha256', this.#key(this.#pairwiseKey)).update(`pairwise:${sector}:${accountId}`).digest('base64url');
  }

  /**
   * The name a person has in the registry log's entries about one service (consent, releases): an HMAC
   * of the service and the person, unlike the `sub` the service sees and unlike the person's enrolment
   * pseudonym, so an observer of the public log cannot join entries across services or to a voter.
   */
  releaseSubject(clientId: string, accountId: string): string {
    return createHmac('sha256', this.#key(this.#releaseKey)).update(`release:${clientId}:${accountId}`).digest('hex');
  }

  #key(key: Uint8Array | undefined): Uint8Array {
    if (!key) throw new Error('OidcKeys used before the module was initialised');
    return key;
  }
}
