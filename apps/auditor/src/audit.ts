/**
 * Audits one Townhall log from its base URL (`.../api/ledger/<log>`): mirrors the entries through
 * the C2SP tlog-tiles entry bundles, replays the hash chain, recomputes the tree and compares it
 * with the latest published checkpoint, checks the log signature and the witness cosignatures
 * against pinned keys, and checks that the checkpoint is consistent with the last one this
 * auditor accepted (kept in the state directory). Nothing is stored unless everything verifies.
 */
import { mkdir, open, readFile, rename, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  GENESIS_PREVIOUS_HASH,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  TILE_WIDTH,
  TreeBuilder,
  decodeBase64,
  decodeEntryBundle,
  decodeHex,
  encodeBase64,
  encodeHex,
  equalBytes,
  formatEntryBundlePath,
  formatKeyId,
  isLedgerError,
  openCheckpoint,
  parseVerifierKey,
  verifyChain,
  verifyConsistency,
  type Checkpoint,
} from '@townhall/ledger';

export interface AuditOptions {
  readonly baseUrl: string;
  readonly stateDir: string;
  /** Log verifier key to pin (default: the one pinned before, else the log's /keys on first use). */
  readonly logKey?: string;
  readonly witnessKeys?: readonly string[];
  readonly quorum?: number;
  readonly fetch?: typeof fetch;
}

interface AuditState {
  readonly baseUrl: string;
  readonly origin: string;
  readonly logKey: string;
  readonly witnessKeys: readonly string[];
  readonly quorum: number;
  readonly size: string;
  readonly headHash: string;
  readonly frontier: readonly string[];
  readonly checkpoint: string | null;
}

export interface AuditSummary {
  readonly origin: string;
  readonly size: bigint;
  readonly rootHash: string;
  readonly newEntries: number;
  readonly cosigners: readonly string[];
  readonly previousSize: bigint;
}

/** A failed audit: what was wrong, and everything needed to show it to someone else. */
export class AuditFailure extends Error {
  constructor(
    readonly kind: 'SIGNATURE' | 'WITNESS_POLICY' | 'CHAIN' | 'ROOT_MISMATCH' | 'INCONSISTENT' | 'ORIGIN' | 'MALFORMED',
    message: string,
    readonly evidence: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AuditFailure';
  }
}

function jsonable(value: unknown): unknown {
  if (value instanceof Uint8Array) return encodeHex(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonable);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonable(v)]));
  return value;
}

