import { sha256 } from './hash.ts';
import { ElectionEntryBodies, MAX_SPOILS_PER_BALLOT_KEY, MIN_TRUSTEES, MIN_TRUSTEE_THRESHOLD, type ElectionManifest } from '@townhall/protocol';
import type { z } from 'zod';
import { concatBytes, equalBytes, fromBase64, fromBase64Url, fromHex, lengthPrefixed, toBase64, toHex, u32be, utf8 } from './bytes.ts';
import type { Entry } from './entry.ts';
import { G, Point, chaumPedersenEquations, decodePoint, decodeScalar, holds, mod, ORDER, schnorrEquations, type Equation } from './group.ts';
import { canonicalJson } from './jcs.ts';
import type { ProofPool } from './pool.ts';
import { ballotBytes, ballotProofs, failingProofs, type AssertionOutcome, type BallotItem, type JobContext, type JobResult, type ProofItem } from './proof-jobs.ts';
import type { CheckId, ProgressEvent, ReportBuilder, VerificationReport } from './report.ts';
import { verifyEd25519 } from './signatures.ts';
import { readAssertion } from './webauthn.ts';

/**
 * The election checks of record.md §4 over the entries as they stream by (elections.md,
 * key-ceremony-and-credentials.md, crypto.md). What is kept per voter is small and fixed: digests
 * and indices in maps (a credential's signed message and signature until the registry's passkeys
 * arrive at the record's end; per ballot key its credential digest and its last counted
 * ciphertexts), never entry bodies. Ballots are checked in batches by a ProofPool.
 */

type Bodies = { [K in keyof typeof ElectionEntryBodies]: z.infer<(typeof ElectionEntryBodies)[K]> };
type Located<K extends keyof Bodies> = { index: number; body: Bodies[K] };

// elections.md §1: the order of an election log, as ranks that never decrease.
const RANK: Record<string, number> = {
  LogCreated: 0, ElectionDefined: 1, TrusteeCommitted: 2, TrusteeShareSent: 3, ElectionKeyPublished: 4, IssuerKeyPublished: 5,
  ElectionOpened: 6, CredentialIssued: 7, BallotCast: 7, BallotSpoiled: 7, ElectionClosed: 8, TallyComputed: 9, PartialDecryption: 10, ResultPublished: 11,
};
const ONCE = new Set(['LogCreated', 'ElectionDefined', 'ElectionKeyPublished', 'IssuerKeyPublished', 'ElectionOpened', 'ElectionClosed', 'TallyComputed', 'ResultPublished']);

const FINGERPRINT_TAG = 'townhall/v1/election-fingerprint';
const CHALLENGE_TAG = 'townhall/v1/credential-challenge';
const CREDENTIAL_TAG = 'townhall/credential/v1';
const SPOIL_SIGNATURE_TAG = 'townhall/v1/spoil-signature';

/** A ballot key's credential, as compared between its ballots (16 bytes of SHA-256, hex). */
const credentialDigest = (credential: { messagePrefix: string; signature: string }): string => toHex(sha256(utf8(`${credential.messagePrefix}:${credential.signature}`)).subarray(0, 16));
/** crypto.md §9: a short digest of a ciphertext (8 bytes of α, 8 of β), enough to catch a copy. */
const ciphertextDigest = (ciphertext: string): string => ciphertext.slice(0, 16) + ciphertext.slice(64, 80);

/** Ballots per job: large enough for the MSM to pay off, small enough to keep every core busy. */
export const BALLOTS_PER_JOB = 512;

/** Passkey assertions per job: a few hundred milliseconds of a worker each. */
const ASSERTIONS_PER_JOB = 2048;

/** elections.md §2. */
export function fingerprintOf(manifest: unknown): Uint8Array {
  return sha256(lengthPrefixed(utf8(FINGERPRINT_TAG), utf8(canonicalJson(manifest))));
}

/** s·P for any scalar, zero included. */
const times = (P: Point, s: bigint): Point => (mod(s) === 0n ? Point.ZERO : P.multiply(mod(s)));

function lagrangeAtZero(trustees: readonly number[], l: number): bigint {
  let numerator = 1n;
  let denominator = 1n;
  for (const m of trustees) {
    if (m === l) continue;
    numerator = mod(numerator * BigInt(m));
    denominator = mod(denominator * BigInt(m - l));
  }
  return mod(numerator * invert(denominator));
}

function invert(x: bigint): bigint {
  // Fermat: x^(ℓ−2) mod ℓ.
  let result = 1n;
  let base = mod(x);
  let e = ORDER - 2n;
  while (e > 0n) {
    if (e & 1n) result = (result * base) % ORDER;
    base = (base * base) % ORDER;
    e >>= 1n;
  }
  return result;
}

async function importIssuerKey(spki: Uint8Array<ArrayBuffer>): Promise<{ modulusBits: number }> {
  const key = await globalThis.crypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['verify']);
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', key);
  const modulus = fromBase64Url(jwk.n!);
  let bits = modulus.length * 8;
  for (let b = modulus[0]!; b < 0x80 && bits > 0; b <<= 1) bits--;
  if (jwk.e !== 'AQAB') throw new TypeError('the public exponent is not 65537');
  return { modulusBits: bits };
}

/** A credential whose passkey assertion is checked once the registry's Enrolled entries are read. */
interface PendingCredential {
  index: number;
  pseudonym: string;
  credentialIdHash: string;
  /** base64 of the signed message and of the DER signature; or why the assertion failed already. */
  message?: string;
  signature?: string;
  problem?: string;
  /**
   * Set once the assertion verified: a digest of the enrolled public key it verified with. A
   * resumed run that finds the same key in the registry does not verify it again.
   */
  verifiedWith?: string;
}

/** What a credential's assertion was verified with: 16 bytes of SHA-256 of the enrolled key, hex. */
const passkeyDigest = (publicKey: string): string => toHex(sha256(utf8(publicKey)).subarray(0, 16));

/** The saved form of the election checks (JSON): small one-off bodies, then per-voter digests. */
export interface ElectionState {
  rank: number;
  seen: string[];
  closedAt: number | null;
  firstUse: number | null;
  defined: Located<'ElectionDefined'> | null;
  commitments: Located<'TrusteeCommitted'>[];
  sharePairs: string[];
  shares: number;
  keyPublished: Located<'ElectionKeyPublished'> | null;
  issuer: Located<'IssuerKeyPublished'> | null;
  issuerBits: number | null;
  credentials: PendingCredential[];
  credentialsByDistrict: [string, number][];
  /**
   * ballot key → [credential digest, index of its last ballot before close or −1, that ballot's
   * ciphertexts (base64) or '', how many ballots it spoiled (absent in states saved before spoils were signed)]
   */
  ballotKeys: [string, string, number, string, number?][];
  trackingCodes: [string, number][];
  /** short ciphertext digest → position of the ballot key in `ballotKeys` */
  ciphertextOwners: [string, number][];
  /** Spoiled ballots: tracking code → entry index, and short ciphertext digest → entry index (a cast ballot must share neither). */
  spoiledCodes?: [string, number][];
  spoiledCiphertexts?: [string, number][];
  sums: string[] | null;
  superseded: { index: number; ciphertexts: string }[];
  excluded: number[];
  tally: Located<'TallyComputed'> | null;
  partials: Located<'PartialDecryption'>[];
  published: Located<'ResultPublished'> | null;
}

