import { sha256 } from './hash.ts';
import { concatBytes, equalBytes, toHex, utf8 } from './bytes.ts';
import { decodeEntry, EntryError, type Entry } from './entry.ts';
import { LeafStore, leafHash, MerkleFrontier, rootFromInclusionPath } from './merkle.ts';
import { checkCosignature, checkLogSignature, parseCheckpoint, parseNote, parseVerifierKey, type Checkpoint, type VerifierKey } from './note.ts';
import type { CheckId, ReportBuilder } from './report.ts';

/**
 * The log checks of record.md §4 (entries, chain, checkpoints, signatures, registry), one line at a
 * time. Memory: 32 bytes per entry (the leaf hashes, for the checkpoint roots that follow the
 * entries in the record) and nothing per checkpoint.
 *
 * Two reports: `report` collects what the saved state carries forward (per entry, per checkpoint);
 * `local` collects what is recomputed on every run from the whole record (the registry, the end).
 */

/** What a later run needs to go on from here (JSON). */
export interface LedgerState {
  /** Entries checked, and the RFC 9162 root they hash to (hex): the resumed prefix must still hash to it. */
  readonly entries: number;
  readonly root: string;
  /** Checkpoints checked, a running hash of their notes (hex), and the size of the last one. */
  readonly checkpoints: number;
  readonly checkpointsDigest: string;
  readonly lastCheckpointSize: string;
}

/** The `keys` line of a record, whatever log it is of (record.md §2): the log's and the registry's keys, the witness policy. */
export interface LogKeys {
  readonly log: { readonly origin: string; readonly verifierKey: string };
  readonly registryLog: { readonly origin: string; readonly verifierKey: string };
  readonly witnessPolicy: { readonly quorum: number; readonly witnesses: readonly string[] };
}

const ZERO_HASH = new Uint8Array(32);

function keyOrFail(report: ReportBuilder, id: CheckId, text: string, what: string): VerifierKey | undefined {
  try {
    return parseVerifierKey(text);
  } catch (error) {
    report.fail(id, `${what}: ${(error as Error).message}`, { key: text });
    return undefined;
  }
}

export class LedgerStream {
  readonly leaves = new LeafStore();
  readonly #keys: LogKeys;
  readonly #report: ReportBuilder;
  readonly #local: ReportBuilder;
  readonly #resume: LedgerState | undefined;
  readonly #logKey: VerifierKey | undefined;
  readonly #witnessKeys: VerifierKey[];
  readonly #pending: Promise<void>[] = [];
  readonly #frontier = new MerkleFrontier();
  #checkpoints = 0;
  #checkpointsDigest: Uint8Array = ZERO_HASH;
  #previousSize = -1n;
  #prefixChecked = false;
  #prefixMatches = true;
  #registryCheckpoint: Checkpoint | undefined;
  #registryCheckpointSeen = false;

