/**
 * Ballot encryption, one-by-one verification and Benaloh audit (docs/protocol/crypto.md §5–§6).
 *
 * A ballot has, for every contest of the manifest in manifest order and every option in option
 * order, an exponential-ElGamal ciphertext of 0 or 1 with a selection proof, and per contest a
 * range proof that the aggregate encrypts a count in [minSelections, maxSelections].
 */
import type { z } from 'zod';
import { sha256 } from '@noble/hashes/sha2.js';
import { CryptoError, type CryptoErrorCode } from '../errors.ts';
import {
  assertBytes,
  assertPoint,
  assertScalar,
  POINT_LENGTH,
  cachedFixedBase,
  fromHex,
  randomScalar,
  scalarAdd,
  scalarFromHex,
  scalarToHex,
  toHex,
  type Point,
  type RandomSource,
  type Scalar,
} from '../group.ts';
import { FINGERPRINT_LENGTH, lengthPrefixed, u32be, utf8 } from '../transcript.ts';
import { assertCiphertext, decodeCiphertext, encodeCiphertext, encrypt, sumCiphertexts, type Ciphertext } from '../elgamal/elgamal.ts';
import {
  CONTEST_RANGE_PROOF_TAG,
  DISJUNCTIVE_BRANCH_LENGTH,
  SELECTION_PROOF_TAG,
  MAX_DISJUNCTIVE_BRANCHES,
  assertDisjunctiveProof,
  decodeDisjunctiveProof,
  encodeDisjunctiveProof,
  encryptedValueEquations,
  proveEncryptedValue,
  type DisjunctiveProof,
} from '../proofs/disjunctive.ts';
import { isEquationSatisfied, type LinearEquation } from '../proofs/equation.ts';
import { assertObject, assertRandomSource } from '../proofs/common.ts';
import {
  AuditSecretsWireSchema,
  BALLOT_VERSION,
  MAX_CONTESTS,
  MAX_OPTIONS,
  BallotManifestSchema,
  BallotWireSchema,
  ChoicesSchema,
  type AuditSecretsWire,
  type BallotManifest,
  type BallotWire,
  type Choices,
  type Contest,
} from './schema.ts';

export interface EncryptedSelection {
  readonly optionId: string;
  readonly ciphertext: Ciphertext;
  readonly proof: DisjunctiveProof;
}

export interface EncryptedContest {
  readonly contestId: string;
  readonly selections: readonly EncryptedSelection[];
  readonly rangeProof: DisjunctiveProof;
}

export interface EncryptedBallot {
  readonly version: typeof BALLOT_VERSION;
  readonly contests: readonly EncryptedContest[];
}

/** What a voter's device keeps to open a spoiled ballot (Benaloh challenge). Secret until spoiled. */
export interface AuditSecrets {
  readonly version: typeof BALLOT_VERSION;
  readonly contests: readonly {
    readonly contestId: string;
    readonly selections: readonly { readonly optionId: string; readonly value: number; readonly randomness: Scalar }[];
  }[];
}

// ---------------------------------------------------------------------------------------------
// Validation helpers

function parseWith<S extends z.ZodType>(schema: S, value: unknown, code: CryptoErrorCode, root: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  throw new CryptoError(code, `${root}${path}`, issue.message);
}

export function parseManifest(value: unknown): BallotManifest {
  return parseWith(BallotManifestSchema, value, 'INVALID_MANIFEST', 'manifest');
}

function assertFingerprint(fingerprint: unknown): Uint8Array {
  return assertBytes(fingerprint, 'fingerprint', FINGERPRINT_LENGTH);
}

export function selectionContext(contestId: string, optionId: string): string {
  return `ballot/${contestId}/${optionId}`;
}

export function contestContext(contestId: string): string {
  return `ballot/${contestId}`;
}

export function contestRange(contest: Contest): number[] {
  const values: number[] = [];
  for (let v = contest.minSelections; v <= contest.maxSelections; v++) values.push(v);
  return values;
}