interface BallotKey {
  id: number;
  credential: string;
  last: number;
  /** Whether the last counted ballot's ciphertexts are in the store (false when they do not decode as hex). */
  stored: boolean;
  /** Ballots this key spoiled (elections.md §6: at most MAX_SPOILS_PER_BALLOT_KEY). */
  spoils: number;
}

/** The last counted ballot's ciphertexts of every ballot key, in one flat buffer (64 bytes per option). */
class CiphertextStore {
  #bytes = new Uint8Array(0);
  #width = 0;

  set(id: number, ciphertexts: Uint8Array): void {
    if (this.#width === 0) this.#width = ciphertexts.length;
    if (ciphertexts.length !== this.#width || this.#width === 0) throw new TypeError('ciphertexts of another shape than the manifest’s');
    if ((id + 1) * this.#width > this.#bytes.length) {
      const grown = new Uint8Array(Math.max((id + 1) * this.#width, 2 * this.#bytes.length));
      grown.set(this.#bytes);
      this.#bytes = grown;
    }
    this.#bytes.set(ciphertexts, id * this.#width);
  }

  get(id: number): Uint8Array {
    return this.#bytes.slice(id * this.#width, (id + 1) * this.#width);
  }
}

/** Registry facts the election relies on (record.md §3), read on every run. */
export class RegistryFacts {
  roll: { districts?: Record<string, number> } | undefined;
  readonly enrolled = new Map<string, Map<string, string>>();

  add(entry: Entry): void {
    if (entry.type === 'RollCommitted') this.roll = entry.body as { districts?: Record<string, number> };
    if (entry.type !== 'Enrolled') return;
    const { pseudonym, credentialIdHash, publicKey } = entry.body as { pseudonym?: string; credentialIdHash?: string; publicKey?: string };
    if (typeof pseudonym === 'string' && typeof credentialIdHash === 'string' && typeof publicKey === 'string') this.enrolled.set(pseudonym, (this.enrolled.get(pseudonym) ?? new Map()).set(credentialIdHash, publicKey));
  }
}

export class ElectionStream {
  readonly #origin: string;
  readonly #electionId: string | null;
  readonly #report: ReportBuilder;
  readonly #pool: ProofPool;
  readonly #progress: (event: ProgressEvent) => void;
  readonly #state: Omit<ElectionState, 'ballotKeys' | 'trackingCodes' | 'ciphertextOwners' | 'sums' | 'credentialsByDistrict' | 'spoiledCodes' | 'spoiledCiphertexts'>;
  readonly #ballotKeys = new Map<string, BallotKey>();
  readonly #ciphertexts = new CiphertextStore();
  readonly #keyList: string[] = [];
  readonly #trackingCodes = new Map<string, number>();
  readonly #ciphertextOwners = new Map<string, number>();
  readonly #spoiledCodes = new Map<string, number>();
  readonly #spoiledCiphertexts = new Map<string, number>();
  /** The issuer key for spoiled ballots' credentials (cast ballots' are checked in the pool's jobs). */
  #issuerKey: Promise<CryptoKey | null> | undefined;
  readonly #credentialsByDistrict = new Map<string, number>();
  readonly #issuedTo = new Set<string>();
  #sums: { alpha: Point; beta: Point }[] | null = null;
  // Derived again from the state on resume.
  #manifest: ElectionManifest | undefined;
  #fp: Uint8Array | undefined;
  #K: Point | undefined;
  #commitments = new Map<number, Point[]>();
  #verificationShares = new Map<number, Point>();
  #batch: BallotItem[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  #ballotsDone = 0;
  #jobError: unknown;
  /** Assertions verified by `finish` in this run: position in `credentials` → digest of the passkey. */
  readonly #verifiedNow = new Map<number, string>();

  constructor(options: { origin: string; electionId: string | null; report: ReportBuilder; pool: ProofPool; progress: (event: ProgressEvent) => void; resume?: ElectionState }) {
    this.#origin = options.origin;
    this.#electionId = options.electionId;
    this.#report = options.report;
    this.#pool = options.pool;
    this.#progress = options.progress;
    const s = options.resume;
    this.#state = s
      ? structuredClone({ ...s, ballotKeys: undefined, trackingCodes: undefined, ciphertextOwners: undefined, sums: undefined, credentialsByDistrict: undefined, spoiledCodes: undefined, spoiledCiphertexts: undefined })
      : { rank: -1, seen: [], closedAt: null, firstUse: null, defined: null, commitments: [], sharePairs: [], shares: 0, keyPublished: null, issuer: null, issuerBits: null, credentials: [], superseded: [], excluded: [], tally: null, partials: [], published: null };
    if (!s) return;
    s.ballotKeys.forEach(([key, credential, last, ciphertexts, spoils], id) => {
      this.#ballotKeys.set(key, { id, credential, last, stored: ciphertexts !== '', spoils: spoils ?? 0 });
      if (ciphertexts !== '') this.#ciphertexts.set(id, fromBase64(ciphertexts));
      this.#keyList.push(key);
    });
    for (const [code, index] of s.trackingCodes) this.#trackingCodes.set(code, index);
    for (const [digest, owner] of s.ciphertextOwners) this.#ciphertextOwners.set(digest, owner);
    for (const [code, index] of s.spoiledCodes ?? []) this.#spoiledCodes.set(code, index);
    for (const [digest, index] of s.spoiledCiphertexts ?? []) this.#spoiledCiphertexts.set(digest, index);
    for (const [district, n] of s.credentialsByDistrict) this.#credentialsByDistrict.set(district, n);
    for (const c of s.credentials) this.#issuedTo.add(c.pseudonym);
    this.#sums = s.sums?.map((hex) => ({ alpha: decodePoint(fromHex(hex.slice(0, 64)), { allowIdentity: true }), beta: decodePoint(fromHex(hex.slice(64)), { allowIdentity: true }) })) ?? null;
    if (s.defined) this.#define(s.defined, false);
    for (const c of s.commitments) this.#commit(c, false);
    if (s.keyPublished) this.#publishKey(s.keyPublished, false);
  }

  /** One decoded entry of the election log, in order. */
  async entry(index: number, entry: Entry): Promise<void> {
    const report = this.#report;
    const state = this.#state;
    report.count('election.sequence');
    const entryRank = RANK[entry.type];
    if (entryRank === undefined) {
      report.fail('election.sequence', `entry ${index} is a ${entry.type}, which has no place in an election log`, { index, type: entry.type });
      return;
    }
    if (entryRank < state.rank || (ONCE.has(entry.type) && state.seen.includes(entry.type))) {
      report.fail('election.sequence', `entry ${index} (${entry.type}) is out of the lifecycle order`, { index, type: entry.type });
    }
    if ((index === 0) !== (entry.type === 'LogCreated')) report.fail('election.sequence', `entry ${index}: LogCreated must be the first entry, and only it`, { index });
    state.rank = Math.max(state.rank, entryRank);
    if (!state.seen.includes(entry.type)) state.seen.push(entry.type);
    if (entry.type === 'ElectionClosed' && state.closedAt === null) state.closedAt = index;
    if (entry.type === 'BallotCast') {
      report.count('ballots.timing');
      if (state.closedAt !== null) report.fail('ballots.timing', `ballot at entry ${index} comes after ElectionClosed (entry ${state.closedAt})`, { index, closedAt: state.closedAt });
    }
    if ((entry.type === 'CredentialIssued' || entry.type === 'BallotCast' || entry.type === 'BallotSpoiled') && state.firstUse === null) state.firstUse = index;
    if (entry.type === 'LogCreated') {
      if (entry.body.origin !== this.#origin) report.fail('election.sequence', 'LogCreated names another origin', { expected: this.#origin, found: entry.body.origin });
      return;
    }
    const schema = ElectionEntryBodies[entry.type as keyof typeof ElectionEntryBodies];
    const parsed = schema.safeParse(entry.body);
    if (!parsed.success) {
      report.fail('election.sequence', `entry ${index} (${entry.type}) does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { index });
      return;
    }
    const body = parsed.data as { fingerprint: string };
    if (entry.type === 'ElectionDefined') {
      if (!state.defined) this.#define({ index, body: body as Bodies['ElectionDefined'] }, true);
      return;
    }
    if (this.#fp && body.fingerprint !== toHex(this.#fp)) report.fail('election.sequence', `entry ${index} (${entry.type}) carries another election's fingerprint`, { index, expected: toHex(this.#fp), found: body.fingerprint });
    if (!this.#fp) report.fail('election.sequence', `entry ${index} (${entry.type}) comes before the election is defined`, { index });
    switch (entry.type) {
      case 'TrusteeCommitted':
        return this.#commit({ index, body: body as Bodies['TrusteeCommitted'] }, true);
      case 'TrusteeShareSent':
        return this.#share({ index, body: body as Bodies['TrusteeShareSent'] });
      case 'ElectionKeyPublished':
        if (!state.keyPublished) this.#publishKey({ index, body: body as Bodies['ElectionKeyPublished'] }, true);
        return;
      case 'IssuerKeyPublished':
        if (!state.issuer) await this.#publishIssuerKey({ index, body: body as Bodies['IssuerKeyPublished'] });
        return;
      case 'CredentialIssued':
        return this.#credential({ index, body: body as Bodies['CredentialIssued'] });
      case 'BallotCast':
        return this.#ballot({ index, body: body as Bodies['BallotCast'] });
      case 'BallotSpoiled':
        await this.#spoiled({ index, body: body as Bodies['BallotSpoiled'] });
        return;
      case 'TallyComputed':
        state.tally ??= { index, body: body as Bodies['TallyComputed'] };
        return;
      case 'PartialDecryption':
        state.partials.push({ index, body: body as Bodies['PartialDecryption'] });
        return;
      case 'ResultPublished':
        state.published ??= { index, body: body as Bodies['ResultPublished'] };
        return;
    }
  }

  // ---- definition and fingerprint (elections.md §2)
  #define(defined: Located<'ElectionDefined'>, check: boolean): void {
    this.#state.defined = defined;
    const manifest = defined.body.manifest;
    this.#manifest = manifest;
    this.#fp = fingerprintOf(manifest);
    if (!check) return;
    const report = this.#report;
    const fp = toHex(this.#fp);
    report.count('election.definition');
    if (fp !== defined.body.fingerprint) report.fail('election.definition', 'the fingerprint is not the hash of the manifest', { expected: fp, found: defined.body.fingerprint });
    if (manifest.origin !== this.#origin) report.fail('election.definition', 'the manifest names another log origin', { expected: this.#origin, found: manifest.origin });
    if (this.#electionId !== null && manifest.electionId !== this.#electionId) report.fail('election.definition', 'the manifest is for another election', { expected: this.#electionId, found: manifest.electionId });
    const { threshold: k, trustees: n, minimumWaived } = manifest.ceremony;
    if (!(k >= 1 && k <= n)) report.fail('election.definition', 'the threshold is outside 1 … trustees');
    // elections.md §2: k ≥ 2 of n ≥ 3, unless the manifest says the minimum was waived (a
    // demonstration): then the report warns instead (see `finish`).
    if (minimumWaived !== true) {
      if (k < MIN_TRUSTEE_THRESHOLD) {
        report.fail('election.definition', `the threshold is ${k}: ${k === 1 ? 'one trustee' : 'no trustee'} alone could decrypt every ballot; an election needs k ≥ ${MIN_TRUSTEE_THRESHOLD}, and the manifest does not say the minimum was waived`, { threshold: k, minimum: MIN_TRUSTEE_THRESHOLD });
      }
      if (n < MIN_TRUSTEES) {
        report.fail('election.definition', `${n} trustee${n === 1 ? '' : 's'} hold the election key; an election needs at least ${MIN_TRUSTEES}, and the manifest does not say the minimum was waived`, { trustees: n, minimum: MIN_TRUSTEES });
      }
    }
  }

  // ---- key ceremony (key-ceremony §3)
  #commit({ index, body }: Located<'TrusteeCommitted'>, check: boolean): void {
    const manifest = this.#manifest;
    if (!manifest || !this.#fp) return;
    const { threshold: k, trustees: n } = manifest.ceremony;
    const P = `ceremony/${k}-of-${n}`;
    const i = body.trusteeIndex;
    try {
      const bytes = fromHex(body.commitment);
      if (bytes.length !== 4 + 96 * (k + 1)) throw new TypeError(`expected ${4 + 96 * (k + 1)} bytes`);
      if (new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, false) !== i || i < 1 || i > n) throw new TypeError('trustee index does not match');
      if (this.#commitments.has(i)) throw new TypeError('a second commitment from this trustee');
      const part = (j: number) => bytes.subarray(4 + 96 * j, 4 + 96 * (j + 1));
      const X = decodePoint(part(0).subarray(0, 32));
      const equations: Equation[] = check ? schnorrEquations(this.#fp, `${P}/trustee:${i}/identity`, X, part(0).subarray(32)) : [];
      const C: Point[] = [];
      for (let j = 0; j < k; j++) {
        const Cj = decodePoint(part(j + 1).subarray(0, 32));
        C.push(Cj);
        if (check) equations.push(...schnorrEquations(this.#fp, `${P}/trustee:${i}/coefficient:${j}`, Cj, part(j + 1).subarray(32)));
      }
      this.#commitments.set(i, C);
      if (!check) return;
      this.#state.commitments.push({ index, body });
      this.#report.count('ceremony.commitments');
      for (const failure of failingProofs([{ label: `trustee ${i}'s commitment (entry ${index})`, evidence: { index, trusteeIndex: i }, equations }])) this.#report.fail('ceremony.commitments', failure.message, failure.evidence);
    } catch (error) {
      if (check) this.#report.fail('ceremony.commitments', `entry ${index}: trustee ${i}'s commitment is malformed: ${(error as Error).message}`, { index, trusteeIndex: i });
    }
  }

  #share({ index, body }: Located<'TrusteeShareSent'>): void {
    this.#state.shares++;
    const pair = `${body.from}>${body.to}`;
    if (!this.#state.sharePairs.includes(pair)) this.#state.sharePairs.push(pair);
    const head = fromHex(body.encryptedShare).subarray(0, 8);
    if (!equalBytes(head, concatBytes(u32be(body.from), u32be(body.to))) || body.from === body.to) this.#report.fail('ceremony.commitments', `entry ${index}: the encrypted share is not addressed as its entry says`, { index });
  }

  #publishKey(keyPublished: Located<'ElectionKeyPublished'>, check: boolean): void {
    this.#state.keyPublished = keyPublished;
    const report = this.#report;
    const n = this.#manifest?.ceremony.trustees;
    if (n === undefined || this.#commitments.size !== n) {
      if (check) report.fail('ceremony.joint-key', 'the key was published without every trustee’s commitment');
      return;
    }
    if (check) report.count('ceremony.joint-key');
    let joint = Point.ZERO;
    for (const C of this.#commitments.values()) joint = joint.add(C[0]!);
    if (check && (joint.is0() || toHex(joint.toBytes()) !== keyPublished.body.electionKey)) report.fail('ceremony.joint-key', 'the election key is not Σ C_{i,0}', { expected: toHex(joint.toBytes()), found: keyPublished.body.electionKey });
    this.#K = joint;
    for (let l = 1; l <= n; l++) {
      let S = Point.ZERO;
      for (const C of this.#commitments.values()) C.forEach((Cj, j) => (S = S.add(times(Cj, BigInt(l) ** BigInt(j)))));
      this.#verificationShares.set(l, S);
      if (!check) continue;
      const published = keyPublished.body.verificationShares.find((v) => v.trusteeIndex === l);
      report.count('ceremony.joint-key');
      if (!published || published.share !== toHex(S.toBytes())) report.fail('ceremony.joint-key', `trustee ${l}'s verification share does not follow from the commitments`, { trusteeIndex: l, expected: toHex(S.toBytes()), found: published?.share ?? null });
    }
    if (!check) return;
    const accepted = [...keyPublished.body.acceptedBy].sort((a, b) => a - b);
    if (accepted.length !== n || accepted.some((t, i) => t !== i + 1)) report.fail('ceremony.joint-key', 'not every trustee accepted its shares', { acceptedBy: keyPublished.body.acceptedBy });
  }

  // ---- issuer key (key-ceremony §2)
  async #publishIssuerKey(issuer: Located<'IssuerKeyPublished'>): Promise<void> {
    this.#state.issuer = issuer;
    const report = this.#report;
    report.count('credentials.issuer-key');
    try {
      const { modulusBits } = await importIssuerKey(fromHex(issuer.body.publicKeySpki));
      this.#state.issuerBits = modulusBits;
      if (modulusBits !== issuer.body.modulusBits || modulusBits < 2048 || modulusBits > 4096) report.fail('credentials.issuer-key', `the issuer key has ${modulusBits} bits, the entry says ${issuer.body.modulusBits}`);
    } catch (error) {
      report.fail('credentials.issuer-key', `the issuer key does not import: ${(error as Error).message}`, { index: issuer.index });
    }
  }

  // ---- credential issuance (elections.md §5): all but the passkey signature, which needs the registry
  #credential({ index, body }: Located<'CredentialIssued'>): void {
    const report = this.#report;
    report.count('credentials.issuance');
    const evidence = { index, pseudonym: body.pseudonym };
    if (this.#issuedTo.has(body.pseudonym)) report.fail('credentials.issuance', `entry ${index}: a second credential for the same pseudonym`, evidence);
    this.#issuedTo.add(body.pseudonym);
    if (this.#manifest && !this.#manifest.eligibleDistricts.includes(body.district)) report.fail('credentials.issuance', `entry ${index}: district ${body.district} is not eligible`, { ...evidence, district: body.district });
    this.#credentialsByDistrict.set(body.district, (this.#credentialsByDistrict.get(body.district) ?? 0) + 1);
    const pending: PendingCredential = { index, pseudonym: body.pseudonym, credentialIdHash: body.credentialIdHash };
    try {
      // The WebAuthn relying party is the deployment host (the origin's host without a port).
      const rpId = this.#origin.split('/')[0]!.replace(/:\d+$/, '');
      const challenge = sha256(lengthPrefixed(utf8(CHALLENGE_TAG), this.#fp ?? new Uint8Array(32), fromHex(body.nonce), fromHex(body.blindedMessage)));
      const reading = readAssertion(body.assertion, { challenge, rpId });
      if (reading.valid) {
        pending.message = toBase64(reading.message);
        pending.signature = toBase64(reading.signature);
      } else pending.problem = `the passkey assertion fails: ${reading.reason} (expected challenge ${toHex(challenge)})`;
    } catch (error) {
      pending.problem = `unreadable passkey assertion or key: ${(error as Error).message}`;
    }
    this.#state.credentials.push(pending);
    const bits = this.#state.issuerBits;
    if (bits !== null && fromHex(body.blindedMessage).length * 8 !== Math.ceil(bits / 8) * 8) report.fail('credentials.issuance', `entry ${index}: the blinded message is not modulus-sized`, evidence);
  }

  // ---- ballots (crypto.md §5–§9, elections.md §6): the bookkeeping here, the cryptography in the pool
  async #ballot({ index, body }: Located<'BallotCast'>): Promise<void> {
    const report = this.#report;
    const evidence = { index, trackingCode: body.trackingCode };
    report.count('ballots.signatures');
    report.count('ballots.uniqueness');
    const keyText = body.credential.ballotPublicKey;
    // One credential per ballot key; a ballot key may cast again (the last one counts), never with another credential.
    const key = this.#ballotKey(keyText, credentialDigest(body.credential), index, evidence);
    const repeat = this.#trackingCodes.get(body.trackingCode);
    if (repeat !== undefined) report.fail('ballots.uniqueness', `entry ${index}: the same ballot was recorded twice (first at entry ${repeat})`, { ...evidence, first: repeat });
    this.#trackingCodes.set(body.trackingCode, index);
    // crypto.md §9: a tally must reject repeated ciphertexts across ballot keys. A short digest of
    // each ciphertext is kept (16 bytes: 8 of α, 8 of β), enough to catch a copy.
    let spoiledAt: number | undefined;
    for (const contest of body.ballot.contests) {
      for (const s of contest.selections) {
        const digest = ciphertextDigest(s.ciphertext);
        const owner = this.#ciphertextOwners.get(digest);
        if (owner !== undefined && owner !== key.id) report.fail('ballots.uniqueness', `entry ${index}: a ciphertext copied from another voter's ballot`, { index, ciphertext: s.ciphertext });
        this.#ciphertextOwners.set(digest, key.id);
        spoiledAt ??= this.#spoiledCiphertexts.get(digest);
      }
    }
    // elections.md §6: a spoiled (publicly opened) ballot, or any ciphertext of it, is never cast.
    report.count('ballots.spoiled');
    const spoiledBallot = this.#spoiledCodes.get(body.trackingCode);
    if (spoiledBallot !== undefined) report.fail('ballots.spoiled', `entry ${index}: a cast ballot that was spoiled (opened in public) at entry ${spoiledBallot}`, { ...evidence, spoiledAt: spoiledBallot });
    else if (spoiledAt !== undefined) report.fail('ballots.spoiled', `entry ${index}: a cast ballot with a ciphertext of the ballot spoiled (opened in public) at entry ${spoiledAt}`, { ...evidence, spoiledAt });
    // The counted set (elections.md §7): the last ballot per key before close. A superseded
    // ballot's ciphertexts come off the running sum at the end.
    const countable = this.#state.closedAt === null;
    if (countable) {
      if (key.last >= 0) this.#state.superseded.push({ index: key.last, ciphertexts: key.stored ? toBase64(this.#ciphertexts.get(key.id)) : '' });
      key.last = index;
      try {
        const positions = this.#manifest?.contests.reduce((n, c) => n + c.options.length, 0) ?? 0;
        const ciphertexts = concatBytes(...body.ballot.contests.flatMap((c) => c.selections.map((s) => fromHex(s.ciphertext, 64))));
        if (ciphertexts.length !== 64 * positions) throw new TypeError('not one ciphertext per option');
        this.#ciphertexts.set(key.id, ciphertexts);
        key.stored = true;
      } catch {
        key.stored = false;
      }
    }
    this.#batch.push({ index, countable, trackingCode: body.trackingCode, signature: body.signature, credential: body.credential, ballot: body.ballot });
    if (this.#batch.length >= BALLOTS_PER_JOB) await this.#dispatch();
  }

  #context(): JobContext {
    return {
      contests: this.#manifest?.contests ?? [],
      fingerprint: this.#fp ? toHex(this.#fp) : '00'.repeat(32),
      electionKey: this.#K ? toHex(this.#K.toBytes()) : null,
      issuerKeySpki: this.#state.issuer && this.#state.issuerBits !== null ? this.#state.issuer.body.publicKeySpki : null,
    };
  }

  /** Sends the pending batch to the pool; waits while the pool has twice its size in flight (bounded memory). */
  async #dispatch(): Promise<void> {
    if (this.#batch.length === 0) return;
    const items = this.#batch;
    this.#batch = [];
    const job = this.#pool.verifyBallots({ context: this.#context(), items }).then((result) => this.#merge(result, items.length));
    const tracked = job.finally(() => this.#inFlight.delete(tracked));
    // A failed job (a worker died) stops the run where the batches are awaited: the report would miss ballots.
    tracked.catch((error: unknown) => (this.#jobError ??= error));
    this.#inFlight.add(tracked);
    while (this.#inFlight.size >= 2 * this.#pool.size) await Promise.race(this.#inFlight).catch(() => {});
    if (this.#jobError !== undefined) throw this.#jobError;
  }

  #merge(result: JobResult, ballots: number): void {
    for (const [check, n] of Object.entries(result.counts)) this.#report.count(check as CheckId, n);
    for (const { check, failure } of result.failures) this.#report.fail(check, failure.message, failure.evidence);
    this.#state.excluded.push(...result.excluded);
    if (result.sums.length > 0) {
      const sums = (this.#sums ??= result.sums.map(() => ({ alpha: Point.ZERO, beta: Point.ZERO })));
      result.sums.forEach((hex, i) => {
        sums[i]!.alpha = sums[i]!.alpha.add(decodePoint(fromHex(hex.slice(0, 64)), { allowIdentity: true }));
        sums[i]!.beta = sums[i]!.beta.add(decodePoint(fromHex(hex.slice(64)), { allowIdentity: true }));
      });
    }
    this.#ballotsDone += ballots;
    this.#progress({ check: 'ballots.proofs', done: this.#ballotsDone, message: `${this.#ballotsDone} ballots checked (proofs, credentials, signatures)` });
  }

  /** Waits for every ballot batch (call before `snapshot` and `finish`). */
  async drain(): Promise<void> {
    await this.#dispatch();
    while (this.#inFlight.size > 0) await Promise.allSettled(this.#inFlight);
    if (this.#jobError !== undefined) throw this.#jobError;
  }

  /** The ballot key of a cast or spoiled ballot: one credential per key, whichever it does first (ballots.uniqueness). */
  #ballotKey(keyText: string, credential: string, index: number, evidence: Record<string, unknown>): BallotKey {
    let key = this.#ballotKeys.get(keyText);
    if (key && key.credential !== credential) this.#report.fail('ballots.uniqueness', `entry ${index}: a ballot key presents a second credential`, { ...evidence, ballotPublicKey: keyText });
    if (!key) {
      key = { id: this.#keyList.length, credential, last: -1, stored: false, spoils: 0 };
      this.#ballotKeys.set(keyText, key);
      this.#keyList.push(keyText);
    }
    key.credential = credential;
    return key;
  }

  // ---- spoiled ballots (Benaloh, crypto.md §8; elections.md §6): rare, checked here
  async #spoiled({ index, body }: Located<'BallotSpoiled'>): Promise<void> {
    const report = this.#report;
    const evidence = { index, trackingCode: body.trackingCode };
    report.count('ballots.spoiled');
    report.count('ballots.uniqueness');
    // Authorised like a cast: one credential per ballot key, at most MAX_SPOILS_PER_BALLOT_KEY spoils per key.
    const key = this.#ballotKey(body.credential.ballotPublicKey, credentialDigest(body.credential), index, evidence);
    key.spoils++;
    if (key.spoils > MAX_SPOILS_PER_BALLOT_KEY) {
      report.fail('ballots.spoiled', `entry ${index}: the ballot key's spoil number ${key.spoils}, beyond the ${MAX_SPOILS_PER_BALLOT_KEY} an election allows`, { ...evidence, ballotPublicKey: body.credential.ballotPublicKey, spoils: key.spoils });
    }
    // Never cast, in either order: no cast ballot has its tracking code or one of its ciphertexts.
    const repeat = this.#spoiledCodes.get(body.trackingCode);
    if (repeat !== undefined) report.fail('ballots.spoiled', `entry ${index}: the same ballot was spoiled twice (first at entry ${repeat})`, { ...evidence, first: repeat });
    const castAt = this.#trackingCodes.get(body.trackingCode);
    if (castAt !== undefined) report.fail('ballots.spoiled', `entry ${index}: a spoiled ballot that was cast at entry ${castAt}`, { ...evidence, castAt });
    let sharesCast = false;
    for (const contest of body.ballot.contests) {
      for (const s of contest.selections) {
        const digest = ciphertextDigest(s.ciphertext);
        if (this.#ciphertextOwners.has(digest)) sharesCast = true;
        if (!this.#spoiledCiphertexts.has(digest)) this.#spoiledCiphertexts.set(digest, index);
      }
    }
    if (castAt === undefined && sharesCast) report.fail('ballots.spoiled', `entry ${index}: a spoiled ballot with a ciphertext of a cast ballot`, evidence);
    if (repeat === undefined) this.#spoiledCodes.set(body.trackingCode, index);

    const fp = this.#fp;
    if (!fp) return;
    // The tracking code, the ballot key's signature over the spoil message, the credential.
    report.count('ballots.signatures');
    let digest: Uint8Array;
    let ballotKey: Uint8Array;
    try {
      digest = sha256(ballotBytes(body.ballot));
      ballotKey = fromHex(body.credential.ballotPublicKey, 32);
    } catch (error) {
      report.fail('ballots.signatures', `entry ${index}: unreadable spoiled ballot: ${(error as Error).message}`, evidence);
      return;
    }
    if (toHex(digest) !== body.trackingCode) report.fail('ballots.signatures', `entry ${index}: the tracking code is not the spoiled ballot's digest`, { ...evidence, computed: toHex(digest) });
    if (!(await verifyEd25519(fromHex(body.signature, 64), lengthPrefixed(utf8(SPOIL_SIGNATURE_TAG), fp, digest), ballotKey))) {
      report.fail('ballots.signatures', `entry ${index}: the ballot-key signature of the spoil does not verify`, evidence);
    }
    const issuer = this.#state.issuer;
    if (issuer && this.#state.issuerBits !== null) {
      report.count('ballots.credentials');
      this.#issuerKey ??= globalThis.crypto.subtle.importKey('spki', fromHex(issuer.body.publicKeySpki), { name: 'RSA-PSS', hash: 'SHA-384' }, false, ['verify']).catch(() => null);
      const issuerKey = await this.#issuerKey;
      const message = concatBytes(fromHex(body.credential.messagePrefix, 32), utf8(CREDENTIAL_TAG), fp, ballotKey);
      const valid = issuerKey !== null && (await globalThis.crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, issuerKey, fromHex(body.credential.signature), message).catch(() => false));
      if (!valid) report.fail('ballots.credentials', `entry ${index}: the spoiled ballot's credential (RSA-PSS) does not verify`, evidence);
    }

    // The opening (crypto.md §8), once the election key is known.
    const K = this.#K;
    const manifest = this.#manifest;
    if (!K || !manifest) return;
    try {
      const { equations, ciphertexts } = ballotProofs(manifest.contests, fp, K, body.ballot);
      const secrets = body.secrets.contests.flatMap((c, ci) => c.selections.map((s, si) => ({ ...s, contestId: c.contestId, ci, si })));
      if (secrets.length !== ciphertexts.length) throw new TypeError('the secrets do not list every option');
      // crypto.md §6.3: each option opens as α = r·G and β = r·K + v·G. Written as equations, the
      // openings join the proofs in one multi-scalar multiplication (α, β, G and K are already in it);
      // each opening is its own item, so a failure names the option.
      const items: ProofItem[] = [{ label: `spoiled ballot at entry ${index}`, evidence, equations }];
      secrets.forEach((s, i) => {
        const r = decodeScalar(fromHex(s.randomness, 32));
        if (s.optionId !== body.ballot.contests[s.ci]!.selections[s.si]!.optionId) throw new TypeError('the secrets are not in ballot order');
        const c = ciphertexts[i]!;
        items.push({
          label: `entry ${index}: AUDIT_MISMATCH at ${s.contestId}/${s.optionId}`,
          evidence: { ...evidence, contestId: s.contestId, optionId: s.optionId },
          equations: [
            [{ scalar: r, point: G }, { scalar: -1n, point: c.alpha }],
            [{ scalar: r, point: K }, { scalar: BigInt(s.value), point: G }, { scalar: -1n, point: c.beta }],
          ],
        });
      });
      for (const failure of failingProofs(items)) report.fail('ballots.spoiled', failure.message, failure.evidence);
    } catch (error) {
      report.fail('ballots.spoiled', `entry ${index}: ${(error as Error).message}`, evidence);
    }
  }

  snapshot(): ElectionState {
    const state = structuredClone(this.#state);
    for (const [position, digest] of this.#verifiedNow) state.credentials[position]!.verifiedWith = digest;
    return {
      ...state,
      credentialsByDistrict: [...this.#credentialsByDistrict],
      ballotKeys: this.#keyList.map((k) => {
        const key = this.#ballotKeys.get(k)!;
        return [k, key.credential, key.last, key.stored ? toBase64(this.#ciphertexts.get(key.id)) : '', key.spoils];
      }),
      trackingCodes: [...this.#trackingCodes],
      ciphertextOwners: [...this.#ciphertextOwners],
      spoiledCodes: [...this.#spoiledCodes],
      spoiledCiphertexts: [...this.#spoiledCiphertexts],
      sums: this.#sums?.map((s) => toHex(concatBytes(s.alpha.toBytes(), s.beta.toBytes()))) ?? null,
    };
  }

  /**
   * The checks that need the whole record (the registry's passkeys and roll, the ceremony's
   * completeness, the tally), into `local`. The stream's own state is left as it was, but for which
   * passkey assertions verified (kept for `snapshot`, so a resumed run skips them).
   */
  async finish(local: ReportBuilder, registry: RegistryFacts): Promise<VerificationReport['result']> {
    const state = this.#state;
    const manifest = this.#manifest;
    if (!state.defined || !manifest || !this.#fp) {
      local.fail('election.definition', 'the record has no ElectionDefined entry');
      return null;
    }
    const fp = this.#fp;
    const { threshold: k, trustees: n } = manifest.ceremony;
    const keyPublished = state.seen.includes('ElectionKeyPublished');
    const warning = trusteeMinimumWarning(manifest.ceremony);
    if (warning) local.warn({ code: 'TRUSTEE_MINIMUM_WAIVED', message: warning });

    // ---- ceremony completeness
    if (this.#commitments.size !== n && keyPublished) local.fail('ceremony.commitments', `${this.#commitments.size} of ${n} trustees committed`, { trustees: [...this.#commitments.keys()] });
    if (keyPublished && (state.sharePairs.length !== n * (n - 1) || state.shares !== n * (n - 1))) local.fail('ceremony.commitments', `expected ${n * (n - 1)} distinct encrypted shares, found ${state.shares}`);
    if (!state.keyPublished) local.skip('ceremony.joint-key', 'The key ceremony has not finished in this record.');

    // ---- issuer key
    if (state.issuer) {
      if (state.firstUse !== null && state.firstUse < state.issuer.index) local.fail('credentials.issuer-key', `entry ${state.firstUse} uses a credential before the issuer key is published`, { index: state.firstUse, issuerKeyAt: state.issuer.index });
    } else if (state.firstUse !== null) local.fail('credentials.issuer-key', 'credentials are used but no issuer key is published');
    else local.skip('credentials.issuer-key', 'No issuer key in this record yet.');

    // ---- passkey assertions against the registry's Enrolled entries: in jobs over the pool's
    // workers (WebCrypto each), the verdicts reported in the order of the credentials. One that
    // verified in an earlier run with the same enrolled key is not verified again.
    const toCheck: { credential: PendingCredential; position: number; publicKey: string; digest: string }[] = [];
    let verifiedBefore = 0;
    for (const [position, c] of state.credentials.entries()) {
      const evidence = { index: c.index, pseudonym: c.pseudonym };
      const passkey = registry.enrolled.get(c.pseudonym)?.get(c.credentialIdHash);
      if (!passkey) {
        local.fail('credentials.issuance', `entry ${c.index}: no Enrolled entry in the record names this pseudonym's passkey`, { ...evidence, credentialIdHash: c.credentialIdHash });
        continue;
      }
      if (c.problem !== undefined) {
        local.fail('credentials.issuance', `entry ${c.index}: ${c.problem}`, evidence);
        continue;
      }
      const digest = passkeyDigest(passkey);
      if (c.verifiedWith === digest) verifiedBefore++;
      else toCheck.push({ credential: c, position, publicKey: passkey, digest });
    }
    const jobs: Promise<AssertionOutcome[]>[] = [];
    for (let at = 0; at < toCheck.length; at += ASSERTIONS_PER_JOB) {
      const items = toCheck.slice(at, at + ASSERTIONS_PER_JOB).map(({ credential, publicKey }) => ({ message: credential.message!, signature: credential.signature!, publicKey }));
      jobs.push(this.#pool.verifyAssertions({ items }));
    }
    const outcomes = (await Promise.all(jobs)).flat();
    outcomes.forEach((outcome, i) => {
      const { credential: c, position, digest } = toCheck[i]!;
      const evidence = { index: c.index, pseudonym: c.pseudonym };
      if ('error' in outcome) local.fail('credentials.issuance', `entry ${c.index}: unreadable passkey assertion or key: ${outcome.error}`, evidence);
      else if (!outcome.valid) local.fail('credentials.issuance', `entry ${c.index}: the passkey assertion fails: the ES256 signature does not verify with the enrolled passkey`, evidence);
      else this.#verifiedNow.set(position, digest);
    });
    const total = state.credentials.length;
    this.#progress({ check: 'credentials.issuance', done: total, total, message: `${total} passkey assertion${total === 1 ? '' : 's'} checked${verifiedBefore > 0 ? ` (${verifiedBefore} of them in an earlier run, with the same enrolled keys)` : ''}` });

    // ---- limits
    if (registry.roll?.districts) {
      for (const [district, issued] of this.#credentialsByDistrict) {
        local.count('credentials.limits');
        const eligible = registry.roll.districts[district] ?? 0;
        if (issued > eligible) local.fail('credentials.limits', `${issued} credentials issued in ${district}, which has ${eligible} electors`, { district, issued, eligible });
      }
      local.note('credentials.limits', 'Ballots are anonymous, so the ballot bound is on the whole election, the credential bound per district.');
    } else if (this.#credentialsByDistrict.size > 0) {
      // Eligibility cannot be shown without the roll the credentials were issued against.
      local.fail('credentials.limits', 'Credentials were issued, but the record carries no RollCommitted entry to check eligibility against', { credentialDistricts: [...this.#credentialsByDistrict.keys()] });
    } else local.skip('credentials.limits', 'The record carries no RollCommitted entry.');
    const totalCredentials = state.credentials.length;
    const keysWithBallots = this.#ballotKeys.size;
    local.count('credentials.limits');
    if (state.closedAt === null) {
      // elections.md §5.1: CredentialIssued entries are appended in epochs, at the latest with the
      // close, so before it a ballot key may vote before its credential's entry is in the log.
      if (keysWithBallots > totalCredentials) {
        local.note('credentials.limits', `The election is not closed in this record: ${keysWithBallots} ballot keys voted and ${totalCredentials} credential entries are in the log so far (the others wait for their epoch); ballot keys ≤ credentials is checked at the close.`);
      }
    } else if (keysWithBallots > totalCredentials) {
      local.fail('credentials.limits', `${keysWithBallots} ballot keys voted but only ${totalCredentials} credentials were issued`, { ballotKeys: keysWithBallots, credentials: totalCredentials });
    }

    const K = this.#K;
    const tally = state.tally;
    if (!tally || state.closedAt === null || !K) {
      local.skip('tally.aggregate', 'No tally in this record yet.');
      local.skip('tally.partial-decryptions', 'No tally in this record yet.');
      local.skip('tally.result', 'No result in this record yet.');
      return null;
    }

    // ---- counted set and aggregate (elections.md §7)
    const closedAt = state.closedAt;
    let counted = 0;
    for (const key of this.#ballotKeys.values()) if (key.last >= 0) counted++;
    local.count('tally.aggregate');
    if (tally.body.closedAtSize !== String(closedAt + 1)) local.fail('tally.aggregate', 'closedAtSize is not the index of ElectionClosed + 1', { expected: String(closedAt + 1), found: tally.body.closedAtSize });
    if (tally.body.countedBallots !== counted) local.fail('tally.aggregate', `the tally counts ${tally.body.countedBallots} ballots, the counted set has ${counted}`, { expected: counted, found: tally.body.countedBallots });
    const positions = manifest.contests.flatMap((c) => c.options.map((o) => ({ contestId: c.id, optionId: o.id })));
    const sums = positions.map((_, i) => ({ alpha: this.#sums?.[i]?.alpha ?? Point.ZERO, beta: this.#sums?.[i]?.beta ?? Point.ZERO }));
    const excluded = new Set(state.excluded);
    for (const s of state.superseded) {
      if (excluded.has(s.index) || s.ciphertexts === '') continue; // never added (already reported under ballots.proofs)
      const bytes = fromBase64(s.ciphertexts);
      positions.forEach((_, i) => {
        sums[i]!.alpha = sums[i]!.alpha.subtract(decodePoint(bytes.subarray(64 * i, 64 * i + 32)));
        sums[i]!.beta = sums[i]!.beta.subtract(decodePoint(bytes.subarray(64 * i + 32, 64 * i + 64), { allowIdentity: true }));
      });
    }
    const aggregate = tally.body.aggregate;
    if (aggregate.length !== positions.length) local.fail('tally.aggregate', `the aggregate has ${aggregate.length} ciphertexts, the manifest ${positions.length} options`);
    positions.forEach((p, i) => {
      const a = aggregate[i];
      local.count('tally.aggregate');
      const expected = { alpha: toHex(sums[i]!.alpha.toBytes()), beta: toHex(sums[i]!.beta.toBytes()) };
      if (!a || a.contestId !== p.contestId || a.optionId !== p.optionId || a.alpha !== expected.alpha || a.beta !== expected.beta) {
        local.fail('tally.aggregate', `the aggregate for ${p.contestId}/${p.optionId} is not the sum of the counted ballots`, { ...p, expected, found: a ?? null });
      }
    });

    // ---- partial decryptions (key-ceremony §4)
    const decryptable = positions.map((p, i) => ({ ...p, i })).filter((p) => !sums[p.i]!.alpha.is0());
    const validPartials = new Map<number, Point[]>();
    const partialItems: (ProofItem & { trustee: number })[] = [];
    for (const { index, body } of state.partials) {
      const l = body.trusteeIndex;
      const S = this.#verificationShares.get(l);
      try {
        if (!S) throw new TypeError(`no verification share for trustee ${l}`);
        if (validPartials.has(l)) throw new TypeError(`a second partial decryption from trustee ${l}`);
        if (body.shares.length !== decryptable.length) throw new TypeError(`${body.shares.length} shares for ${decryptable.length} non-empty aggregates`);
        const D: Point[] = [];
        const equations: Equation[] = [];
        decryptable.forEach((p, j) => {
          const share = body.shares[j]!;
          if (share.contestId !== p.contestId || share.optionId !== p.optionId) throw new TypeError(`share ${j} is for another position`);
          const Dl = decodePoint(fromHex(share.share, 32));
          D.push(Dl);
          equations.push(...chaumPedersenEquations(fp, `decryption/trustee:${l}/tally/contest:${p.contestId}/option:${p.optionId}`, G, S, sums[p.i]!.alpha, Dl, fromHex(share.proof, 96)));
        });
        partialItems.push({ label: `trustee ${l}'s partial decryption (entry ${index})`, evidence: { index, trusteeIndex: l }, equations, trustee: l });
        validPartials.set(l, D);
      } catch (error) {
        local.count('tally.partial-decryptions');
        local.fail('tally.partial-decryptions', `entry ${index}: ${(error as Error).message}`, { index, trusteeIndex: l });
      }
    }
    local.count('tally.partial-decryptions', partialItems.length);
    const partialFailures = failingProofs(partialItems);
    for (const failure of partialFailures) local.fail('tally.partial-decryptions', failure.message, failure.evidence);
    if (partialFailures.length > 0) for (const item of partialItems) if (item.equations.some((e) => !holds(e))) validPartials.delete(item.trustee);

    // ---- result
    const published = state.published;
    if (!published) {
      local.skip('tally.result', 'No result in this record yet.');
      return null;
    }
    local.count('tally.result');
    const T = published.body.trustees;
    if (new Set(T).size !== T.length || T.length < k) local.fail('tally.result', `the result combines ${T.length} distinct trustees, the threshold is ${k}`, { trustees: T });
    const missing = T.filter((t) => !validPartials.has(t));
    if (missing.length > 0) {
      local.fail('tally.result', 'the result uses trustees without a valid partial decryption', { trustees: missing });
      return published.body.result;
    }
    const lambdas = new Map(T.map((l) => [l, lagrangeAtZero(T, l)]));
    const computed = manifest.contests.map((contest) => ({
      contestId: contest.id,
      counts: contest.options.map((option) => {
        const i = positions.findIndex((p) => p.contestId === contest.id && p.optionId === option.id);
        const j = decryptable.findIndex((p) => p.i === i);
        if (j < 0) return { optionId: option.id, count: 0 };
        let vG = sums[i]!.beta;
        for (const l of T) vG = vG.subtract(times(validPartials.get(l)![j]!, lambdas.get(l)!));
        return { optionId: option.id, count: discreteLog(vG, counted) };
      }),
    }));
    for (const contest of computed) {
      const claimed = published.body.result.find((r) => r.contestId === contest.contestId);
      for (const c of contest.counts) {
        local.count('tally.result');
        const claim = claimed?.counts.find((x) => x.optionId === c.optionId)?.count;
        if (c.count < 0) local.fail('tally.result', `${contest.contestId}/${c.optionId}: the decryption is no count between 0 and ${counted}`, { contestId: contest.contestId, optionId: c.optionId });
        else if (claim !== c.count) local.fail('tally.result', `${contest.contestId}/${c.optionId}: published ${claim ?? 'nothing'}, the decryption gives ${c.count}`, { contestId: contest.contestId, optionId: c.optionId, published: claim ?? null, computed: c.count });
      }
    }
    if (published.body.result.length !== computed.length || published.body.result.some((r, i) => r.contestId !== computed[i]!.contestId || r.counts.length !== computed[i]!.counts.length)) {
      local.fail('tally.result', 'the published result does not list exactly the manifest’s contests and options');
    }
    return computed;
  }
}

/**
 * The verdict's warning for an election below the trustee minimum (k ≥ 2 of n ≥ 3) whose manifest
 * says the minimum was waived (a demonstration); without the waiver it fails election.definition.
 */
export function trusteeMinimumWarning(ceremony: ElectionManifest['ceremony']): string | null {
  const { threshold: k, trustees: n, minimumWaived } = ceremony;
  if (minimumWaived !== true || (k >= MIN_TRUSTEE_THRESHOLD && n >= MIN_TRUSTEES)) return null;
  const parts = ['DEMONSTRATION ONLY: the trustee minimum was waived for this election (ceremony.minimumWaived).'];
  if (k < MIN_TRUSTEE_THRESHOLD) parts.push(`The threshold is ${k}: ${k === 1 ? 'one trustee alone' : 'a single trustee'} can decrypt every ballot, so ballot secrecy rests on one person.`);
  if (n < MIN_TRUSTEES) parts.push(`Only ${n} trustee${n === 1 ? ' holds' : 's hold'} the election key; a real election has at least ${MIN_TRUSTEES}, any ${MIN_TRUSTEE_THRESHOLD} of whom must work together to decrypt.`);
  parts.push('Do not treat it as a real election.');
  return parts.join(' ');
}

/**
 * v with v·G = target and 0 ≤ v ≤ max, or −1 (key-ceremony §4 suggests baby-step giant-step): a
 * table of √max baby steps by encoding, then giant steps, so 100,000 ballots take ~600 steps.
 */
function discreteLog(target: Point, max: number): number {
  const m = Math.max(1, Math.ceil(Math.sqrt(max + 1)));
  const baby = new Map<string, number>();
  let P = Point.ZERO;
  for (let j = 0; j < m; j++, P = P.add(G)) baby.set(toHex(P.toBytes()), j);
  const giant = times(G, BigInt(m));
  let Q = target;
  for (let i = 0; i * m <= max; i++, Q = Q.subtract(giant)) {
    const j = baby.get(toHex(Q.toBytes()));
    if (j !== undefined && i * m + j <= max) return i * m + j;
  }
  return -1;
}
