/**
 * A C2SP tlog-witness over plain node:http: `POST /add-checkpoint` answers 200 with cosignature
 * lines, or 400/403/404/409/422 as the spec says (decision in @townhall/ledger's
 * decideAddCheckpoint); the state for an origin is read, decided on and persisted under one lock.
 * `GET /` prints the witness's verifier key.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  MAX_ADD_CHECKPOINT_BODY_SIZE,
  SIGNATURE_TYPE_ED25519,
  createVerifier,
  decideAddCheckpoint,
  parseAddCheckpointRequest,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  type NoteVerifier,
  type WitnessedLog,
} from '@townhall/ledger';
import { WitnessStateStore } from './state-store.ts';
import { loadOrCreateWitnessKey } from './witness-key.ts';

/**
 * A log this witness cosigns for. `origin` is exact, or a prefix ending in `*` (every origin that
 * starts with it; the log key is then checked under the name of the actual origin, which is how a
 * Townhall deployment names its per-election log keys).
 */
export interface WitnessedLogConfig {
  readonly origin: string;
  readonly verifierKey: string;
}

export interface WitnessOptions {
  readonly stateDir: string;
  readonly logs: readonly WitnessedLogConfig[];
  /** Key name used when the key is created (default `townhall-witness`). */
  readonly name?: string;
  readonly port?: number;
  readonly host?: string;
  /** POSIX seconds for cosignature timestamps (tests). */
  readonly now?: () => bigint;
}

export interface RunningWitness {
  readonly url: string;
  readonly port: number;
  readonly verifierKey: string;
  close(): Promise<void>;
}

/** `origin=verifierKey` → config; exported for the CLI. */
export function parseLogArgument(text: string): WitnessedLogConfig {
  const at = text.indexOf('=');
  if (at <= 0) throw new Error(`--log ${text}: expected <origin>=<verifier key>`);
  const config = { origin: text.slice(0, at), verifierKey: text.slice(at + 1) };
  const verifier = parseVerifierKey(config.verifierKey);
  if (verifier.type !== SIGNATURE_TYPE_ED25519) throw new Error(`--log ${text}: the log key must be an Ed25519 (type 0x01) verifier key`);
  return config;
}

function logKeysFor(logs: readonly WitnessedLogConfig[], origin: string): NoteVerifier[] {
  const keys: NoteVerifier[] = [];
  for (const log of logs) {
    const verifier = parseVerifierKey(log.verifierKey);
    if (log.origin === origin) keys.push(verifier);
    else if (log.origin.endsWith('*') && origin.startsWith(log.origin.slice(0, -1))) {
      try {
        keys.push(createVerifier(origin, SIGNATURE_TYPE_ED25519, verifier.publicKey));
      } catch {
        // An origin that is not a valid key name cannot be signed for either.
      }
    }
  }
  return keys;
}

async function readBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of request) {
    length += (chunk as Buffer).length;
    if (length > MAX_ADD_CHECKPOINT_BODY_SIZE) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' }).end(body);
}

export async function startWitness(options: WitnessOptions): Promise<RunningWitness> {
  const logs = options.logs.map((log) => ({ ...log }));
  for (const log of logs) parseLogArgument(`${log.origin}=${log.verifierKey}`);
  const { signer, verifierKey } = await loadOrCreateWitnessKey(options.stateDir, options.name ?? 'townhall-witness');
  const store = new WitnessStateStore(options.stateDir);
  await store.init();
  const now = options.now ?? (() => BigInt(Math.floor(Date.now() / 1000)));

  async function addCheckpoint(body: Uint8Array): Promise<{ status: number; contentType: string; body: string }> {
    let origin: string | undefined;
    try {
      origin = parseCheckpoint(parseNote(parseAddCheckpointRequest(body).checkpointNote).text).origin;
    } catch {
      origin = undefined; // malformed: decideAddCheckpoint answers 400 with the reason
    }
    const decide = (state: WitnessedLog['state']) =>
      decideAddCheckpoint({
        body,
        lookupLog: (o) => {
          const logKeys = logKeysFor(logs, o);
          return logKeys.length === 0 ? undefined : { logKeys, state };
        },
        cosigners: [signer],
        timestamp: now(),
      });
    if (origin === undefined || logKeysFor(logs, origin).length === 0) return decide(null);
    return store.withLock(origin, async () => {
      const decision = decide(await store.read(origin));
      if (decision.status === 200) await store.write(decision.origin, decision.newState);
      return decision;
    });
  }

  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', 'http://witness').pathname;
      if (path === '/' && request.method === 'GET') return send(response, 200, 'text/plain; charset=utf-8', `${verifierKey}\n`);
      if (path !== '/add-checkpoint') return send(response, 404, 'text/plain; charset=utf-8', 'not found\n');
      if (request.method !== 'POST') return send(response, 405, 'text/plain; charset=utf-8', 'use POST\n');
      const body = await readBody(request);
      if (!body) return send(response, 400, 'text/plain; charset=utf-8', 'request body is too large\n');
      const decision = await addCheckpoint(body);
      send(response, decision.status, decision.contentType, decision.body);
    })().catch((error: unknown) => {
      process.stderr.write(`townhall-witness: ${(error as Error).stack ?? String(error)}\n`);
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'internal error\n');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    verifierKey,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
