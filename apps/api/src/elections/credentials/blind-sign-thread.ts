import { Worker } from 'node:worker_threads';
import type { AuthenticationResponseJSON } from '@townhall/protocol';
import { CryptoError, type CryptoErrorCode } from '@townhall/crypto';
import type { RelyingParty } from '../../identity/passkey-assertion.ts';

/** The passkey assertion that must verify before the worker signs (elections.md §5). */
export interface PasskeyCheck {
  readonly rp: RelyingParty;
  readonly response: AuthenticationResponseJSON;
  readonly expectedChallenge: string;
  readonly passkey: { readonly credentialId: Uint8Array; readonly publicKey: Uint8Array };
  /** The passkey's stored signature counter: a new one that does not move forward is refused. */
  readonly storedCounter: number;
}

export interface BlindSignRequest {
  readonly id: number;
  /** Names the issuer key (the election id); the key itself travels with the first request only. */
  readonly keyId: string;
  readonly privateKey?: Uint8Array;
  readonly blindedMessage: Uint8Array;
  readonly passkeyCheck?: PasskeyCheck;
}

export type BlindSignReply =
  | { id: number; signature: Uint8Array; newCounter: number | null }
  | { id: number; error: { code?: CryptoErrorCode; field?: string; refused?: PasskeyRefusal['kind']; message: string } };

/** The passkey check refused the request: nothing was signed. */
export class PasskeyRefusal extends Error {
  constructor(
    readonly kind: 'assertion' | 'counter',
    reason: string,
  ) {
    super(reason);
  }
}

const entry = new URL('./blind-sign.worker-bootstrap.mjs', import.meta.url);

/**
 * RFC 9474 blind signing (OpenSSL raw RSA + the fault check, ~2 ms of CPU for a 3072-bit key) on a
 * worker thread, so the event loop keeps serving requests meanwhile. Given a passkey check, the
 * worker first verifies the assertion (WebAuthn, about half a millisecond more) and signs only if it
 * holds. The worker holds each issuer key it has been sent; a worker that dies is replaced on the
 * next request.
 */
export class BlindSignThread {
  #worker: Worker | undefined;
  readonly #keysSent = new Set<string>();
  readonly #waiting = new Map<number, { resolve(result: { signature: Uint8Array; newCounter: number | null }): void; reject(error: Error): void }>();
  #nextId = 1;

  /**
   * The blind signature (and the assertion's new counter, with a passkey check). Rejects with a
   * PasskeyRefusal when the check fails, a CryptoError when the blinded message is not valid for the key.
   */
  sign(keyId: string, privateKey: () => Uint8Array, blindedMessage: Uint8Array, passkeyCheck?: PasskeyCheck): Promise<{ signature: Uint8Array; newCounter: number | null }> {
    const worker = this.#start();
    const id = this.#nextId++;
    const isNewKey = !this.#keysSent.has(keyId);
    this.#keysSent.add(keyId);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      const request: BlindSignRequest = { id, keyId, blindedMessage, ...(isNewKey ? { privateKey: privateKey() } : {}), ...(passkeyCheck ? { passkeyCheck } : {}) };
      worker.postMessage(request);
    });
  }

  /** Starts the worker ahead of the first signature (loading it costs about a second of CPU). */
  warm(): void {
    this.#start();
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(entry);
    worker.unref();
    worker.on('message', (reply: BlindSignReply) => {
      const waiting = this.#waiting.get(reply.id);
      if (!waiting) return;
      this.#waiting.delete(reply.id);
      if ('signature' in reply) waiting.resolve({ signature: new Uint8Array(reply.signature), newCounter: reply.newCounter });
      else if (reply.error.refused) waiting.reject(new PasskeyRefusal(reply.error.refused, reply.error.message));
      else waiting.reject(reply.error.code ? new CryptoError(reply.error.code, reply.error.field ?? 'blindedMessage', reply.error.message) : new Error(`blind signing failed: ${reply.error.message}`));
    });
    const fail = (error: unknown) => {
      if (this.#worker === worker) this.#worker = undefined;
      this.#keysSent.clear();
      for (const waiting of this.#waiting.values()) waiting.reject(new Error('the blind signing worker stopped', { cause: error }));
      this.#waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.#worker = worker;
    return worker;
  }
}
