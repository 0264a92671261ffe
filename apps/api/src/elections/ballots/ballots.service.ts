import { constants, createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';
import { ledgerEntry } from '../../ledger/ledger-entry.ts';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { createNodeVerificationPool } from '@townhall/crypto/workers/node';
import {
  CryptoError,
  assertValidBallotPublicKey,
  auditBallot,
  ballotDigest,
  ballotDigestOfWire,
  decodePoint,
  encodeCredentialMessage,
  parseAuditSecrets,
  parseBallot,
  type BallotManifest,
  type EncryptedBallot,
  type Point,
  type VerificationPool,
} from '@townhall/crypto';
import {
  BALLOT_CODE_MATCHES_MAX,
  MAX_SPOILS_PER_BALLOT_KEY,
  ballotSignatureMessage,
  fromHexString,
  shortTrackingCode,
  spoilSignatureMessage,
  toHexString,
  type BallotCodeMatches,
  type BallotStatus,
  type CastBallotRequest,
  type CastBallotResponse,
  type SpoilBallotRequest,
  type SpoiledBallotView,
} from '@townhall/protocol';
import { AppError } from '../../common/app-error.ts';
import { LedgerService } from '../../ledger/ledger.module.ts';
import { ElectionsRepository, type Client } from '../elections.repository.ts';
import { ElectionsService, notFound, type FrozenElection } from '../definition/elections.service.ts';
import { recheckPhase, requirePhase } from '../election-phase.ts';
import { ProofBatcher } from './proof-batcher.ts';

/**
 * Proof verification threads: one batch each at a time. Two on these 2-core machines: the event loop
 * is idle more than half the time while one thread verifies (docs/benchmarks.md, elections-cast).
 */
const PROOF_WORKERS = 2;
const rejected = (message: string, cause?: unknown) => new AppError('BALLOT_REJECTED', message, { cause });

interface Verifier {
  election: FrozenElection;
  manifest: BallotManifest;
  electionKey: Point;
  issuerKey: KeyObject;
  batcher: ProofBatcher;
}

/**
 * Casting and spoiling (docs/protocol/elections.md §6). A ballot is accepted only if its credential,
 * its ballot-key signature, its fingerprint and every proof verify; proofs are verified in batches
 * across concurrent requests. The last ballot per ballot key counts; the same ballot again is
 * answered with its first receipt.
 */
@Injectable()
export class BallotsService implements OnModuleInit, OnModuleDestroy {
  /** Verification material of the elections seen open, for casting and spoiling; the status is checked again in the append. */
  readonly #verifiers = new Map<string, Verifier>();
  /** Worker threads for proof verification, started on first use (the event loop keeps HTTP, SQL and the other checks). */
  #pool: VerificationPool | undefined;

  constructor(
    @Inject(ElectionsRepository) private readonly repository: ElectionsRepository,
    @Inject(ElectionsService) private readonly elections: ElectionsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    this.elections.statusChanged.add((electionId) => this.#verifiers.delete(electionId));
  }

  async onModuleDestroy(): Promise<void> {
    await this.#dropPool();
  }

  async #dropPool(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.close();
  }

  async cast(electionId: string, request: CastBallotRequest): Promise<{ created: boolean; response: CastBallotResponse }> {
    const verifier = await this.#verifier(electionId);
    const { election } = verifier;
    if (request.fingerprint !== toHexString(election.fingerprint)) {
      throw rejected('This ballot was made for another election or another version of it (the election fingerprint differs). Reload the election and vote again.');
    }
    // From the wire bytes: decoding the ballot's points is left to the verification worker.
    const trackingCode = parse(() => ballotDigestOfWire(request.ballot));
    const ballotPublicKey = authorised(verifier, request, ballotSignatureMessage(election.fingerprint, trackingCode), 'The ballot’s signature does not verify with its ballot key.');
    try {
      await verifier.batcher.verify(request.ballot);
    } catch (error) {
      if (error instanceof CryptoError && error.code === 'WORKER_FAILED') throw new Error('ballot proof verification worker failed', { cause: error });
      throw rejected(`A proof in the ballot does not verify (${error instanceof CryptoError ? error.message : 'invalid'}); nothing was recorded.`, error);
    }

    const trackingHex = toHexString(trackingCode);
    let appended;
    try {
      ({ appended } = await this.ledger.append(election.logName, async (tx, { nextIndex }) => {
        // One statement: the status check (the close is appended through this same sequencer), the
        // check that neither the ballot nor a ciphertext of it was spoiled, and the insert.
        const outcome = await this.repository.insertBallotIfOpen(tx, { electionId, trackingCode, ballotPublicKey, ballot: request.ballot, ledgerIndex: nextIndex, ciphertextDigests: ciphertextDigests(request.ballot) });
        if (outcome === 'spoiled') {
          throw new AppError('CONFLICT', 'This ballot, or one of its encrypted answers, was opened in public to check its encryption (spoiled), and an opened ballot can never be cast. Seal a fresh ballot and cast that; nothing was recorded.');
        }
        if (outcome === 'not-inserted') {
          await this.#stillOpen(tx, electionId); // throws the phase error
          throw new AlreadyCast();
        }
        const body = { fingerprint: request.fingerprint, trackingCode: trackingHex, ballot: request.ballot, credential: request.credential, signature: request.signature };
        return { entries: [ledgerEntry('BallotCast', body)], result: undefined };
      }));
    } catch (error) {
      // Closed since this instance cached it as open (by another instance, or its close had not committed yet).
      if (error instanceof AppError && error.code === 'ELECTION_WRONG_PHASE') this.#verifiers.delete(electionId);
      if (!(error instanceof AlreadyCast)) throw error;
      const existing = await this.repository.findBallot(electionId, trackingCode);
      if (!existing) throw new Error(`election ${electionId}: a ballot reported as cast already is not there`, { cause: error });
      return { created: false, response: await this.#sameBallotAgain(election, existing, ballotPublicKey) };
    }
    const { index, leafHash } = appended[0]!;
    // No receipt yet: the entry has only just been committed, and checkpoints are signed and
    // cosigned after commits, so none published covers it (asking costs three queries that find
    // so). The voter fetches it from GET /elections/:id/ballots/:trackingCode.
    return {
      created: true,
      response: { trackingCode: trackingHex, shortCode: shortTrackingCode(trackingHex), ledgerIndex: index.toString(), leafHash, receipt: null },
    };
  }

  async #sameBallotAgain(election: FrozenElection, existing: { ballotPublicKey: Uint8Array; ledgerIndex: bigint; leafHash: Uint8Array; trackingCode: Uint8Array }, ballotPublicKey: Uint8Array): Promise<CastBallotResponse> {
    if (!Buffer.from(existing.ballotPublicKey).equals(Buffer.from(ballotPublicKey))) {
      throw new AppError('CONFLICT', 'This exact ballot has been cast already with another credential.');
    }
    const trackingHex = toHexString(existing.trackingCode);
    return {
      trackingCode: trackingHex,
      shortCode: shortTrackingCode(trackingHex),
      ledgerIndex: existing.ledgerIndex.toString(),
      leafHash: toHexString(existing.leafHash),
      receipt: await this.#receipt(election.logName, existing.ledgerIndex),
    };
  }

  /**
   * The cast ballots whose tracking code starts with `prefixHex` (a short code as shown to the voter,
   * or more of the code): the voter's page then checks the one it finds, or asks for more digits.
   * Tracking codes are public (every one is in the election's record); this only saves a download.
   */
  async codesStartingWith(electionId: string, prefixHex: string): Promise<BallotCodeMatches> {
    await this.elections.frozen(electionId);
    const codes = await this.repository.trackingCodesStartingWith(electionId, prefixHex, BALLOT_CODE_MATCHES_MAX);
    return { trackingCodes: codes.map(toHexString) };
  }

  async status(electionId: string, trackingHex: string): Promise<BallotStatus> {
    const election = await this.elections.frozen(electionId);
    const trackingCode = fromHexString(trackingHex);
    const ballot = await this.repository.findBallot(electionId, trackingCode);
    if (!ballot) throw new AppError('NOT_FOUND', 'No ballot with that tracking code has been cast in this election.');
    const closedAtSize = election.row.closedAtSize;
    return {
      trackingCode: trackingHex,
      ledgerIndex: ballot.ledgerIndex.toString(),
      castAt: ballot.castAt.toISOString(),
      receipt: await this.#receipt(election.logName, ballot.ledgerIndex),
      counted: closedAtSize === null ? null : await this.repository.isCounted(electionId, trackingCode, closedAtSize),
    };
  }

  /**
   * Benaloh challenge: the voter reveals the secrets of a prepared ballot; it is opened, recorded, and
   * never counted. Authorised as a cast is (the ballot key's credential and its signature, here over
   * spoilSignatureMessage), at most MAX_SPOILS_PER_BALLOT_KEY per ballot key; a ballot that is cast,
   * or shares a ciphertext with a cast one, is never spoiled (elections.md §6).
   */
  async spoil(electionId: string, request: SpoilBallotRequest): Promise<SpoiledBallotView> {
    const verifier = await this.#verifier(electionId);
    const { election } = verifier;
    if (request.fingerprint !== toHexString(election.fingerprint)) throw rejected('This ballot was made for another election (the election fingerprint differs).');
    const ballot: EncryptedBallot = parse(() => parseBallot(request.ballot));
    const trackingCode = ballotDigest(ballot);
    const ballotPublicKey = authorised(verifier, request, spoilSignatureMessage(election.fingerprint, trackingCode), 'The spoil request’s signature does not verify with its ballot key.');
    const secrets = parse(() => parseAuditSecrets(request.secrets));
    let choices: Record<string, readonly string[]>;
    try {
      choices = auditBallot(verifier.manifest, ballot, secrets, verifier.electionKey, election.fingerprint);
    } catch (error) {
      throw rejected(`The spoiled ballot does not open with the revealed secrets: ${error instanceof CryptoError ? error.message : 'invalid'}.`, error);
    }
    const trackingHex = toHexString(trackingCode);
    const digests = ciphertextDigests(request.ballot);
    const { appended } = await this.ledger.append(election.logName, async (tx, { nextIndex }) => {
      await this.#stillOpen(tx, electionId);
      // Under the log's lock: a cast sequenced before this is seen here, and a cast after it sees this spoil.
      const obstacles = await this.repository.spoilObstacles(tx, { electionId, trackingCode, ballotPublicKey, ciphertextDigests: digests });
      if (obstacles.cast) throw new AppError('CONFLICT', 'This ballot has been cast; a cast ballot cannot be spoiled.');
      if (obstacles.castCiphertext) throw new AppError('CONFLICT', 'One of this ballot’s encrypted answers is part of a cast ballot; it cannot be spoiled.');
      if (obstacles.spoiled) throw new AppError('CONFLICT', 'This ballot has been spoiled already.');
      if (obstacles.spoils >= MAX_SPOILS_PER_BALLOT_KEY) {
        throw new AppError('SPOIL_LIMIT_REACHED', `This voting key has already opened ${MAX_SPOILS_PER_BALLOT_KEY} ballots to check their encryption, the most an election allows; nothing was recorded. Cast your ballot instead.`);
      }
      await this.repository.insertSpoiled(tx, { electionId, trackingCode, ballotPublicKey, choices, ledgerIndex: nextIndex, ciphertextDigests: digests });
      const body = { fingerprint: request.fingerprint, trackingCode: trackingHex, ballot: request.ballot, secrets: request.secrets, credential: request.credential, signature: request.signature };
      return { entries: [ledgerEntry('BallotSpoiled', body)], result: undefined };
    });
    return { trackingCode: trackingHex, ledgerIndex: appended[0]!.index.toString(), choices: choices as Record<string, string[]> };
  }

  async spoiled(electionId: string, trackingHex: string): Promise<SpoiledBallotView> {
    await this.elections.frozen(electionId);
    const row = await this.repository.findSpoiled(electionId, fromHexString(trackingHex));
    if (!row) throw new AppError('NOT_FOUND', 'No spoiled ballot has that tracking code.');
    return { trackingCode: trackingHex, ledgerIndex: row.ledgerIndex.toString(), choices: row.choices as Record<string, string[]> };
  }

  async #receipt(logName: string, index: bigint): Promise<string | null> {
    try {
      return await this.ledger.receipt(logName, index);
    } catch (error) {
      if (error instanceof AppError && error.code === 'SERVICE_UNAVAILABLE') return null;
      throw error;
    }
  }

  async #stillOpen(tx: Client, electionId: string): Promise<void> {
    recheckPhase(await this.repository.find(electionId, tx), 'open');
  }

  /** Per-election verification material of an open election, kept until its status changes. */
  async #verifier(electionId: string): Promise<Verifier> {
    const cached = this.#verifiers.get(electionId);
    if (cached) return cached;
    const election = await this.elections.frozen(electionId).catch(() => {
      throw notFound();
    });
    requirePhase(election.row, 'open');
    const manifest: BallotManifest = { contests: election.manifest.contests };
    const electionKey = decodePoint(new Uint8Array(election.row.electionKey!), 'electionKey');
    const verifier = {
      election,
      manifest,
      electionKey,
      issuerKey: createPublicKey({ key: Buffer.from(election.row.issuerPublicKey!), format: 'der', type: 'spki' }),
      batcher: new ProofBatcher(() => (this.#pool ??= createNodeVerificationPool(PROOF_WORKERS, { chunks: 'whole' })), () => void this.#dropPool(), manifest, electionKey, election.fingerprint),
    };
    this.#verifiers.set(electionId, verifier);
    return verifier;
  }
}

