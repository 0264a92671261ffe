import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createReceipt, MemoryTree } from '@townhall/ledger';

/** The verifier library's 5-voter record (packages/verifier/test/fixtures/README.md). */
export const FIXTURE_PATH = resolve(import.meta.dirname, '../../../../packages/verifier/test/fixtures/election-5-voters.record.jsonl');
export const fixtureText = (): string => readFileSync(FIXTURE_PATH, 'utf8');

/** In the fixture: entry 21 is superseded by entry 25 (same ballot key); entry 19 is a spoiled ballot. */
export const FIXTURE = {
  electionId: 'ad5850fb-2c12-43cf-b84b-82e38563262e',
  counted: { index: 20, trackingCode: '2c37d7644b3c5abe3369ed14089fe72d0eabe47e153ca68f9273bef8943b43f9' },
  superseded: { index: 21, trackingCode: 'b17ff1392bffefb53116e2e53047dca90b5fa1dc1d362743949d54dd79866845' },
  spoiled: { index: 19, trackingCode: '5aeea99464fcb87e4c12ef8d50e4a054c1ebdfc421eb9225f1c8293acc1df727' },
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