/** Checks the voter's choices against the manifest and returns the 0/1 value of every option. */
function choiceValues(manifest: BallotManifest, choices: unknown): number[][] {
  const parsed = parseWith(ChoicesSchema, choices, 'INVALID_CHOICES', 'choices');
  for (const contestId of Object.keys(parsed)) {
    if (!manifest.contests.some((c) => c.id === contestId)) {
      throw new CryptoError('INVALID_CHOICES', `choices.${contestId}`, 'no such contest in the manifest');
    }
  }
  return manifest.contests.map((contest) => {
    const selected = parsed[contest.id] ?? [];
    const field = `choices.${contest.id}`;
    if (new Set(selected).size !== selected.length) throw new CryptoError('INVALID_CHOICES', field, 'an option is selected twice');
    for (const optionId of selected) {
      if (!contest.options.some((o) => o.id === optionId)) throw new CryptoError('INVALID_CHOICES', field, `no option ${optionId}`);
    }
    if (selected.length < contest.minSelections || selected.length > contest.maxSelections) {
      throw new CryptoError('INVALID_CHOICES', field, `select between ${contest.minSelections} and ${contest.maxSelections} options`);
    }
    return contest.options.map((o) => (selected.includes(o.id) ? 1 : 0));
  });
}

const IDENTIFIER = /^[A-Za-z0-9_-]{1,64}$/;

function assertList(value: unknown, field: string, max: number): readonly unknown[] {
  if (!Array.isArray(value)) throw new CryptoError('INVALID_TYPE', field, 'expected an array');
  if (value.length === 0 || value.length > max) throw new CryptoError('INVALID_LENGTH', field, `expected 1 to ${max} entries`);
  return value;
}

function assertIdentifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) throw new CryptoError('INVALID_BALLOT', field, 'expected an identifier');
  return value;
}

/** Checks the in-memory shape of a ballot (types, lengths, proof sizes), without a manifest. */
export function assertEncryptedBallot(value: unknown, field = 'ballot'): EncryptedBallot {
  const ballot = assertObject(value, field);
  if (ballot.version !== BALLOT_VERSION) throw new CryptoError('INVALID_BALLOT', `${field}.version`, `expected version ${BALLOT_VERSION}`);
  assertList(ballot.contests, `${field}.contests`, MAX_CONTESTS).forEach((c, ci) => {
    const name = `${field}.contests[${ci}]`;
    const contest = assertObject(c, name);
    assertIdentifier(contest.contestId, `${name}.contestId`);
    assertList(contest.selections, `${name}.selections`, MAX_OPTIONS).forEach((s, oi) => {
      const selectionName = `${name}.selections[${oi}]`;
      const selection = assertObject(s, selectionName);
      assertIdentifier(selection.optionId, `${selectionName}.optionId`);
      assertCiphertext(selection.ciphertext, `${selectionName}.ciphertext`);
      assertDisjunctiveProof(selection.proof, 2, `${selectionName}.proof`);
    });
    const range = assertObject(contest.rangeProof, `${name}.rangeProof`);
    const count = Array.isArray(range.branches) ? range.branches.length : 0;
    if (count < 1 || count > MAX_DISJUNCTIVE_BRANCHES) throw new CryptoError('INVALID_LENGTH', `${name}.rangeProof.branches`, 'bad branch count');
    assertDisjunctiveProof(range, count, `${name}.rangeProof`);
  });
  return value as EncryptedBallot;
}

/** Checks the in-memory shape of audit secrets. */
export function assertAuditSecrets(value: unknown, field = 'secrets'): AuditSecrets {
  const secrets = assertObject(value, field);
  if (secrets.version !== BALLOT_VERSION) throw new CryptoError('INVALID_BALLOT', `${field}.version`, `expected version ${BALLOT_VERSION}`);
  assertList(secrets.contests, `${field}.contests`, MAX_CONTESTS).forEach((c, ci) => {
    const name = `${field}.contests[${ci}]`;
    const contest = assertObject(c, name);
    assertIdentifier(contest.contestId, `${name}.contestId`);
    assertList(contest.selections, `${name}.selections`, MAX_OPTIONS).forEach((s, oi) => {
      const selectionName = `${name}.selections[${oi}]`;
      const selection = assertObject(s, selectionName);
      assertIdentifier(selection.optionId, `${selectionName}.optionId`);
      if (selection.value !== 0 && selection.value !== 1) throw new CryptoError('INVALID_ARGUMENT', `${selectionName}.value`, 'expected 0 or 1');
      assertScalar(selection.randomness, `${selectionName}.randomness`, { allowZero: false });
    });
  });
  return value as AuditSecrets;
}