/**
 * Ed25519 ballot signature, checked by OpenSSL (~0.1 ms instead of ~2 ms in JavaScript). The key has
 * passed `assertValidBallotPublicKey` (canonical, not small order) first; OpenSSL then checks S < L
 * and [S]B = R + [k]A exactly (cofactorless), which accepts no signature that the strict check of
 * `verifyBallotSignature` (`zip215: false`, cofactored), used by the verifier, would refuse.
 */
function verifyBallotSignatureNative(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' });
  return verifySignature(null, message, key, signature);
}

/**
 * The ballot key of a cast or spoil request, once its credential (RFC 9474: RSASSA-PSS-VERIFY with
 * SHA-384, MGF1-SHA-384, 48-byte salt, of `messagePrefix ‖ "townhall/credential/v1" ‖ fp ‖ key`)
 * and the ballot key's Ed25519 signature over `signed` verify (elections.md §6 steps 2–3).
 */
function authorised(verifier: Verifier, request: { credential: CastBallotRequest['credential']; signature: string }, signed: Uint8Array, badSignature: string): Uint8Array {
  const ballotPublicKey = fromHexString(request.credential.ballotPublicKey);
  parse(() => assertValidBallotPublicKey(ballotPublicKey, 'credential.ballotPublicKey'));
  const credentialMessage = new Uint8Array([...fromHexString(request.credential.messagePrefix), ...encodeCredentialMessage(verifier.election.fingerprint, ballotPublicKey)]);
  const isCredentialValid = verifySignature(
    'sha384',
    credentialMessage,
    { key: verifier.issuerKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 },
    fromHexString(request.credential.signature),
  );
  if (!isCredentialValid) throw rejected('The voting credential is not valid for this election.');
  if (!verifyBallotSignatureNative(ballotPublicKey, signed, fromHexString(request.signature))) throw rejected(badSignature);
  return ballotPublicKey;
}

/** SHA-256 of each ciphertext's 64 bytes (α ‖ β), the key of `ballot_ciphertext` (the wire form is lowercase hex, checked by the schema). */
function ciphertextDigests(ballot: CastBallotRequest['ballot']): Uint8Array[] {
  return ballot.contests.flatMap((contest) => contest.selections.map((s) => new Uint8Array(createHash('sha256').update(Buffer.from(s.ciphertext, 'hex')).digest())));
}

/**
 * This exact ballot (the same tracking code) is cast already: sent again after its answer was lost,
 * or twice at once. It is looked up only then, so a first cast costs no query for it.
 */
class AlreadyCast extends Error {
  constructor() {
    super('the ballot is cast already');
  }
}

function parse<T>(operation: () => T): T {
  try {
    return operation();
  } catch (error) {
    if (error instanceof CryptoError) throw rejected(`The ballot is malformed: ${error.message}.`, error);
    throw error;
  }
}
