import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createReceipt, MemoryTree } from '@townhall/ledger';

/** The verifier library's 5-voter record (packages/verifier/test/fixtures/README.md). */
export const FIXTURE_PATH = resolve(import.meta.dirname, '../../../../packages/verifier/test/fixtures/election-5-voters.record.jsonl');
export const fixtureText = (): string => readFileSync(FIXTURE_PATH, 'utf8');

/** In the fixture: entry 21 is superseded by entry 25 (same ballot key); entry 19 is a spoiled ballot. */
export const FIXTURE = {
  electionId: 'bde5bceb-b29d-4d62-b57f-943831ee6511',
  counted: { index: 20, trackingCode: 'cce2197c5385b90bbe1ea5058a6fb70e431a8c9ee0261dc7e4f130bc651e7685' },
  superseded: { index: 21, trackingCode: 'f1c6ece7ef4d7b06d47342f7fa305467616bec13ba8f951f188da80c9c2bc845' },
  spoiled: { index: 19, trackingCode: 'ce87e3aa1d9c2357b055a3563f15c459abb924782bcafb6448a9a29377382367' },
} as const;

/**
 * A receipt file as apps/voter saves it, for the ballot at `index`, proven against the fixture's
 * first checkpoint that covers it, made with the ledger package (the server's implementation), so
 * the app's check is tested against the other side.
 */
export async function receiptFor(text: string, index: number): Promise<Record<string, unknown>> {
  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const entries = lines.filter((l) => l.kind === 'entry').map((l) => new Uint8Array(Buffer.from(l.bytes as string, 'base64')));
  const keys = lines.find((l) => l.kind === 'keys') as { electionLog: { origin: string; verifierKey: string }; witnessPolicy: { quorum: number; witnesses: string[] } };
  const note = lines.filter((l) => l.kind === 'checkpoint').map((l) => l.note as string).find((n) => Number(n.split('\n')[1]) > index)!;
  const tree = new MemoryTree();
  for (const entry of entries.slice(0, Number(note.split('\n')[1]))) tree.appendEntry(entry);
  const entry = entries[index]!;
  const body = JSON.parse(Buffer.from(entry.subarray(54)).toString('utf8')) as { trackingCode: string; fingerprint: string };
  return {
    format: 'townhall/ballot-receipt',
    version: 1,
    electionId: FIXTURE.electionId,
    electionTitle: 'Mayor of Demo Borough',
    fingerprint: body.fingerprint,
    trackingCode: body.trackingCode,
    shortCode: body.trackingCode.slice(0, 10),
    ledgerIndex: String(index),
    leafHash: createHash('sha256').update(Uint8Array.of(0)).update(entry).digest('hex'),
    proof: await createReceipt(tree, index, note, { extra: entry }),
    ledger: { origin: keys.electionLog.origin, log: keys.electionLog.verifierKey, witnesses: keys.witnessPolicy.witnesses, quorum: keys.witnessPolicy.quorum },
  };
}
