// C2SP tlog-witness add-checkpoint: the request body, and every answer of the decision function.
import { describe, expect, test } from 'vitest';
import {
  MemoryTree,
  TLOG_SIZE_CONTENT_TYPE,
  addSignatures,
  decideAddCheckpoint,
  encodeBase64,
  formatAddCheckpointRequest,
  formatVerifierKey,
  generateConsistencyProof,
  parseAddCheckpointRequest,
  parseNote,
  parseVerifierKey,
  verifyReceipt,
  createReceipt,
  type WitnessLogState,
  type WitnessedLog,
} from '../src/index.ts';
import { IMPOSTOR_SIGNER, ORIGIN, LOG_SIGNER, WITNESS_SIGNERS, buildFixtureLog, publishCheckpoint } from '../scripts/fixtures.ts';
import { expectLedgerError, readVector } from './helpers.ts';

const logKeys = [parseVerifierKey(formatVerifierKey(LOG_SIGNER))];
const witness = WITNESS_SIGNERS[0]!;

function treeOfFirst(entries: Uint8Array[], n: number): MemoryTree {
  const t = new MemoryTree();
  entries.slice(0, n).forEach((e) => t.appendEntry(e));
  return t;
}

describe('add-checkpoint request body', () => {
  test('the spec example parses and formats back byte for byte', () => {
    const body = readVector('c2sp/tlog-witness-request-example.txt');
    const request = parseAddCheckpointRequest(body);
    expect(request.oldSize).toBe(20852014n);
    expect(request.proof.map(encodeBase64)).toEqual([
      'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=',
      'jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=',
      '5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=',
      '/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=',
    ]);
    expect(parseNote(request.checkpointNote).signatures).toHaveLength(2);
    expect(formatAddCheckpointRequest(request)).toBe(body);
    expect(parseAddCheckpointRequest(new TextEncoder().encode(body)).oldSize).toBe(20852014n);
  });

  test('the spec example response is note signature lines that attach to the checkpoint', () => {
    const checkpoint = readVector('c2sp/tlog-checkpoint-example.txt');
    const response = readVector('c2sp/tlog-witness-response-example.txt');
    const combined = parseNote(checkpoint + response);
    expect(combined.signatures.map((s) => s.name)).toEqual(['example.com/behind-the-sofa', 'witness.example/w1', 'witness.example/w1', 'witness.example/w2']);
  });

  test('malformed bodies are MALFORMED_REQUEST', async () => {
    const body = readVector('c2sp/tlog-witness-request-example.txt');
    const proofLine = 'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n';
    for (const bad of [
      body.replace('old 20852014', 'old 020852014'),
      body.replace('old 20852014', 'old -1'),
      body.replace('old 20852014', 'Old 20852014'),
      body.replace('old 20852014\n', ''),
      body.replace(proofLine, 'PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpk\n'),
      body.replace(proofLine, proofLine.repeat(61)),
      body.replace('\n\nexample.com', '\nexample.com'),
      body.slice(0, -1),
    ]) {
      await expectLedgerError(() => parseAddCheckpointRequest(bad), 'MALFORMED_REQUEST');
    }
  });
});

