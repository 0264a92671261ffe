import { equalBytes, toHex } from './bytes.ts';
import { decodeEntry, EntryError, type Entry } from './entry.ts';
import { leafHash, rootFromInclusionPath, treeRoot } from './merkle.ts';
import { parseCheckpoint, parseNote, parseVerifierKey, verifyCosignature, verifyLogSignature, type VerifierKey } from './note.ts';
import type { ElectionRecord } from './record.ts';
import type { CheckId, ReportBuilder } from './report.ts';

export interface LedgerOutcome {
  /** Decoded entries in record order (undefined where an entry did not decode). */
  entries: (Entry | undefined)[];
  /** Registry entries that are proven included in the signed registry checkpoint. */
  registry: Entry[];
}

function keyOrFail(report: ReportBuilder, id: CheckId, text: string, what: string): VerifierKey | undefined {
  try {
    return parseVerifierKey(text);
  } catch (error) {
    report.fail(id, `${what}: ${(error as Error).message}`, { key: text });
    return undefined;
  }
}

/** Checks a note's log signature and witness cosignatures against the record's keys and policy. */
function checkSignedNote(report: ReportBuilder, note: string, logKey: VerifierKey | undefined, witnessKeys: VerifierKey[], quorum: number, label: Record<string, unknown>, ids: { signature: CheckId; cosignatures: CheckId }) {
  const parsed = parseNote(note);
  report.count(ids.signature);
  if (logKey) {
    const valid = verifyLogSignature(parsed, logKey);
    if (valid === undefined) report.fail(ids.signature, 'no signature by the log key', { ...label, signers: parsed.signatures.map((s) => s.name) });
    else if (!valid) report.fail(ids.signature, 'the log signature does not verify', { ...label, key: logKey.text });
  }
  report.count(ids.cosignatures);
  let verified = 0;
  for (const key of witnessKeys) {
    const cosignature = verifyCosignature(parsed, key);
    if (cosignature === undefined) continue;
    // ledger.md §4.2: a known key's failing signature rejects the whole note.
    if (!cosignature.valid) report.fail(ids.cosignatures, `the cosignature of ${key.name} does not verify`, { ...label, witness: key.text });
    else verified++;
  }
  if (verified < quorum) report.fail(ids.cosignatures, `${verified} valid cosignature(s), the witness policy requires ${quorum}`, { ...label, required: quorum, verified });
  return parsed;
}