// ---------------------------------------------------------------------------------------------
// Encryption

export interface EncryptedBallotResult {
  readonly ballot: EncryptedBallot;
  readonly auditSecrets: AuditSecrets;
}

/**
 * Encrypts the voter's choices. Returns the ballot to cast or spoil and the secrets that open it
 * (keep them on the device; reveal them only when the voter spoils the ballot).
 */
export function encryptBallot(
  manifest: BallotManifest,
  choices: Choices,
  electionKey: Point,
  fingerprint: Uint8Array,
  rng?: RandomSource,
): EncryptedBallotResult {
  const checkedManifest = parseManifest(manifest);
  assertPoint(electionKey, 'electionKey');
  assertFingerprint(fingerprint);
  const random = assertRandomSource(rng);
  const values = choiceValues(checkedManifest, choices);
  const K = cachedFixedBase(electionKey);

  const contests: EncryptedContest[] = [];
  const secrets: AuditSecrets['contests'][number][] = [];
  checkedManifest.contests.forEach((contest, ci) => {
    const selections: EncryptedSelection[] = [];
    const selectionSecrets: { optionId: string; value: number; randomness: Scalar }[] = [];
    let totalRandomness = 0n;
    let count = 0;
    contest.options.forEach((option, oi) => {
      const value = values[ci]![oi]!;
      const randomness = randomScalar(random);
      const ciphertext = encrypt(K, value, randomness);
      const proof = proveEncryptedValue(
        SELECTION_PROOF_TAG,
        { electionKey: K, ciphertext, allowedValues: [0, 1] },
        value,
        randomness,
        fingerprint,
        selectionContext(contest.id, option.id),
        random,
      );
      selections.push({ optionId: option.id, ciphertext, proof });
      selectionSecrets.push({ optionId: option.id, value, randomness });
      totalRandomness = scalarAdd(totalRandomness, randomness);
      count += value;
    });
    if (totalRandomness === 0n) throw new CryptoError('RANDOMNESS_UNAVAILABLE', 'rng', 'random source produced a degenerate sum');
    const aggregate = sumCiphertexts(selections.map((s) => s.ciphertext));
    const rangeProof = proveEncryptedValue(
      CONTEST_RANGE_PROOF_TAG,
      { electionKey: K, ciphertext: aggregate, allowedValues: contestRange(contest) },
      count,
      totalRandomness,
      fingerprint,
      contestContext(contest.id),
      random,
    );
    contests.push({ contestId: contest.id, selections, rangeProof });
    secrets.push({ contestId: contest.id, selections: selectionSecrets });
  });
  return {
    ballot: { version: BALLOT_VERSION, contests },
    auditSecrets: { version: BALLOT_VERSION, contests: secrets },
  };
}

// ---------------------------------------------------------------------------------------------
// Verification

/** Checks that the ballot has exactly the manifest's contests and options, in order. */
function assertBallotShape(manifest: BallotManifest, ballot: unknown): EncryptedBallot {
  const b = assertEncryptedBallot(ballot);
  if (b.version !== BALLOT_VERSION) throw new CryptoError('INVALID_BALLOT', 'ballot.version', `expected version ${BALLOT_VERSION}`);
  if (!Array.isArray(b.contests) || b.contests.length !== manifest.contests.length) {
    throw new CryptoError('INVALID_BALLOT', 'ballot.contests', `expected ${manifest.contests.length} contests`);
  }
  manifest.contests.forEach((contest, ci) => {
    const c = b.contests[ci];
    const field = `ballot.contests[${ci}]`;
    if (typeof c !== 'object' || c === null) throw new CryptoError('INVALID_TYPE', field, 'expected a contest object');
    if (c.contestId !== contest.id) throw new CryptoError('INVALID_BALLOT', `${field}.contestId`, `expected ${contest.id}`);
    if (!Array.isArray(c.selections) || c.selections.length !== contest.options.length) {
      throw new CryptoError('INVALID_BALLOT', `${field}.selections`, `expected ${contest.options.length} selections`);
    }
    contest.options.forEach((option, oi) => {
      const s = c.selections[oi];
      if (typeof s !== 'object' || s === null) throw new CryptoError('INVALID_TYPE', `${field}.selections[${oi}]`, 'expected a selection object');
      if (s.optionId !== option.id) throw new CryptoError('INVALID_BALLOT', `${field}.selections[${oi}].optionId`, `expected ${option.id}`);
    });
  });
  return b;
}