  constructor(keys: LogKeys, report: ReportBuilder, local: ReportBuilder, resume?: LedgerState) {
    this.#keys = keys;
    this.#report = report;
    this.#local = local;
    this.#resume = resume;
    if (resume) this.#previousSize = BigInt(resume.lastCheckpointSize);
    if (resume?.entries === 0) this.#prefixChecked = true;
    // The keys are read on every run (a resumed run reads the same keys line, state.ts checks it).
    this.#logKey = keyOrFail(local, 'ledger.checkpoint-signatures', keys.log.verifierKey, 'log key');
    if (this.#logKey && this.#logKey.name !== keys.log.origin) local.fail('ledger.checkpoint-signatures', 'the log key is not named after the log origin', { key: this.#logKey.name, origin: keys.log.origin });
    this.#witnessKeys = keys.witnessPolicy.witnesses.map((w) => keyOrFail(local, 'ledger.cosignatures', w, 'witness key')).filter((k): k is VerifierKey => k !== undefined);
    if (new Set(this.#witnessKeys.map((k) => k.name)).size !== this.#witnessKeys.length) local.fail('ledger.cosignatures', 'two witness keys share a name: the policy would count one witness twice');
    if (keys.witnessPolicy.quorum === 0) local.note('ledger.cosignatures', 'The record’s witness policy requires no cosignature: nobody outside the deployment vouches for these checkpoints.');
  }

  get resumedEntries(): number {
    return this.#resume?.entries ?? 0;
  }

  /** ledger.md §2, §2.2: hashes every entry; decodes and checks the chain of those not checked before. */
  entry(index: bigint, bytes: Uint8Array): Entry | undefined {
    const i = this.leaves.count;
    if (index !== BigInt(i)) this.#local.fail('record.format', `entry line ${i} says index ${index}`, { position: i, index: index.toString() });
    const leaf = leafHash(bytes);
    this.leaves.push(leaf);
    if (i < this.resumedEntries) {
      if (i === this.resumedEntries - 1) this.#checkPrefix();
      return undefined;
    }
    this.#report.count('ledger.entries');
    this.#report.count('ledger.chain');
    let entry: Entry | undefined;
    try {
      entry = decodeEntry(bytes);
    } catch (error) {
      this.#report.fail('ledger.entries', `entry ${i}: ${error instanceof EntryError ? error.code : 'MALFORMED_ENTRY'} ${(error as Error).message}`, { index: i });
      return undefined;
    }
    const expected = i === 0 ? ZERO_HASH : this.leaves.at(i - 1);
    if (!equalBytes(entry.previousHash, expected)) this.#report.fail('ledger.chain', `CHAIN_BROKEN at entry ${i}`, { index: i, expected: toHex(expected), found: toHex(entry.previousHash) });
    return entry;
  }

  /** Resuming: the entries checked before must hash to the root saved then (a rewritten history does not). */
  #checkPrefix(): void {
    if (this.#prefixChecked || !this.#resume) return;
    this.#prefixChecked = true;
    const computed = toHex(this.leaves.rootOf(this.#resume.entries));
    if (computed !== this.#resume.root) {
      this.#prefixMatches = false;
      this.#local.fail('ledger.consistency', `RESUME_PREFIX_MISMATCH: the first ${this.#resume.entries} entries no longer hash to the root checked before: the log's history was rewritten`, {
        size: String(this.#resume.entries),
        expected: this.#resume.root,
        computed,
      });
    }
  }

  get prefixIntact(): boolean {
    return !this.#resume || (this.#prefixChecked && this.#prefixMatches);
  }

  /** ledger.md §4: signature, cosignatures, growth and root of one checkpoint. */
  checkpoint(note: string): void {
    const position = this.#checkpoints++;
    const resumed = this.#resume?.checkpoints ?? 0;
    if (position < resumed) {
      this.#checkpointsDigest = sha256(concatBytes(this.#checkpointsDigest, sha256(utf8(note))));
      if (position === resumed - 1 && toHex(this.#checkpointsDigest) !== this.#resume!.checkpointsDigest) {
        this.#prefixMatches = false;
        this.#local.fail('ledger.consistency', `RESUME_CHECKPOINTS_CHANGED: the first ${resumed} checkpoints are not those checked before`, { checkpoint: position });
      }
      return;
    }
    this.#checkpointsDigest = sha256(concatBytes(this.#checkpointsDigest, sha256(utf8(note))));
    const report = this.#report;
    let checkpoint: Checkpoint;
    try {
      const parsed = this.#checkSignedNote(report, note, this.#logKey, { checkpoint: position }, { signature: 'ledger.checkpoint-signatures', cosignatures: 'ledger.cosignatures' });
      checkpoint = parseCheckpoint(parsed.text);
    } catch (error) {
      report.fail('ledger.checkpoint-signatures', `checkpoint ${position} is malformed: ${(error as Error).message}`, { checkpoint: position });
      return;
    }
    const origin = this.#keys.log.origin;
    if (checkpoint.origin !== origin) report.fail('ledger.checkpoint-signatures', `checkpoint ${position} names another origin`, { checkpoint: position, expected: origin, found: checkpoint.origin });
    report.count('ledger.consistency');
    if (checkpoint.size <= this.#previousSize) report.fail('ledger.consistency', `checkpoint ${position} does not grow the log`, { checkpoint: position, previousSize: this.#previousSize.toString(), size: checkpoint.size.toString() });
    this.#previousSize = checkpoint.size;
    report.count('ledger.checkpoint-roots');
    const entries = this.leaves.count;
    if (checkpoint.size > BigInt(entries)) {
      report.fail('ledger.checkpoint-roots', `checkpoint ${position} covers ${checkpoint.size} entries but the record has ${entries}`, { checkpoint: position, size: checkpoint.size.toString(), entries });
      return;
    }
    const size = Number(checkpoint.size);
    let computed: Uint8Array;
    if (size >= this.#frontier.size) {
      while (this.#frontier.size < size) this.#frontier.push(this.leaves.at(this.#frontier.size));
      computed = this.#frontier.root();
    } else computed = this.leaves.rootOf(size); // a checkpoint that shrinks the log: already a failure
    if (!equalBytes(computed, checkpoint.root)) {
      report.fail('ledger.checkpoint-roots', `ROOT_MISMATCH at checkpoint ${position} (size ${checkpoint.size})`, { checkpoint: position, size: checkpoint.size.toString(), expected: toHex(checkpoint.root), computed: toHex(computed) });
    }
  }

  /** Checks a note's log signature and witness cosignatures against the record's keys and policy. */
  #checkSignedNote(report: ReportBuilder, note: string, logKey: VerifierKey | undefined, label: Record<string, unknown>, ids: { signature: CheckId; cosignatures: CheckId }) {
    const parsed = parseNote(note);
    const quorum = this.#keys.witnessPolicy.quorum;
    report.count(ids.signature);
    report.count(ids.cosignatures);
    const work = async () => {
      if (logKey) {
        const valid = await checkLogSignature(parsed, logKey);
        if (valid === undefined) report.fail(ids.signature, 'no signature by the log key', { ...label, signers: parsed.signatures.map((s) => s.name) });
        else if (!valid) report.fail(ids.signature, 'the log signature does not verify', { ...label, key: logKey.text });
      }
      let verified = 0;
      for (const key of this.#witnessKeys) {
        const cosignature = await checkCosignature(parsed, key);
        if (cosignature === undefined) continue;
        // ledger.md §4.2: a known key's failing signature rejects the whole note.
        if (!cosignature.valid) report.fail(ids.cosignatures, `the cosignature of ${key.name} does not verify`, { ...label, witness: key.text });
        else verified++;
      }
      if (verified < quorum) report.fail(ids.cosignatures, `${verified} valid cosignature(s), the witness policy requires ${quorum}`, { ...label, required: quorum, verified });
    };
    this.#pending.push(work());
    return parsed;
  }

  /** Waits for the signature checks started so far (they run concurrently, WebCrypto is asynchronous). */
  async settle(): Promise<void> {
    while (this.#pending.length > 0) await Promise.all(this.#pending.splice(0));
  }

  registryCheckpoint(note: string): void {
    this.#registryCheckpointSeen = true;
    const registryKey = keyOrFail(this.#local, 'registry.inclusion', this.#keys.registryLog.verifierKey, 'registry log key');
    try {
      const parsed = this.#checkSignedNote(this.#local, note, registryKey, { registryCheckpoint: true }, { signature: 'registry.inclusion', cosignatures: 'registry.inclusion' });
      this.#registryCheckpoint = parseCheckpoint(parsed.text);
      if (this.#registryCheckpoint.origin !== this.#keys.registryLog.origin) this.#local.fail('registry.inclusion', 'the registry checkpoint names another origin', { expected: this.#keys.registryLog.origin, found: this.#registryCheckpoint.origin });
    } catch (error) {
      this.#local.fail('registry.inclusion', `the registry checkpoint is malformed: ${(error as Error).message}`);
    }
  }

  /** A registry entry proven included in the registry checkpoint (ledger.md §3.2), or undefined. */
  registryEntry(index: bigint, bytes: Uint8Array, proof: Uint8Array[]): Entry | undefined {
    const checkpoint = this.#registryCheckpoint;
    if (!checkpoint) {
      if (this.#registryCheckpointSeen) return undefined; // the malformed checkpoint is reported
      this.#local.fail('registry.inclusion', `registry entry ${index} comes without a registry checkpoint`, { index: index.toString() });
      return undefined;
    }
    this.#local.count('registry.inclusion');
    const root = rootFromInclusionPath(leafHash(bytes), index, checkpoint.size, proof);
    if (!root || !equalBytes(root, checkpoint.root)) {
      this.#local.fail('registry.inclusion', `registry entry ${index} is not included in the registry checkpoint`, { index: index.toString(), expected: toHex(checkpoint.root), computed: root ? toHex(root) : null });
      return undefined;
    }
    try {
      return decodeEntry(bytes);
    } catch (error) {
      this.#local.fail('registry.inclusion', `registry entry ${index} does not decode: ${(error as Error).message}`, { index: index.toString() });
      return undefined;
    }
  }

  /** The checks that need the whole record; returns the state to resume from (or the old one if the prefix failed). */
  async finish(): Promise<LedgerState | undefined> {
    await this.settle();
    const entries = this.leaves.count;
    const local = this.#local;
    if (this.#resume && entries < this.#resume.entries) {
      this.#prefixMatches = false;
      local.fail('ledger.consistency', `RESUME_PREFIX_MISMATCH: the record has ${entries} entries, fewer than the ${this.#resume.entries} checked before`, { size: String(this.#resume.entries), entries });
    }
    if (this.#resume && this.#checkpoints < this.#resume.checkpoints) {
      this.#prefixMatches = false;
      local.fail('ledger.consistency', `RESUME_CHECKPOINTS_CHANGED: the record has ${this.#checkpoints} checkpoints, fewer than the ${this.#resume.checkpoints} checked before`, { checkpoints: this.#checkpoints });
    }
    if (this.#checkpoints === 0) local.fail('ledger.consistency', 'the record has no published checkpoint');
    else if (this.#previousSize !== BigInt(entries)) {
      local.fail('ledger.consistency', `the last checkpoint covers ${this.#previousSize} entries, the record has ${entries}: entries beyond it are not vouched for`, { checkpointSize: this.#previousSize.toString(), entries });
    }
    if (this.#checkpoints > 1) local.note('ledger.consistency', 'Consistency follows from recomputing every checkpoint’s root over the same entries: each earlier tree is a prefix of the later one.');
    if (!this.#registryCheckpointSeen) local.skip('registry.inclusion', 'The record carries no registry checkpoint.');
    if (this.#resume && !this.prefixIntact) return this.#resume;
    return {
      entries,
      root: toHex(this.leaves.rootOf(entries)),
      checkpoints: this.#checkpoints,
      checkpointsDigest: toHex(this.#checkpointsDigest),
      lastCheckpointSize: this.#previousSize.toString(),
    };
  }
}