export function verifyLedger(record: ElectionRecord, report: ReportBuilder): LedgerOutcome {
  const keys = record.keys!;
  const logKey = keyOrFail(report, 'ledger.checkpoint-signatures', keys.electionLog.verifierKey, 'election log key');
  if (logKey && logKey.name !== keys.electionLog.origin) report.fail('ledger.checkpoint-signatures', 'the log key is not named after the log origin', { key: logKey.name, origin: keys.electionLog.origin });
  const witnessKeys = keys.witnessPolicy.witnesses.map((w) => keyOrFail(report, 'ledger.cosignatures', w, 'witness key')).filter((k): k is VerifierKey => k !== undefined);
  if (new Set(witnessKeys.map((k) => k.name)).size !== witnessKeys.length) report.fail('ledger.cosignatures', 'two witness keys share a name: the policy would count one witness twice');
  const quorum = keys.witnessPolicy.quorum;
  if (quorum === 0) report.note('ledger.cosignatures', 'The record’s witness policy requires no cosignature: nobody outside the deployment vouches for these checkpoints.');

  // Entries, chain and leaf hashes (ledger.md §2, §2.2).
  const entries: (Entry | undefined)[] = [];
  const leaves: Uint8Array[] = [];
  let expected: Uint8Array = new Uint8Array(32);
  record.entries.forEach((raw, i) => {
    report.count('ledger.entries');
    report.count('ledger.chain');
    if (raw.index !== BigInt(i)) report.fail('record.format', `entry line ${i} says index ${raw.index}`, { position: i, index: raw.index.toString() });
    const leaf = leafHash(raw.bytes);
    leaves.push(leaf);
    let entry: Entry | undefined;
    try {
      entry = decodeEntry(raw.bytes);
    } catch (error) {
      report.fail('ledger.entries', `entry ${i}: ${error instanceof EntryError ? error.code : 'MALFORMED_ENTRY'} ${(error as Error).message}`, { index: i });
    }
    entries.push(entry);
    if (entry && !equalBytes(entry.previousHash, expected)) {
      report.fail('ledger.chain', `CHAIN_BROKEN at entry ${i}`, { index: i, expected: toHex(expected), found: toHex(entry.previousHash) });
    }
    expected = leaf;
  });

  // Checkpoints: signature, cosignatures, root of the prefix, growth (RFC 9162; ledger.md §4).
  let previousSize = -1n;
  let lastSize = 0n;
  for (const [i, note] of record.checkpoints.entries()) {
    let checkpoint;
    try {
      const parsed = checkSignedNote(report, note, logKey, witnessKeys, quorum, { checkpoint: i }, { signature: 'ledger.checkpoint-signatures', cosignatures: 'ledger.cosignatures' });
      checkpoint = parseCheckpoint(parsed.text);
    } catch (error) {
      report.fail('ledger.checkpoint-signatures', `checkpoint ${i} is malformed: ${(error as Error).message}`, { checkpoint: i });
      continue;
    }
    if (checkpoint.origin !== keys.electionLog.origin) report.fail('ledger.checkpoint-signatures', `checkpoint ${i} names another origin`, { checkpoint: i, expected: keys.electionLog.origin, found: checkpoint.origin });
    report.count('ledger.consistency');
    if (checkpoint.size <= previousSize) report.fail('ledger.consistency', `checkpoint ${i} does not grow the log`, { checkpoint: i, previousSize: previousSize.toString(), size: checkpoint.size.toString() });
    previousSize = checkpoint.size;
    lastSize = checkpoint.size;
    report.count('ledger.checkpoint-roots');
    if (checkpoint.size > BigInt(leaves.length)) {
      report.fail('ledger.checkpoint-roots', `checkpoint ${i} covers ${checkpoint.size} entries but the record has ${leaves.length}`, { checkpoint: i, size: checkpoint.size.toString(), entries: leaves.length });
      continue;
    }
    const computed = treeRoot(leaves.slice(0, Number(checkpoint.size)));
    if (!equalBytes(computed, checkpoint.root)) {
      report.fail('ledger.checkpoint-roots', `ROOT_MISMATCH at checkpoint ${i} (size ${checkpoint.size})`, { checkpoint: i, size: checkpoint.size.toString(), expected: toHex(checkpoint.root), computed: toHex(computed) });
    }
  }
  if (record.checkpoints.length === 0) report.fail('ledger.consistency', 'the record has no published checkpoint');
  else if (lastSize !== BigInt(leaves.length)) {
    report.fail('ledger.consistency', `the last checkpoint covers ${lastSize} entries, the record has ${leaves.length}: entries beyond it are not vouched for`, { checkpointSize: lastSize.toString(), entries: leaves.length });
  }
  if (record.checkpoints.length > 1) report.note('ledger.consistency', 'Consistency follows from recomputing every checkpoint’s root over the same entries: each earlier tree is a prefix of the later one.');

  // Registry entries: inclusion in one signed, witnessed registry checkpoint.
  const registry: Entry[] = [];
  if (!record.registryCheckpoint) {
    report.skip('registry.inclusion', 'The record carries no registry checkpoint.');
    return { entries, registry };
  }
  const registryKey = keyOrFail(report, 'registry.inclusion', keys.registryLog.verifierKey, 'registry log key');
  let registryCheckpoint;
  try {
    const parsed = checkSignedNote(report, record.registryCheckpoint, registryKey, witnessKeys, quorum, { registryCheckpoint: true }, { signature: 'registry.inclusion', cosignatures: 'registry.inclusion' });
    registryCheckpoint = parseCheckpoint(parsed.text);
    if (registryCheckpoint.origin !== keys.registryLog.origin) report.fail('registry.inclusion', 'the registry checkpoint names another origin', { expected: keys.registryLog.origin, found: registryCheckpoint.origin });
  } catch (error) {
    report.fail('registry.inclusion', `the registry checkpoint is malformed: ${(error as Error).message}`);
    return { entries, registry };
  }
  for (const raw of record.registryEntries) {
    report.count('registry.inclusion');
    const root = rootFromInclusionPath(leafHash(raw.bytes), raw.index, registryCheckpoint.size, raw.proof);
    if (!root || !equalBytes(root, registryCheckpoint.root)) {
      report.fail('registry.inclusion', `registry entry ${raw.index} is not included in the registry checkpoint`, { index: raw.index.toString(), expected: toHex(registryCheckpoint.root), computed: root ? toHex(root) : null });
      continue;
    }
    try {
      registry.push(decodeEntry(raw.bytes));
    } catch (error) {
      report.fail('registry.inclusion', `registry entry ${raw.index} does not decode: ${(error as Error).message}`, { index: raw.index.toString() });
    }
  }
  return { entries, registry };
}