export interface BallotEquationOptions {
  /**
   * Write the range proof's terms on a contest's aggregate (Σα_i, Σβ_i) as the same scalar on each
   * α_i and β_i. The equations are the same; a batch merges those coefficients into the ones the
   * α_i and β_i already have, so the multi-scalar multiplication has two full-size points fewer per
   * contest. Checked one by one, the aggregate form is cheaper (one multiplication, not one per option).
   */
  expandAggregates?: boolean;
}

/** Replaces each term on `aggregate` by the same scalar on every one of `parts`. */
function expandTerms(equation: LinearEquation, aggregate: Point, parts: readonly Point[]): LinearEquation {
  if (!equation.terms.some(([, point]) => point === aggregate)) return equation;
  return {
    label: equation.label,
    terms: equation.terms.flatMap((term) => (term[1] === aggregate ? parts.map((part) => [term[0], part] as const) : [term])),
  };
}

/**
 * All verification equations of a ballot, after its structural and Fiat–Shamir scalar checks.
 * `electionKey` should be the same object for every ballot of a batch (see `cachedFixedBase`).
 */
export function ballotEquations(
  manifest: BallotManifest,
  ballot: EncryptedBallot,
  electionKey: Point,
  fingerprint: Uint8Array,
  options: BallotEquationOptions = {},
): LinearEquation[] {
  assertPoint(electionKey, 'electionKey');
  assertFingerprint(fingerprint);
  assertBallotShape(manifest, ballot);
  const equations: LinearEquation[] = [];
  manifest.contests.forEach((contest, ci) => {
    const encrypted = ballot.contests[ci]!;
    const field = `ballot.contests[${ci}]`;
    encrypted.selections.forEach((selection, oi) => {
      equations.push(
        ...encryptedValueEquations(
          SELECTION_PROOF_TAG,
          { electionKey, ciphertext: selection.ciphertext, allowedValues: [0, 1] },
          selection.proof,
          fingerprint,
          selectionContext(contest.id, selection.optionId),
          `${field}.selections[${oi}].proof`,
        ),
      );
    });
    const aggregate = sumCiphertexts(encrypted.selections.map((s) => s.ciphertext));
    const rangeEquations = encryptedValueEquations(
      CONTEST_RANGE_PROOF_TAG,
      { electionKey, ciphertext: aggregate, allowedValues: contestRange(contest) },
      encrypted.rangeProof,
      fingerprint,
      contestContext(contest.id),
      `${field}.rangeProof`,
    );
    if (!options?.expandAggregates) equations.push(...rangeEquations);
    else {
      const alphas = encrypted.selections.map((s) => s.ciphertext.alpha);
      const betas = encrypted.selections.map((s) => s.ciphertext.beta);
      for (const equation of rangeEquations) equations.push(expandTerms(expandTerms(equation, aggregate.alpha, alphas), aggregate.beta, betas));
    }
  });
  return equations;
}

/**
 * Verifies every proof of one ballot, equation by equation. Throws `CryptoError` naming the
 * failing field: `INVALID_BALLOT` for a shape that does not match the manifest, `INVALID_PROOF`
 * for a proof that does not verify.
 */
export function verifyBallot(manifest: BallotManifest, ballot: EncryptedBallot, electionKey: Point, fingerprint: Uint8Array): void {
  const checkedManifest = parseManifest(manifest);
  assertPoint(electionKey, 'electionKey');
  const K = cachedFixedBase(electionKey);
  for (const equation of ballotEquations(checkedManifest, ballot, K, fingerprint)) {
    if (!isEquationSatisfied(equation)) throw new CryptoError('INVALID_PROOF', equation.label, 'verification equation does not hold');
  }
}

