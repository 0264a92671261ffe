import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ElectionEntryBodies, type ElectionManifest } from '@townhall/protocol';
import type { z } from 'zod';
import { concatBytes, equalBytes, fromBase64Url, fromHex, lengthPrefixed, toHex, u32be, utf8 } from './bytes.ts';
import type { Entry } from './entry.ts';
import {
  G,
  Point,
  ProofError,
  TAG_CONTEST_RANGE,
  TAG_SELECTION,
  batchHolds,
  chaumPedersenEquations,
  decodePoint,
  decodeScalar,
  disjunctiveEquations,
  holds,
  mod,
  ORDER,
  schnorrEquations,
  type Equation,
} from './group.ts';
import { canonicalJson } from './jcs.ts';
import type { ElectionRecord } from './record.ts';
import { verifyAssertion } from './webauthn.ts';
import type { CheckId, ReportBuilder, VerificationReport } from './report.ts';

type Bodies = { [K in keyof typeof ElectionEntryBodies]: z.infer<(typeof ElectionEntryBodies)[K]> };
type Located<K extends keyof Bodies> = { index: number; body: Bodies[K] };

// elections.md §1: the order of an election log, as ranks that never decrease.
const RANK: Record<string, number> = {
  LogCreated: 0, ElectionDefined: 1, TrusteeCommitted: 2, TrusteeShareSent: 3, ElectionKeyPublished: 4, IssuerKeyPublished: 5,
  ElectionOpened: 6, CredentialIssued: 7, BallotCast: 7, BallotSpoiled: 7, ElectionClosed: 8, TallyComputed: 9, PartialDecryption: 10, ResultPublished: 11,
};
const ONCE = new Set(['LogCreated', 'ElectionDefined', 'ElectionKeyPublished', 'IssuerKeyPublished', 'ElectionOpened', 'ElectionClosed', 'TallyComputed', 'ResultPublished']);

const FINGERPRINT_TAG = 'townhall/v1/election-fingerprint';
const CREDENTIAL_TAG = 'townhall/credential/v1';
const CHALLENGE_TAG = 'townhall/v1/credential-challenge';
const BALLOT_SIGNATURE_TAG = 'townhall/v1/ballot-signature';
const BALLOT_TAG = 'townhall/v1/ballot';

/** elections.md §2. */
export function fingerprintOf(manifest: unknown): Uint8Array {
  return sha256(lengthPrefixed(utf8(FINGERPRINT_TAG), utf8(canonicalJson(manifest))));
}

interface ProofItem {
  readonly label: string;
  readonly evidence: Record<string, unknown>;
  readonly equations: Equation[];
}

/** crypto.md §7: one weighted MSM for all items; if it fails, each item alone to name the culprits. */
function checkProofs(report: ReportBuilder, id: CheckId, items: readonly ProofItem[]): void {
  report.count(id, items.length);
  if (items.length === 0 || batchHolds(items.flatMap((i) => i.equations))) return;
  for (const item of items) {
    const failing = item.equations.findIndex((e) => !holds(e));
    if (failing >= 0) report.fail(id, `${item.label}: equation ${failing} does not hold`, item.evidence);
  }
}

function ballotBytes(ballot: Bodies['BallotCast']['ballot']): Uint8Array {
  const parts: Uint8Array[] = [lengthPrefixed(utf8(BALLOT_TAG)), u32be(ballot.contests.length)];
  for (const contest of ballot.contests) {
    parts.push(lengthPrefixed(utf8(contest.contestId)), u32be(contest.selections.length));
    for (const s of contest.selections) parts.push(lengthPrefixed(utf8(s.optionId)), fromHex(s.ciphertext, 64), lengthPrefixed(fromHex(s.proof)));
    parts.push(lengthPrefixed(fromHex(contest.rangeProof)));
  }
  return concatBytes(...parts);
}

interface Ciphertext {
  alpha: Point;
  beta: Point;
}