export function evidenceJson(failure: AuditFailure): string {
  return JSON.stringify({ kind: failure.kind, message: failure.message, evidence: jsonable(failure.evidence) }, null, 2);
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

async function readState(stateDir: string): Promise<AuditState | undefined> {
  try {
    return JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8')) as AuditState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function audit(options: AuditOptions): Promise<AuditSummary> {
  const http = options.fetch ?? fetch;
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const get = async (path: string): Promise<Response> => {
    const response = await http(`${baseUrl}/${path}`, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`GET ${baseUrl}/${path}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
    return response;
  };
  await mkdir(options.stateDir, { recursive: true });
  const previous = await readState(options.stateDir);

  // Keys: pinned from an earlier run; else given; else trusted on first use from the log's /keys.
  let logKey = previous?.logKey ?? options.logKey;
  let witnessKeys = previous?.witnessKeys ?? options.witnessKeys;
  let quorum = previous?.quorum ?? options.quorum;
  if (previous && options.logKey && options.logKey !== previous.logKey) throw new Error('--log-key differs from the key pinned in the state directory');
  if (logKey === undefined || witnessKeys === undefined || quorum === undefined) {
    const keys = (await (await get('keys')).json()) as { log: string; witnessPolicy: { quorum: number; witnesses: { verifierKey: string }[] } };
    logKey ??= keys.log;
    witnessKeys ??= keys.witnessPolicy.witnesses.map((w) => w.verifierKey);
    quorum ??= keys.witnessPolicy.quorum;
  }
  const logVerifier = parseVerifierKey(logKey);
  if (logVerifier.type !== SIGNATURE_TYPE_ED25519) throw new Error('the log key must be an Ed25519 (type 0x01) verifier key');
  const witnessVerifiers = witnessKeys.map(parseVerifierKey);
  if (witnessVerifiers.some((w) => w.type !== SIGNATURE_TYPE_COSIGNATURE_V1)) throw new Error('witness keys must be cosignature/v1 (type 0x04) keys');
  if (quorum > witnessVerifiers.length) throw new Error(`quorum ${quorum} exceeds the ${witnessVerifiers.length} witness keys`);
  const origin = previous?.origin ?? logVerifier.name;

  // The latest published checkpoint: log signature, cosignatures, origin.
  const note = await (await get('checkpoint')).text();
  let checkpoint: Checkpoint;
  let cosigners: string[];
  try {
    const opened = openCheckpoint(note, [logVerifier, ...witnessVerifiers], { origin });
    if (!opened.verified.some((s) => s.type === SIGNATURE_TYPE_ED25519)) {
      throw new AuditFailure('SIGNATURE', 'the checkpoint is not signed by the pinned log key', { checkpoint: note, logKey });
    }
    cosigners = opened.verified.filter((s) => s.type === SIGNATURE_TYPE_COSIGNATURE_V1).map((s) => `${s.name}+${formatKeyId(s.keyId)}`);
    if (cosigners.length < quorum) {
      throw new AuditFailure('WITNESS_POLICY', `${cosigners.length} of the required ${quorum} witnesses cosigned the checkpoint`, { checkpoint: note, cosigners, quorum, witnessKeys });
    }
    checkpoint = opened.checkpoint;
  } catch (error) {
    if (error instanceof AuditFailure) throw error;
    if (isLedgerError(error, 'ORIGIN_MISMATCH')) throw new AuditFailure('ORIGIN', error.message, { checkpoint: note, ...error.evidence });
    if (isLedgerError(error)) throw new AuditFailure('SIGNATURE', error.message, { checkpoint: note, code: error.code, evidence: error.evidence });
    throw error;
  }

  const oldSize = previous ? BigInt(previous.size) : 0n;
  const oldCheckpoint = previous?.checkpoint ?? null;
  const oldRoot = previous ? TreeBuilder.fromFrontier(oldSize, previous.frontier.map((h) => decodeBase64(h)!)).root() : undefined;
  if (checkpoint.size < oldSize) {
    throw new AuditFailure('INCONSISTENT', `the log now presents size ${checkpoint.size}, smaller than the ${oldSize} it presented before`, {
      previousCheckpoint: oldCheckpoint,
      checkpoint: note,
    });
  }
  if (oldSize > 0n && oldRoot) {
    // The log's own consistency proof (RFC 9162 §2.1.4) between what we saw and what it shows now.
    try {
      const consistency = (await (await get(`proof/consistency?from=${oldSize}&to=${checkpoint.size}`)).json()) as { proof: string[] };
      verifyConsistency(oldSize, checkpoint.size, consistency.proof.map((h) => decodeHex(h)!), oldRoot, checkpoint.rootHash);
    } catch (error) {
      if (!isLedgerError(error)) throw error;
      throw new AuditFailure('INCONSISTENT', `the checkpoint of size ${checkpoint.size} is not consistent with the checkpoint of size ${oldSize} seen before: ${error.message}`, {
        previousCheckpoint: oldCheckpoint,
        checkpoint: note,
        previousRoot: oldRoot,
        code: error.code,
        proofEvidence: error.evidence,
      });
    }
  }

  // Mirror the new entries [oldSize, size) from the entry bundles.
  const entries: Uint8Array[] = [];
  for (let bundle = oldSize / BigInt(TILE_WIDTH); bundle * BigInt(TILE_WIDTH) < checkpoint.size; bundle++) {
    const first = bundle * BigInt(TILE_WIDTH);
    const remaining = checkpoint.size - first;
    const width = remaining >= BigInt(TILE_WIDTH) ? TILE_WIDTH : Number(remaining);
    let decoded: Uint8Array[];
    try {
      decoded = decodeEntryBundle(new Uint8Array(await (await get(formatEntryBundlePath(bundle, width))).arrayBuffer()));
    } catch (error) {
      if (isLedgerError(error)) throw new AuditFailure('MALFORMED', `entry bundle ${bundle} is malformed: ${error.message}`, { bundle });
      throw error;
    }
    if (decoded.length !== width) throw new AuditFailure('MALFORMED', `entry bundle ${bundle} holds ${decoded.length} entries, expected ${width}`, { bundle });
    entries.push(...decoded.slice(first < oldSize ? Number(oldSize - first) : 0));
  }

  const previousHash = previous ? decodeBase64(previous.headHash)! : GENESIS_PREVIOUS_HASH;
  let leafHashes: readonly Uint8Array[];
  try {
    leafHashes = verifyChain(entries, { startIndex: oldSize, previousHash }).leafHashes;
  } catch (error) {
    if (!isLedgerError(error)) throw error;
    throw new AuditFailure(error.code === 'CHAIN_BROKEN' ? 'CHAIN' : 'MALFORMED', `the hash chain does not verify: ${error.message}`, {
      code: error.code,
      ...error.evidence,
      previousCheckpoint: oldCheckpoint,
      checkpoint: note,
    });
  }
  const tree = previous ? TreeBuilder.fromFrontier(oldSize, previous.frontier.map((h) => decodeBase64(h)!)) : TreeBuilder.empty();
  for (const leaf of leafHashes) tree.append(leaf);
  const computed = tree.root();
  if (!equalBytes(computed, checkpoint.rootHash)) {
    throw new AuditFailure('ROOT_MISMATCH', `the entries do not hash to the checkpoint's root at size ${checkpoint.size}`, {
      expectedRoot: checkpoint.rootHash,
      computedRoot: computed,
      treeSize: checkpoint.size,
      previousCheckpoint: oldCheckpoint,
      checkpoint: note,
    });
  }

  // Everything verified: keep the entries and the new state.
  if (entries.length > 0) {
    await appendFile(join(options.stateDir, 'entries.bin'), Buffer.concat(entries.flatMap((e) => [Buffer.from([e.length >> 8, e.length & 0xff]), Buffer.from(e)])));
  }
  const state: AuditState = {
    baseUrl,
    origin,
    logKey,
    witnessKeys,
    quorum,
    size: checkpoint.size.toString(),
    headHash: encodeBase64(leafHashes.length > 0 ? leafHashes[leafHashes.length - 1]! : previousHash),
    frontier: tree.frontier().map((n) => encodeBase64(n.hash)),
    checkpoint: note,
  };
  await writeAtomically(join(options.stateDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
  return { origin, size: checkpoint.size, rootHash: encodeHex(checkpoint.rootHash), newEntries: entries.length, cosigners, previousSize: oldSize };
}