// ---------------------------------------------------------------------------------------------
// Benaloh audit

/**
 * Opens a spoiled ballot: checks that every ciphertext is exactly the encryption of the revealed
 * value with the revealed randomness, that the proofs verify, and returns the choices it encodes.
 * Throws `CryptoError('AUDIT_MISMATCH')` naming the first option that does not match.
 */
export function auditBallot(
  manifest: BallotManifest,
  ballot: EncryptedBallot,
  secrets: AuditSecrets,
  electionKey: Point,
  fingerprint: Uint8Array,
): Choices {
  const checkedManifest = parseManifest(manifest);
  verifyBallot(checkedManifest, ballot, electionKey, fingerprint);
  assertAuditSecrets(secrets);
  const K = cachedFixedBase(electionKey);
  const choices: Record<string, string[]> = {};
  checkedManifest.contests.forEach((contest, ci) => {
    const opened = secrets.contests[ci];
    const field = `secrets.contests[${ci}]`;
    if (!opened || opened.contestId !== contest.id || !Array.isArray(opened.selections) || opened.selections.length !== contest.options.length) {
      throw new CryptoError('AUDIT_MISMATCH', field, `secrets do not describe contest ${contest.id}`);
    }
    const selected: string[] = [];
    contest.options.forEach((option, oi) => {
      const secret = opened.selections[oi]!;
      const name = `${field}.selections[${oi}]`;
      if (secret.optionId !== option.id || (secret.value !== 0 && secret.value !== 1)) {
        throw new CryptoError('AUDIT_MISMATCH', name, `secrets do not describe option ${option.id}`);
      }
      const expected = encrypt(K, secret.value, secret.randomness);
      const actual = ballot.contests[ci]!.selections[oi]!.ciphertext;
      if (!expected.alpha.equals(actual.alpha) || !expected.beta.equals(actual.beta)) {
        throw new CryptoError('AUDIT_MISMATCH', name, 'the ciphertext is not the encryption of the revealed value');
      }
      if (secret.value === 1) selected.push(option.id);
    });
    choices[contest.id] = selected;
  });
  return choices;
}

// ---------------------------------------------------------------------------------------------
// Wire format

export function serializeBallot(ballot: EncryptedBallot): BallotWire {
  assertEncryptedBallot(ballot);
  return {
    version: BALLOT_VERSION,
    contests: ballot.contests.map((c, ci) => ({
      contestId: c.contestId,
      selections: c.selections.map((s, oi) => ({
        optionId: s.optionId,
        ciphertext: toHex(encodeCiphertext(s.ciphertext, `ballot.contests[${ci}].selections[${oi}].ciphertext`)),
        proof: toHex(encodeDisjunctiveProof(s.proof)),
      })),
      rangeProof: toHex(encodeDisjunctiveProof(c.rangeProof)),
    })),
  };
}

/** Parses and decodes a ballot from its JSON wire form; every point and scalar is checked canonical. */
export function parseBallot(value: unknown): EncryptedBallot {
  const wire = parseWith(BallotWireSchema, value, 'INVALID_BALLOT', 'ballot');
  return {
    version: BALLOT_VERSION,
    contests: wire.contests.map((c, ci) => {
      const field = `ballot.contests[${ci}]`;
      return {
        contestId: c.contestId,
        selections: c.selections.map((s, oi) => {
          const name = `${field}.selections[${oi}]`;
          const proofBytes = fromHex(s.proof, `${name}.proof`);
          return {
            optionId: s.optionId,
            ciphertext: decodeCiphertext(fromHex(s.ciphertext, `${name}.ciphertext`), `${name}.ciphertext`),
            proof: decodeDisjunctiveProof(proofBytes, proofBytes.length / 128, `${name}.proof`),
          };
        }),
        rangeProof: (() => {
          const bytes = fromHex(c.rangeProof, `${field}.rangeProof`);
          return decodeDisjunctiveProof(bytes, bytes.length / 128, `${field}.rangeProof`);
        })(),
      };
    }),
  };
}