/** crypto.md §5.2 and §6: structure against the manifest, then the proofs as equations. */
function ballotProofs(manifest: ElectionManifest, fp: Uint8Array, K: Point, ballot: Bodies['BallotCast']['ballot']): { equations: Equation[]; ciphertexts: Ciphertext[] } {
  if (ballot.contests.length !== manifest.contests.length) throw new TypeError('INVALID_BALLOT: wrong number of contests');
  const equations: Equation[] = [];
  const ciphertexts: Ciphertext[] = [];
  manifest.contests.forEach((contest, c) => {
    const wire = ballot.contests[c]!;
    if (wire.contestId !== contest.id || wire.selections.length !== contest.options.length) throw new TypeError(`INVALID_BALLOT: contest ${c} does not match the manifest`);
    let A = Point.ZERO;
    let B = Point.ZERO;
    contest.options.forEach((option, o) => {
      const selection = wire.selections[o]!;
      if (selection.optionId !== option.id) throw new TypeError(`INVALID_BALLOT: option ${contest.id}/${o} does not match the manifest`);
      const bytes = fromHex(selection.ciphertext, 64);
      const alpha = decodePoint(bytes.subarray(0, 32));
      const beta = decodePoint(bytes.subarray(32), { allowIdentity: true });
      ciphertexts.push({ alpha, beta });
      A = A.add(alpha);
      B = B.add(beta);
      equations.push(...disjunctiveEquations(TAG_SELECTION, fp, `ballot/${contest.id}/${option.id}`, K, alpha, beta, [0, 1], fromHex(selection.proof)));
    });
    const range = Array.from({ length: contest.maxSelections - contest.minSelections + 1 }, (_, i) => contest.minSelections + i);
    equations.push(...disjunctiveEquations(TAG_CONTEST_RANGE, fp, `ballot/${contest.id}`, K, A, B, range, fromHex(wire.rangeProof)));
  });
  return { equations, ciphertexts };
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

async function importIssuerKey(spki: Uint8Array<ArrayBuffer>): Promise<{ key: CryptoKey; modulusBits: number }> {
  const key = await globalThis.crypto.subtle.importKey('spki', spki, { name: 'RSA-PSS', hash: 'SHA-384' }, true, ['verify']);
  const jwk = await globalThis.crypto.subtle.exportKey('jwk', key);
  const modulus = fromBase64Url(jwk.n!);
  let bits = modulus.length * 8;
  for (let b = modulus[0]!; b < 0x80 && bits > 0; b <<= 1) bits--;
  if (jwk.e !== 'AQAB') throw new TypeError('the public exponent is not 65537');
  return { key, modulusBits: bits };
}

export async function verifyElection(record: ElectionRecord, decoded: readonly (Entry | undefined)[], registry: readonly Entry[], report: ReportBuilder): Promise<VerificationReport['result']> {
  const origin = record.keys!.electionLog.origin;

  // ---- sequence and bodies
  const bodies: { index: number; type: string; body: any }[] = [];
  let rank = -1;
  const seen = new Set<string>();
  let closedAt: number | undefined;
  decoded.forEach((entry, index) => {
    if (!entry) return;
    report.count('election.sequence');
    const entryRank = RANK[entry.type];
    if (entryRank === undefined) {
      report.fail('election.sequence', `entry ${index} is a ${entry.type}, which has no place in an election log`, { index, type: entry.type });
      return;
    }
    if (entryRank < rank || (ONCE.has(entry.type) && seen.has(entry.type))) {
      report.fail('election.sequence', `entry ${index} (${entry.type}) is out of the lifecycle order`, { index, type: entry.type });
    }
    if ((index === 0) !== (entry.type === 'LogCreated')) report.fail('election.sequence', `entry ${index}: LogCreated must be the first entry, and only it`, { index });
    rank = Math.max(rank, entryRank);
    seen.add(entry.type);
    if (entry.type === 'ElectionClosed') closedAt = index;
    if (entry.type === 'BallotCast') {
      report.count('ballots.timing');
      if (closedAt !== undefined) report.fail('ballots.timing', `ballot at entry ${index} comes after ElectionClosed (entry ${closedAt})`, { index, closedAt });
    }
    if (entry.type === 'LogCreated') {
      if (entry.body.origin !== origin) report.fail('election.sequence', 'LogCreated names another origin', { expected: origin, found: entry.body.origin });
      return;
    }
    const schema = ElectionEntryBodies[entry.type as keyof typeof ElectionEntryBodies];
    const parsed = schema.safeParse(entry.body);
    if (!parsed.success) {
      report.fail('election.sequence', `entry ${index} (${entry.type}) does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, { index });
      return;
    }
    bodies.push({ index, type: entry.type, body: parsed.data });
  });
  const all = <K extends keyof Bodies>(type: K): Located<K>[] => bodies.filter((b) => b.type === type).map((b) => ({ index: b.index, body: b.body as Bodies[K] }));
  const one = <K extends keyof Bodies>(type: K): Located<K> | undefined => all(type)[0];

  // ---- definition and fingerprint
  const defined = one('ElectionDefined');
  if (!defined) {
    report.fail('election.definition', 'the record has no ElectionDefined entry');
    return null;
  }
  report.count('election.definition');
  const manifest = defined.body.manifest;
  const fp = fingerprintOf(manifest);
  if (toHex(fp) !== defined.body.fingerprint) report.fail('election.definition', 'the fingerprint is not the hash of the manifest', { expected: toHex(fp), found: defined.body.fingerprint });
  if (manifest.origin !== origin) report.fail('election.definition', 'the manifest names another log origin', { expected: origin, found: manifest.origin });
  if (record.header && manifest.electionId !== record.header.electionId) report.fail('election.definition', 'the manifest is for another election', { expected: record.header.electionId, found: manifest.electionId });
  if (!(manifest.ceremony.threshold >= 1 && manifest.ceremony.threshold <= manifest.ceremony.trustees)) report.fail('election.definition', 'the threshold is outside 1 … trustees');
  for (const b of bodies) {
    if (b.type !== 'ElectionDefined' && b.body.fingerprint !== toHex(fp)) report.fail('election.sequence', `entry ${b.index} (${b.type}) carries another election's fingerprint`, { index: b.index, expected: toHex(fp), found: b.body.fingerprint });
  }

  // ---- key ceremony
  const { threshold: k, trustees: n } = manifest.ceremony;
  const P = `ceremony/${k}-of-${n}`;
  const commitments = new Map<number, Point[]>();
  const ceremonyProofs: ProofItem[] = [];
  for (const { index, body } of all('TrusteeCommitted')) {
    const i = body.trusteeIndex;
    try {
      const bytes = fromHex(body.commitment);
      if (bytes.length !== 4 + 96 * (k + 1)) throw new TypeError(`expected ${4 + 96 * (k + 1)} bytes`);
      if (new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, false) !== i || i < 1 || i > n) throw new TypeError('trustee index does not match');
      if (commitments.has(i)) throw new TypeError('a second commitment from this trustee');
      const part = (j: number) => bytes.subarray(4 + 96 * j, 4 + 96 * (j + 1));
      const X = decodePoint(part(0).subarray(0, 32));
      const equations = schnorrEquations(fp, `${P}/trustee:${i}/identity`, X, part(0).subarray(32));
      const C: Point[] = [];
      for (let j = 0; j < k; j++) {
        const Cj = decodePoint(part(j + 1).subarray(0, 32));
        C.push(Cj);
        equations.push(...schnorrEquations(fp, `${P}/trustee:${i}/coefficient:${j}`, Cj, part(j + 1).subarray(32)));
      }
      commitments.set(i, C);
      ceremonyProofs.push({ label: `trustee ${i}'s commitment (entry ${index})`, evidence: { index, trusteeIndex: i }, equations });
    } catch (error) {
      report.fail('ceremony.commitments', `entry ${index}: trustee ${i}'s commitment is malformed: ${(error as Error).message}`, { index, trusteeIndex: i });
    }
  }
  checkProofs(report, 'ceremony.commitments', ceremonyProofs);
  if (commitments.size !== n && seen.has('ElectionKeyPublished')) report.fail('ceremony.commitments', `${commitments.size} of ${n} trustees committed`, { trustees: [...commitments.keys()] });
  const shares = all('TrusteeShareSent');
  const pairs = new Set(shares.map((s) => `${s.body.from}>${s.body.to}`));
  for (const s of shares) {
    const head = fromHex(s.body.encryptedShare).subarray(0, 8);
    if (!equalBytes(head, concatBytes(u32be(s.body.from), u32be(s.body.to))) || s.body.from === s.body.to) report.fail('ceremony.commitments', `entry ${s.index}: the encrypted share is not addressed as its entry says`, { index: s.index });
  }
  if (seen.has('ElectionKeyPublished') && (pairs.size !== n * (n - 1) || shares.length !== n * (n - 1))) report.fail('ceremony.commitments', `expected ${n * (n - 1)} distinct encrypted shares, found ${shares.length}`);

  let K: Point | undefined;
  const verificationShares = new Map<number, Point>();
  const keyPublished = one('ElectionKeyPublished');
  if (keyPublished && commitments.size === n) {
    report.count('ceremony.joint-key');
    let joint = Point.ZERO;
    for (const C of commitments.values()) joint = joint.add(C[0]!);
    if (joint.is0() || toHex(joint.toBytes()) !== keyPublished.body.electionKey) report.fail('ceremony.joint-key', 'the election key is not Σ C_{i,0}', { expected: toHex(joint.toBytes()), found: keyPublished.body.electionKey });
    K = joint;
    for (let l = 1; l <= n; l++) {
      let S = Point.ZERO;
      for (const C of commitments.values()) C.forEach((Cj, j) => (S = S.add(times(Cj, BigInt(l) ** BigInt(j)))));
      verificationShares.set(l, S);
      const published = keyPublished.body.verificationShares.find((v) => v.trusteeIndex === l);
      report.count('ceremony.joint-key');
      if (!published || published.share !== toHex(S.toBytes())) report.fail('ceremony.joint-key', `trustee ${l}'s verification share does not follow from the commitments`, { trusteeIndex: l, expected: toHex(S.toBytes()), found: published?.share ?? null });
    }
    const accepted = [...keyPublished.body.acceptedBy].sort((a, b) => a - b);
    if (accepted.length !== n || accepted.some((t, i) => t !== i + 1)) report.fail('ceremony.joint-key', 'not every trustee accepted its shares', { acceptedBy: keyPublished.body.acceptedBy });
  } else if (keyPublished) {
    report.fail('ceremony.joint-key', 'the key was published without every trustee’s commitment');
  } else report.skip('ceremony.joint-key', 'The key ceremony has not finished in this record.');

  // ---- issuer key
  const issuer = one('IssuerKeyPublished');
  let issuerKey: { key: CryptoKey; modulusBits: number } | undefined;
  if (issuer) {
    report.count('credentials.issuer-key');
    try {
      issuerKey = await importIssuerKey(fromHex(issuer.body.publicKeySpki));
      if (issuerKey.modulusBits !== issuer.body.modulusBits || issuerKey.modulusBits < 2048 || issuerKey.modulusBits > 4096) {
        report.fail('credentials.issuer-key', `the issuer key has ${issuerKey.modulusBits} bits, the entry says ${issuer.body.modulusBits}`);
      }
    } catch (error) {
      report.fail('credentials.issuer-key', `the issuer key does not import: ${(error as Error).message}`, { index: issuer.index });
    }
    const firstUse = bodies.find((b) => b.type === 'CredentialIssued' || b.type === 'BallotCast');
    if (firstUse && firstUse.index < issuer.index) report.fail('credentials.issuer-key', `entry ${firstUse.index} uses a credential before the issuer key is published`, { index: firstUse.index, issuerKeyAt: issuer.index });
  } else if (bodies.some((b) => b.type === 'CredentialIssued' || b.type === 'BallotCast')) {
    report.fail('credentials.issuer-key', 'credentials are used but no issuer key is published');
  } else report.skip('credentials.issuer-key', 'No issuer key in this record yet.');

  // ---- credential issuance
  // pseudonym → credentialIdHash → COSE public key, from the registry's Enrolled entries.
  const enrolled = new Map<string, Map<string, string>>();
  for (const e of registry.filter((e) => e.type === 'Enrolled')) {
    const { pseudonym, credentialIdHash, publicKey } = e.body as { pseudonym?: string; credentialIdHash?: string; publicKey?: string };
    if (typeof pseudonym === 'string' && typeof credentialIdHash === 'string' && typeof publicKey === 'string') enrolled.set(pseudonym, (enrolled.get(pseudonym) ?? new Map()).set(credentialIdHash, publicKey));
  }
  // The WebAuthn relying party is the deployment host (the origin's host without a port).
  const rpId = origin.split('/')[0]!.replace(/:\d+$/, '');
  const issuedTo = new Set<string>();
  const credentialsByDistrict = new Map<string, number>();
  for (const { index, body } of all('CredentialIssued')) {
    report.count('credentials.issuance');
    const evidence = { index, pseudonym: body.pseudonym };
    if (issuedTo.has(body.pseudonym)) report.fail('credentials.issuance', `entry ${index}: a second credential for the same pseudonym`, evidence);
    issuedTo.add(body.pseudonym);
    if (!manifest.eligibleDistricts.includes(body.district)) report.fail('credentials.issuance', `entry ${index}: district ${body.district} is not eligible`, { ...evidence, district: body.district });
    credentialsByDistrict.set(body.district, (credentialsByDistrict.get(body.district) ?? 0) + 1);
    const passkey = enrolled.get(body.pseudonym)?.get(body.credentialIdHash);
    if (!passkey) report.fail('credentials.issuance', `entry ${index}: no Enrolled entry in the record names this pseudonym's passkey`, { ...evidence, credentialIdHash: body.credentialIdHash });
    else {
      try {
        const challenge = sha256(lengthPrefixed(utf8(CHALLENGE_TAG), fp, fromHex(body.nonce), fromHex(body.blindedMessage)));
        const check = verifyAssertion(body.assertion, fromBase64Url(passkey), { challenge, rpId });
        if (!check.valid) report.fail('credentials.issuance', `entry ${index}: the passkey assertion fails: ${check.reason}`, { ...evidence, expectedChallenge: toHex(challenge) });
      } catch (error) {
        report.fail('credentials.issuance', `entry ${index}: unreadable passkey assertion or key: ${(error as Error).message}`, evidence);
      }
    }
    if (issuerKey && fromHex(body.blindedMessage).length * 8 !== Math.ceil(issuerKey.modulusBits / 8) * 8) report.fail('credentials.issuance', `entry ${index}: the blinded message is not modulus-sized`, evidence);
  }

  // ---- ballots
  const ballots = all('BallotCast');
  const credentialOfKey = new Map<string, string>();
  const trackingCodes = new Map<string, number>();
  const ballotItems: ProofItem[] = [];
  const ballotCiphertexts = new Map<number, Ciphertext[]>();
  const rsaChecks: Promise<void>[] = [];
  for (const { index, body } of ballots) {
    const evidence = { index, trackingCode: body.trackingCode };
    report.count('ballots.signatures');
    report.count('ballots.uniqueness');
    const digest = sha256(ballotBytes(body.ballot));
    if (toHex(digest) !== body.trackingCode) report.fail('ballots.signatures', `entry ${index}: the tracking code is not the ballot's digest`, { ...evidence, computed: toHex(digest) });
    const ballotKey = fromHex(body.credential.ballotPublicKey, 32);
    let signatureValid = false;
    try {
      signatureValid = ed25519.verify(fromHex(body.signature, 64), lengthPrefixed(utf8(BALLOT_SIGNATURE_TAG), fp, digest), ballotKey, { zip215: false }) && !ed25519.Point.fromBytes(ballotKey).isSmallOrder();
    } catch {
      signatureValid = false;
    }
    if (!signatureValid) report.fail('ballots.signatures', `entry ${index}: the ballot-key signature does not verify`, evidence);
    // One credential per ballot key; a ballot key may cast again (the last one counts), never with another credential.
    const credentialText = `${body.credential.messagePrefix}:${body.credential.signature}`;
    const previous = credentialOfKey.get(body.credential.ballotPublicKey);
    if (previous !== undefined && previous !== credentialText) report.fail('ballots.uniqueness', `entry ${index}: a ballot key presents a second credential`, { ...evidence, ballotPublicKey: body.credential.ballotPublicKey });
    credentialOfKey.set(body.credential.ballotPublicKey, credentialText);
    const repeat = trackingCodes.get(body.trackingCode);
    if (repeat !== undefined) report.fail('ballots.uniqueness', `entry ${index}: the same ballot was recorded twice (first at entry ${repeat})`, { ...evidence, first: repeat });
    trackingCodes.set(body.trackingCode, index);
    if (issuerKey) {
      const key = issuerKey.key;
      const message = concatBytes(fromHex(body.credential.messagePrefix, 32), utf8(CREDENTIAL_TAG), fp, ballotKey);
      rsaChecks.push(
        globalThis.crypto.subtle.verify({ name: 'RSA-PSS', saltLength: 48 }, key, fromHex(body.credential.signature), message).then((valid) => {
          report.count('ballots.credentials');
          if (!valid) report.fail('ballots.credentials', `entry ${index}: the credential's RSA-PSS signature does not verify`, evidence);
        }),
      );
    }
    if (!K) continue;
    try {
      const { equations, ciphertexts } = ballotProofs(manifest, fp, K, body.ballot);
      ballotCiphertexts.set(index, ciphertexts);
      ballotItems.push({ label: `ballot at entry ${index}`, evidence, equations });
    } catch (error) {
      report.count('ballots.proofs');
      report.fail('ballots.proofs', `entry ${index}: ${error instanceof ProofError ? 'INVALID_PROOF' : 'INVALID_BALLOT'}: ${(error as Error).message}`, evidence);
    }
  }
  await Promise.all(rsaChecks);
  checkProofs(report, 'ballots.proofs', ballotItems);
  // crypto.md §9: a tally must reject repeated ciphertexts across ballot keys.
  const ciphertextOwner = new Map<string, string>();
  for (const { index, body } of ballots) {
    for (const contest of body.ballot.contests) {
      for (const s of contest.selections) {
        const owner = ciphertextOwner.get(s.ciphertext);
        if (owner !== undefined && owner !== body.credential.ballotPublicKey) report.fail('ballots.uniqueness', `entry ${index}: a ciphertext copied from another voter's ballot`, { index, ciphertext: s.ciphertext });
        ciphertextOwner.set(s.ciphertext, body.credential.ballotPublicKey);
      }
    }
  }

  // ---- spoiled ballots (Benaloh)
  const spoiledItems: ProofItem[] = [];
  for (const { index, body } of all('BallotSpoiled')) {
    if (!K) break;
    const evidence = { index, trackingCode: body.trackingCode };
    try {
      if (toHex(sha256(ballotBytes(body.ballot))) !== body.trackingCode) throw new TypeError('the tracking code is not the ballot digest');
      const { equations, ciphertexts } = ballotProofs(manifest, fp, K, body.ballot);
      const secrets = body.secrets.contests.flatMap((c, ci) => c.selections.map((s, si) => ({ ...s, contestId: c.contestId, ci, si })));
      if (secrets.length !== ciphertexts.length) throw new TypeError('the secrets do not list every option');
      secrets.forEach((s, i) => {
        const r = decodeScalar(fromHex(s.randomness, 32));
        if (s.optionId !== body.ballot.contests[s.ci]!.selections[s.si]!.optionId) throw new TypeError('the secrets are not in ballot order');
        const c = ciphertexts[i]!;
        if (!times(G, r).equals(c.alpha) || !times(K!, r).add(s.value ? G : Point.ZERO).equals(c.beta)) throw new TypeError(`AUDIT_MISMATCH at ${s.contestId}/${s.optionId}`);
      });
      spoiledItems.push({ label: `spoiled ballot at entry ${index}`, evidence, equations });
    } catch (error) {
      report.count('ballots.spoiled');
      report.fail('ballots.spoiled', `entry ${index}: ${(error as Error).message}`, evidence);
    }
  }
  checkProofs(report, 'ballots.spoiled', spoiledItems);

  // ---- counted set, aggregate, limits
  const tally = one('TallyComputed');
  const closed = one('ElectionClosed');
  const counted = new Map<string, number>();
  if (closed) for (const { index, body } of ballots) if (index < closed.index) counted.set(body.credential.ballotPublicKey, index);
  const roll = registry.filter((e) => e.type === 'RollCommitted').at(-1)?.body as { districts?: Record<string, number> } | undefined;
  if (roll?.districts) {
    for (const [district, issued] of credentialsByDistrict) {
      report.count('credentials.limits');
      const eligible = roll.districts[district] ?? 0;
      if (issued > eligible) report.fail('credentials.limits', `${issued} credentials issued in ${district}, which has ${eligible} electors`, { district, issued, eligible });
    }
    report.note('credentials.limits', 'Ballots are anonymous, so the ballot bound is on the whole election, the credential bound per district.');
  } else if (credentialsByDistrict.size > 0) {
    // Eligibility cannot be shown without the roll the credentials were issued against.
    report.fail('credentials.limits', 'Credentials were issued, but the record carries no RollCommitted entry to check eligibility against', {
      credentialDistricts: [...credentialsByDistrict.keys()],
    });
  } else report.skip('credentials.limits', 'The record carries no RollCommitted entry.');
  const totalCredentials = all('CredentialIssued').length;
  const keysWithBallots = new Set(ballots.map((b) => b.body.credential.ballotPublicKey)).size;
  report.count('credentials.limits');
  if (keysWithBallots > totalCredentials) report.fail('credentials.limits', `${keysWithBallots} ballot keys voted but only ${totalCredentials} credentials were issued`, { ballotKeys: keysWithBallots, credentials: totalCredentials });

  if (!tally || !closed || !K) {
    report.skip('tally.aggregate', 'No tally in this record yet.');
    report.skip('tally.partial-decryptions', 'No tally in this record yet.');
    report.skip('tally.result', 'No result in this record yet.');
    return null;
  }
  report.count('tally.aggregate');
  if (tally.body.closedAtSize !== String(closed.index + 1)) report.fail('tally.aggregate', 'closedAtSize is not the index of ElectionClosed + 1', { expected: String(closed.index + 1), found: tally.body.closedAtSize });
  if (tally.body.countedBallots !== counted.size) report.fail('tally.aggregate', `the tally counts ${tally.body.countedBallots} ballots, the counted set has ${counted.size}`, { expected: counted.size, found: tally.body.countedBallots });
  const positions = manifest.contests.flatMap((c) => c.options.map((o) => ({ contestId: c.id, optionId: o.id })));
  const sums = positions.map(() => ({ alpha: Point.ZERO, beta: Point.ZERO }));
  for (const index of counted.values()) {
    const ciphertexts = ballotCiphertexts.get(index);
    if (!ciphertexts) continue; // already reported under ballots.proofs
    ciphertexts.forEach((c, i) => {
      sums[i]!.alpha = sums[i]!.alpha.add(c.alpha);
      sums[i]!.beta = sums[i]!.beta.add(c.beta);
    });
  }
  const aggregate = tally.body.aggregate;
  if (aggregate.length !== positions.length) report.fail('tally.aggregate', `the aggregate has ${aggregate.length} ciphertexts, the manifest ${positions.length} options`);
  positions.forEach((p, i) => {
    const a = aggregate[i];
    report.count('tally.aggregate');
    if (!a || a.contestId !== p.contestId || a.optionId !== p.optionId || a.alpha !== toHex(sums[i]!.alpha.toBytes()) || a.beta !== toHex(sums[i]!.beta.toBytes())) {
      report.fail('tally.aggregate', `the aggregate for ${p.contestId}/${p.optionId} is not the sum of the counted ballots`, { ...p, expected: { alpha: toHex(sums[i]!.alpha.toBytes()), beta: toHex(sums[i]!.beta.toBytes()) }, found: a ?? null });
    }
  });

  // ---- partial decryptions
  const decryptable = positions.map((p, i) => ({ ...p, i })).filter((p) => !sums[p.i]!.alpha.is0());
  const validPartials = new Map<number, Point[]>();
  const partialItems: ProofItem[] = [];
  const partialIndex = new Map<ProofItem, number>();
  for (const { index, body } of all('PartialDecryption')) {
    const l = body.trusteeIndex;
    const S = verificationShares.get(l);
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
      const item = { label: `trustee ${l}'s partial decryption (entry ${index})`, evidence: { index, trusteeIndex: l }, equations };
      partialItems.push(item);
      partialIndex.set(item, l);
      validPartials.set(l, D);
    } catch (error) {
      report.count('tally.partial-decryptions');
      report.fail('tally.partial-decryptions', `entry ${index}: ${(error as Error).message}`, { index, trusteeIndex: l });
    }
  }
  checkProofs(report, 'tally.partial-decryptions', partialItems);
  if (report.failed('tally.partial-decryptions')) for (const item of partialItems) if (item.equations.some((e) => !holds(e))) validPartials.delete(partialIndex.get(item)!);

  // ---- result
  const published = one('ResultPublished');
  if (!published) {
    report.skip('tally.result', 'No result in this record yet.');
    return null;
  }
  report.count('tally.result');
  const T = published.body.trustees;
  if (new Set(T).size !== T.length || T.length < k) report.fail('tally.result', `the result combines ${T.length} distinct trustees, the threshold is ${k}`, { trustees: T });
  const missing = T.filter((t) => !validPartials.has(t));
  if (missing.length > 0) {
    report.fail('tally.result', 'the result uses trustees without a valid partial decryption', { trustees: missing });
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
      let candidate = Point.ZERO;
      for (let v = 0; v <= counted.size; v++, candidate = candidate.add(G)) if (candidate.equals(vG)) return { optionId: option.id, count: v };
      return { optionId: option.id, count: -1 };
    }),
  }));
  for (const contest of computed) {
    const claimed = published.body.result.find((r) => r.contestId === contest.contestId);
    for (const c of contest.counts) {
      report.count('tally.result');
      const claim = claimed?.counts.find((x) => x.optionId === c.optionId)?.count;
      if (c.count < 0) report.fail('tally.result', `${contest.contestId}/${c.optionId}: the decryption is no count between 0 and ${counted.size}`, { contestId: contest.contestId, optionId: c.optionId });
      else if (claim !== c.count) report.fail('tally.result', `${contest.contestId}/${c.optionId}: published ${claim ?? 'nothing'}, the decryption gives ${c.count}`, { contestId: contest.contestId, optionId: c.optionId, published: claim ?? null, computed: c.count });
    }
  }
  if (published.body.result.length !== computed.length || published.body.result.some((r, i) => r.contestId !== computed[i]!.contestId || r.counts.length !== computed[i]!.counts.length)) {
    report.fail('tally.result', 'the published result does not list exactly the manifest’s contests and options');
  }
  return computed;
}

