/**
 * Mutations of a real election record (test/fixtures, made by apps/api/test/record.medium.test.ts)
 * and of a real contract record (made by apps/api/test/contract-record.medium.test.ts) for the
 * tampering suites. `reseal` plays a dishonest log operator who holds the log's signing key
 * (the test key: Ed25519 seed 0x2a × 32) but not the witnesses' keys: it rewrites the hash chain,
 * the checkpoint roots and the log signatures so that only the semantic checks — and the
 * witnesses — can catch the change.
 */
import { readFileSync } from 'node:fs';
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes, fromBase64, toBase64, utf8 } from '../src/bytes.ts';
import { decodeEntry } from '../src/entry.ts';
import { canonicalJson } from '../src/jcs.ts';
import { leafHash, treeRoot } from '../src/merkle.ts';
import { parseCheckpoint, parseNote } from '../src/note.ts';
import { fingerprintOf, parseRecord, verifyContractRecordSource, verifyRecord, type CheckId, type VerificationReport } from '../src/index.ts';
import { toHex } from '../src/bytes.ts';

export const FIXTURE = new URL('./fixtures/election-5-voters.record.jsonl', import.meta.url);
export const CONTRACT_FIXTURE = new URL('./fixtures/contract-3-jobs.record.jsonl', import.meta.url);
const LOG_SECRET = new Uint8Array(32).fill(42);

export type Line = Record<string, any> & { kind: string };

export const loadLines = (fixture: URL = FIXTURE): Line[] =>
  readFileSync(fixture, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Line);

export const entryLines = (lines: Line[]) => lines.filter((l) => l.kind === 'entry');
export const decoded = (line: Line) => decodeEntry(fromBase64(line.bytes));
/** Position (in `lines`) of the n-th entry of a type. */
export function find(lines: Line[], type: string, nth = 0): number {
  const positions = lines.flatMap((l, i) => (l.kind === 'entry' && decoded(l).type === type ? [i] : []));
  if (positions[nth] === undefined) throw new Error(`no ${type} #${nth} in the fixture`);
  return positions[nth];
}

/** Replaces an entry's body (re-encoded canonically; the chain link is fixed by `reseal`). */
export function setBody(line: Line, mutate: (body: any) => void): void {
  const bytes = fromBase64(line.bytes);
  const body = JSON.parse(new TextDecoder().decode(bytes.subarray(54)));
  mutate(body);
  const text = utf8(canonicalJson(body));
  const length = new Uint8Array(4);
  new DataView(length.buffer).setUint32(0, text.length, false);
  line.bytes = toBase64(concatBytes(bytes.subarray(0, 50), length, text));
}

/** Renumbers entries, relinks the chain, recomputes checkpoint roots and log signatures, fixes the end line. */
export function reseal(lines: Line[]): Line[] {
  const entries = entryLines(lines);
  let previous: Uint8Array = new Uint8Array(32);
  const leaves: Uint8Array[] = [];
  entries.forEach((line, i) => {
    const bytes = fromBase64(line.bytes);
    bytes.set(previous, 18);
    line.bytes = toBase64(bytes);
    line.index = String(i);
    previous = leafHash(bytes);
    leaves.push(previous);
  });
  for (const line of lines.filter((l) => l.kind === 'checkpoint')) {
    const note = parseNote(line.note);
    const checkpoint = parseCheckpoint(note.text);
    const size = checkpoint.size > BigInt(leaves.length) ? BigInt(leaves.length) : checkpoint.size;
    const text = `${checkpoint.origin}\n${size}\n${toBase64(treeRoot(leaves.slice(0, Number(size))))}\n`;
    const [logLine, ...cosignatures] = line.note.slice(line.note.lastIndexOf('\n\n') + 2, -1).split('\n');
    const keyId = fromBase64(logLine.split(' ')[2]).subarray(0, 4);
    const signature = ed25519.sign(utf8(text), LOG_SECRET);
    line.note = `${text}\n${logLine.split(' ').slice(0, 2).join(' ')} ${toBase64(concatBytes(keyId, signature))}\n${cosignatures.map((c: string) => `${c}\n`).join('')}`;
  }
  const end = lines.find((l) => l.kind === 'end')!;
  end.entries = String(entries.length);
  end.checkpoints = lines.filter((l) => l.kind === 'checkpoint').length;
  end.registryEntries = lines.filter((l) => l.kind === 'registry-entry').length;
  return lines;
}

/**
 * The fixture with another `ceremony` in its manifest: the fingerprint recomputed in ElectionDefined
 * and in every other entry (so the definition and sequence checks see a consistent election), resealed.
 * The trustees' proofs and the ballots were made for the real fingerprint, so their checks fail.
 */
export function withCeremony(ceremony: Record<string, unknown>): Line[] {
  const lines = loadLines();
  let fingerprint = '';
  setBody(lines[find(lines, 'ElectionDefined')]!, (b) => {
    b.manifest.ceremony = ceremony;
    b.fingerprint = fingerprint = toHex(fingerprintOf(b.manifest));
  });
  for (const line of entryLines(lines)) {
    const body = decoded(line).body as { fingerprint?: string; manifest?: unknown };
    if (body.fingerprint !== undefined && body.manifest === undefined) setBody(line, (b) => (b.fingerprint = fingerprint));
  }
  return reseal(lines);
}

export async function verifyLines(lines: Line[]): Promise<VerificationReport> {
  return verifyRecord(await parseRecord(lines.map((l) => JSON.stringify(l)).join('\n') + '\n'));
}

export async function verifyContractLines(lines: Line[]): Promise<VerificationReport> {
  return verifyContractRecordSource(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

export const failing = (report: VerificationReport): CheckId[] => report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
export const failuresOf = (report: VerificationReport, id: CheckId) => report.checks.find((c) => c.id === id)!.failures;