export function serializeAuditSecrets(secrets: AuditSecrets): AuditSecretsWire {
  assertAuditSecrets(secrets);
  return {
    version: BALLOT_VERSION,
    contests: secrets.contests.map((c, ci) => ({
      contestId: c.contestId,
      selections: c.selections.map((s, oi) => ({
        optionId: s.optionId,
        value: s.value,
        randomness: scalarToHex(s.randomness, `secrets.contests[${ci}].selections[${oi}].randomness`),
      })),
    })),
  };
}

export function parseAuditSecrets(value: unknown): AuditSecrets {
  const wire = parseWith(AuditSecretsWireSchema, value, 'INVALID_BALLOT', 'secrets');
  return {
    version: BALLOT_VERSION,
    contests: wire.contests.map((c, ci) => ({
      contestId: c.contestId,
      selections: c.selections.map((s, oi) => ({
        optionId: s.optionId,
        value: s.value,
        randomness: scalarFromHex(s.randomness, `secrets.contests[${ci}].selections[${oi}].randomness`, { allowZero: false }),
      })),
    })),
  };
}

/**
 * Canonical bytes of a ballot, the input of its tracking code:
 * lp("townhall/v1/ballot") ‖ u32be(#contests) ‖ per contest: lp(contestId) ‖ u32be(#selections) ‖
 * per selection: lp(optionId) ‖ α ‖ β ‖ lp(proof) — then lp(rangeProof).
 */
export function encodeBallotCanonical(ballot: EncryptedBallot): Uint8Array {
  return encodeWireCanonical(serializeBallot(ballot));
}

/**
 * The canonical bytes straight from the wire form. A parsed ballot's points and scalars are
 * canonical encodings (their decoders refuse any other), so for every ballot `parseBallot` accepts
 * this equals `encodeBallotCanonical(parseBallot(wire))`.
 */
function encodeWireCanonical(wire: BallotWire): Uint8Array {
  const parts: Uint8Array[] = [lengthPrefixed(utf8(BALLOT_DOMAIN_TAG)), u32be(wire.contests.length)];
  for (const [ci, c] of wire.contests.entries()) {
    const field = `ballot.contests[${ci}]`;
    parts.push(lengthPrefixed(utf8(c.contestId)), u32be(c.selections.length));
    for (const [oi, s] of c.selections.entries()) {
      const name = `${field}.selections[${oi}]`;
      parts.push(lengthPrefixed(utf8(s.optionId)), fromHex(s.ciphertext, `${name}.ciphertext`, 2 * POINT_LENGTH), lengthPrefixed(proofBytes(s.proof, `${name}.proof`)));
    }
    parts.push(lengthPrefixed(proofBytes(c.rangeProof, `${field}.rangeProof`)));
  }
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function proofBytes(hex: string, field: string): Uint8Array {
  const bytes = fromHex(hex, field);
  const branches = bytes.length / DISJUNCTIVE_BRANCH_LENGTH;
  if (!Number.isInteger(branches) || branches < 1 || branches > MAX_DISJUNCTIVE_BRANCHES) {
    throw new CryptoError('INVALID_LENGTH', field, `expected 1 to ${MAX_DISJUNCTIVE_BRANCHES} proof branches of ${DISJUNCTIVE_BRANCH_LENGTH} bytes, got ${bytes.length} bytes`);
  }
  return bytes;
}

export const BALLOT_DOMAIN_TAG = 'townhall/v1/ballot';

/** SHA-256 of the canonical ballot bytes: the voter's tracking code (shown as hex). */
export function ballotDigest(ballot: EncryptedBallot): Uint8Array {
  return sha256(encodeBallotCanonical(ballot));
}

/**
 * The tracking code of a wire-format ballot without decoding its points (which costs ~0.1 ms each):
 * checks the wire schema and the byte lengths only. Equal to `ballotDigest(parseBallot(value))` for
 * every ballot `parseBallot` accepts; a ballot whose points do not decode gets a digest here but is
 * refused by `parseBallot` (and so by verification).
 */
export function ballotDigestOfWire(value: unknown): Uint8Array {
  return sha256(encodeWireCanonical(parseWith(BallotWireSchema, value, 'INVALID_BALLOT', 'ballot')));
}