describe('decideAddCheckpoint', () => {
  const { entries, tree } = buildFixtureLog();
  const tree5 = treeOfFirst(entries, 5);
  const state5: WitnessLogState = { size: 5n, rootHash: tree5.root() };
  const note13 = publishCheckpoint(tree, 0);

  const decide = async (body: string, state: WitnessLogState | null, known: WitnessedLog['logKeys'] = logKeys) =>
    decideAddCheckpoint({
      body,
      lookupLog: (origin) => (origin === ORIGIN ? { logKeys: known, state } : undefined),
      cosigners: [witness],
      timestamp: 1767225600n,
    });

  test('200: consistent checkpoint is cosigned and the new state returned', async () => {
    const body = formatAddCheckpointRequest({ oldSize: 5n, proof: await generateConsistencyProof(tree, 5, 13), checkpointNote: note13 });
    const decision = await decide(body, state5);
    expect(decision.status).toBe(200);
    if (decision.status !== 200) return;
    expect(decision.newState.size).toBe(13n);
    expect(encodeBase64(decision.newState.rootHash)).toBe(encodeBase64(tree.root()));
    expect(decision.body).toMatch(/^\u2014 witness\.north\.example\/w1 [A-Za-z0-9+/]+=*\n$/);
    // The response attaches to the checkpoint and verifies as a cosignature.
    const cosigned = addSignatures(note13, parseNote(`${parseNote(note13).text}\n${decision.body}`).signatures);
    const receipt = await createReceipt(tree, 2, cosigned);
    const verified = verifyReceipt(receipt, { origin: ORIGIN, logKeys, policy: { witnesses: [parseVerifierKey(formatVerifierKey(witness))], threshold: 1 }, entry: entries[2]! });
    expect(verified.cosignatures[0]!.timestamp).toBe(1767225600n);
  });

  test('200: first contact with old size 0 and an empty proof', async () => {
    const decision = await decide(formatAddCheckpointRequest({ oldSize: 0n, proof: [], checkpointNote: note13 }), null);
    expect(decision.status).toBe(200);
  });

  test('200: the same checkpoint again is cosigned again', async () => {
    const decision = await decide(formatAddCheckpointRequest({ oldSize: 13n, proof: [], checkpointNote: note13 }), { size: 13n, rootHash: tree.root() });
    expect(decision.status).toBe(200);
  });

  test('404: unknown origin', async () => {
    const note = publishCheckpoint(tree, 0).replace(ORIGIN, 'elsewhere.example/log');
    const decision = await decide(formatAddCheckpointRequest({ oldSize: 0n, proof: [], checkpointNote: note }), null);
    expect(decision.status).toBe(404);
  });

  test('403: no signature from a trusted log key, or a bad one', async () => {
    const impostor = publishCheckpoint(tree, 0, IMPOSTOR_SIGNER);
    expect((await decide(formatAddCheckpointRequest({ oldSize: 0n, proof: [], checkpointNote: impostor }), null)).status).toBe(403);
    const forged = note13.replace('\n13\n', '\n14\n');
    const decision = await decide(formatAddCheckpointRequest({ oldSize: 0n, proof: [], checkpointNote: forged }), null);
    expect(decision.status).toBe(403);
    if (decision.status === 403) expect(decision.error.code).toBe('BAD_SIGNATURE');
  });

  test('409: old size is not the stored size; the body is the stored size', async () => {
    const body = formatAddCheckpointRequest({ oldSize: 4n, proof: await generateConsistencyProof(tree, 4, 13), checkpointNote: note13 });
    const decision = await decide(body, state5);
    expect(decision).toMatchObject({ status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: '5\n' });
    const first = await decide(body, null);
    expect(first).toMatchObject({ status: 409, body: '0\n' });
  });

  test('409: same size, different root (the log equivocated) — with both checkpoints as evidence', async () => {
    const other = treeOfFirst(entries, 12);
    other.appendEntry(new TextEncoder().encode('a different 13th entry'));
    const equivocation = publishCheckpoint(other, 0);
    const decision = await decide(formatAddCheckpointRequest({ oldSize: 13n, proof: [], checkpointNote: equivocation }), { size: 13n, rootHash: tree.root() });
    expect(decision.status).toBe(409);
    if (decision.status !== 409) return;
    expect(decision.error.code).toBe('INCONSISTENT_CHECKPOINTS');
    expect(decision.error.evidence).toEqual({ older: parseNote(note13).text, newer: parseNote(equivocation).text });
  });

  test('422: the consistency proof does not verify', async () => {
    const proof = await generateConsistencyProof(tree, 5, 13);
    const flipped = proof.map((h, i) => (i === 1 ? h.map((b, j) => (j === 0 ? b ^ 1 : b)) : h));
    expect((await decide(formatAddCheckpointRequest({ oldSize: 5n, proof: flipped, checkpointNote: note13 }), state5)).status).toBe(422);
    expect((await decide(formatAddCheckpointRequest({ oldSize: 5n, proof: proof.slice(1), checkpointNote: note13 }), state5)).status).toBe(422);
    expect((await decide(formatAddCheckpointRequest({ oldSize: 0n, proof, checkpointNote: note13 }), null)).status).toBe(422);
    // A fork: the witness saw a different size-5 tree.
    const fork = treeOfFirst(entries, 4);
    fork.appendEntry(new TextEncoder().encode('forked'));
    const decision = await decide(formatAddCheckpointRequest({ oldSize: 5n, proof, checkpointNote: note13 }), { size: 5n, rootHash: fork.root() });
    expect(decision.status).toBe(422);
    if (decision.status === 422) expect(decision.error.code).toBe('ROOT_MISMATCH');
  });

  test('400: malformed body, or old size above the checkpoint size', async () => {
    expect((await decide('old 1\n\nnot a note\n', null)).status).toBe(400);
    const notACheckpoint = `${parseNote(note13).text.split('\n')[0]}\n\n${note13.slice(note13.indexOf('\u2014'))}`;
    expect((await decide(`old 0\n\n${notACheckpoint}`, null)).status).toBe(400);
    const decision = await decide(formatAddCheckpointRequest({ oldSize: 14n, proof: [], checkpointNote: note13 }), state5);
    expect(decision.status).toBe(400);
  });
});
