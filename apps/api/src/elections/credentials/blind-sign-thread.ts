import { Worker } from 'node:worker_threads';
import { CryptoError, type CryptoErrorCode } from '@townhall/crypto';

export interface BlindSignRequest {
  readonly id: number;
  /** Names the issuer key (the election id); the key itself travels with the first request only. */
  readonly keyId: string;
  readonly privateKey?: Uint8Array;
  readonly blindedMessage: Uint8Array;
}

/** Drops an issuer key from the worker (its election is no longer open). */
export interface BlindSignForget {
  readonly forget: string;
}

export type BlindSignReply = { id: number; signature: Uint8Array } | { id: number; error: { code?: CryptoErrorCode; field?: string; message: string } };

const entry = new URL('./blind-sign.worker-bootstrap.mjs', import.meta.url);

/**
 * RFC 9474 blind signing (OpenSSL raw RSA + the fault check, ~2 ms of CPU for a 3072-bit key) on a
 * worker thread, so the event loop keeps serving requests meanwhile. The worker holds each issuer
 * key it has been sent; a worker that dies is replaced on the next request.
 */
export class BlindSignThread {
  #worker: Worker | undefined;
  readonly #keysSent = new Set<string>();
  readonly #waiting = new Map<number, { resolve(signature: Uint8Array): void; reject(error: Error): void }>();
  #nextId = 1;

  sign(keyId: string, privateKey: () => Uint8Array, blindedMessage: Uint8Array): Promise<Uint8Array> {
    const worker = this.#start();
    const id = this.#nextId++;
    const isNewKey = !this.#keysSent.has(keyId);
    this.#keysSent.add(keyId);
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      const request: BlindSignRequest = { id, keyId, blindedMessage, ...(isNewKey ? { privateKey: privateKey() } : {}) };
      worker.postMessage(request);
    });
  }

  /** The worker forgets the key `keyId` (it is sent again with the next request that needs it). */
  forget(keyId: string): void {
    if (!this.#keysSent.delete(keyId)) return;
    const message: BlindSignForget = { forget: keyId };
    this.#worker?.postMessage(message);
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
      if ('signature' in reply) waiting.resolve(new Uint8Array(reply.signature));
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
