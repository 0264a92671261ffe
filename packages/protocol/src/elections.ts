import { z } from 'zod';
import { sha256 } from '@noble/hashes/sha2.js';
import canonicalize from 'canonicalize';
import { AuthenticationResponseJSON } from './identity.ts';
import { lengthPrefixed, utf8 } from './length-prefixed.ts';

/**
 * Elections: definition, key ceremony, credentials, casting, tally and result (docs/protocol/elections.md;
 * normative bytes in docs/protocol/elections.md). Access, CSRF and error conventions as in identity.ts.
 *
 * method path                                               access                 body → response                                   errors (besides VALIDATION_FAILED, CSRF_REJECTED)
 * GET    /elections                                         public                 – → ElectionListResponse (not drafts)             –
 * GET    /elections/mine                                    resident               – → ElectionListResponse (open/ready/… elections of the caller's district, with hasCredential) UNAUTHENTICATED
 * GET    /elections/:id                                     public                 – → ElectionDetail (drafts: staff only, else 404)   NOT_FOUND
 * GET    /official/elections                                staff(officer,admin)   – → ElectionListResponse (drafts included)        –
 * POST   /official/elections                                staff(officer,admin)   ElectionDraft → ElectionDetail (201)             ELECTION_INVALID (422, `issues`)
 * PUT    /official/elections/:id                            staff(officer,admin)   ElectionDraft → ElectionDetail                   NOT_FOUND, ELECTION_INVALID, ELECTION_WRONG_PHASE (not a draft)
 * POST   /official/elections/:id/ceremony                   staff(officer,admin)   StartCeremonyRequest → ElectionDetail            NOT_FOUND, ELECTION_INVALID (unknown staff, k > n, close in the past), ELECTION_WRONG_PHASE
 *          freezes the manifest, computes the fingerprint, creates the election's log (`election-<id>`), grants each
 *          staff member the trustee role for this election, appends ElectionDefined → status key-ceremony.
 * POST   /official/elections/:id/open                       staff(officer,admin)   {} → ElectionDetail (ready → open now)           NOT_FOUND, ELECTION_WRONG_PHASE
 * POST   /official/elections/:id/close                      staff(officer,admin)   {} → ElectionDetail (open → closed now)          NOT_FOUND, ELECTION_WRONG_PHASE
 * POST   /official/elections/:id/tally                      staff(officer,admin)   {} → ElectionDetail (closed → tallied)            NOT_FOUND, ELECTION_WRONG_PHASE
 * GET    /official/elections/:id/dashboard                  staff(officer,admin)   – → ElectionDashboard                            NOT_FOUND
 * GET    /elections/:id/ceremony                            public                 – → CeremonyState (commitments, shares are public: they are encrypted)   NOT_FOUND
 * POST   /trustee/elections/:id/commitment                  trustee(of :id)        TrusteeCommitmentRequest → CeremonyState         NOT_FOUND, ELECTION_WRONG_PHASE, CONFLICT (posted already), CEREMONY_REJECTED (proof fails)
 * POST   /trustee/elections/:id/shares                      trustee(of :id)        TrusteeSharesRequest → CeremonyState (one share for every other trustee)   ELECTION_WRONG_PHASE (commitments missing), CONFLICT, CEREMONY_REJECTED (malformed / wrong sender or recipients)
 * POST   /trustee/elections/:id/verdict                     trustee(of :id)        TrusteeVerdictRequest → CeremonyState            ELECTION_WRONG_PHASE, CONFLICT, CEREMONY_REJECTED (complaint that is not upheld)
 *          an upheld complaint halts the ceremony (status `halted`); when every trustee has accepted, the joint key
 *          and the issuer key are published (ElectionKeyPublished, IssuerKeyPublished) → status ready.
 * POST   /elections/:id/credential-challenge                resident               {} → CredentialChallengeResponse                 NOT_FOUND, ELECTION_WRONG_PHASE (not open), NOT_ELIGIBLE, CREDENTIAL_ALREADY_ISSUED
 * POST   /elections/:id/credentials                         resident               CredentialRequest → CredentialResponse (201)     CHALLENGE_EXPIRED (unknown/used nonce: a replay), PASSKEY_VERIFICATION_FAILED, CREDENTIAL_ALREADY_ISSUED (409), NOT_ELIGIBLE, ELECTION_WRONG_PHASE
 * POST   /elections/:id/ballots                             public (no session)    CastBallotRequest → CastBallotResponse (201, or 200 for the same ballot again)   BALLOT_REJECTED (422: credential, signature, fingerprint or proofs), ELECTION_WRONG_PHASE (not open / closed), CONFLICT (the same ballot under another key; the ballot, or one of its ciphertexts, was spoiled)
 * GET    /elections/:id/ballots?startsWith=<hex>            public                 – → BallotCodeMatches (the cast ballots whose tracking code starts so; 12–64 hex digits, e.g. a short code)   VALIDATION_FAILED, NOT_FOUND (no such election)
 * GET    /elections/:id/ballots/:trackingCode               public                 – → BallotStatus (inclusion, receipt, counted after close)   NOT_FOUND
 * POST   /elections/:id/spoiled-ballots                     public (no session)    SpoilBallotRequest → SpoiledBallotView (201)     BALLOT_REJECTED (credential, spoil signature, proofs or revealed secrets), ELECTION_WRONG_PHASE, CONFLICT (cast already, or shares a ciphertext with a cast ballot; spoiled already), SPOIL_LIMIT_REACHED (the ballot key spoiled MAX_SPOILS_PER_BALLOT_KEY already)
 * GET    /elections/:id/spoiled-ballots/:trackingCode       public                 – → SpoiledBallotView                            NOT_FOUND
 * GET    /elections/:id/tally                               public                 – → TallyState (aggregate, partial decryptions, result)   NOT_FOUND
 * POST   /trustee/elections/:id/partial-decryption          trustee(of :id)        PartialDecryptionRequest → TallyState            ELECTION_WRONG_PHASE (not tallied), CONFLICT (posted already), DECRYPTION_REJECTED (a proof fails; nothing recorded)
 *          once k valid partial decryptions are in, the counts are combined, solved and ResultPublished is appended → status published.
 *
 * Casting and spoiling use no session and no CSRF token (`PublicMachine`): the ballot is
 * authorised by its credential and its ballot-key signature, and sending it without the voter's
 * cookie keeps the IP/cookie of the sign-in away from the ballot as far as the server is concerned.
 * Trustee routes take the trustee's index from their role; the server never sees a trustee secret.
 */

// ---------------------------------------------------------------------------------------------
// Primitives

const hex = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-f]{${2 * bytes}}$`), `must be ${bytes} bytes of lowercase hex`);
const hexAny = z.string().regex(/^(?:[0-9a-f]{2})*$/, 'must be lowercase hex').max(200_000);
export const Hex32 = hex(32);
export const Identifier = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A-Z a-z 0-9 _ -');
export const ElectionId = z.uuid();
export const TrackingCode = z.string().regex(/^[0-9a-f]{64}$/, 'must be a 64-character tracking code');

export const ElectionStatus = z.enum(['draft', 'key-ceremony', 'halted', 'ready', 'open', 'closed', 'tallied', 'published']);
export type ElectionStatus = z.infer<typeof ElectionStatus>;

// ---------------------------------------------------------------------------------------------
// Definition

export const ContestOption = z.strictObject({ id: Identifier, label: z.string().trim().min(1).max(200) });
export const Contest = z
  .strictObject({
    id: Identifier,
    title: z.string().trim().min(1, 'give the contest a title').max(200),
    options: z.array(ContestOption).min(1, 'a contest needs at least one option').max(64, 'at most 64 options'),
    minSelections: z.number().int().min(0, 'minSelections cannot be negative'),
    maxSelections: z.number().int().min(1, 'maxSelections must be at least 1'),
  })
  .superRefine((contest, ctx) => {
    if (contest.minSelections > contest.maxSelections) {
      ctx.addIssue({ code: 'custom', path: ['minSelections'], message: `minSelections (${contest.minSelections}) must not exceed maxSelections (${contest.maxSelections})` });
    }
    if (contest.maxSelections > contest.options.length) {
      ctx.addIssue({ code: 'custom', path: ['maxSelections'], message: `maxSelections (${contest.maxSelections}) must not exceed the number of options (${contest.options.length})` });
    }
    const seen = new Set<string>();
    contest.options.forEach((option, i) => {
      if (seen.has(option.id)) ctx.addIssue({ code: 'custom', path: ['options', i, 'id'], message: `option id "${option.id}" is used twice` });
      seen.add(option.id);
    });
  });
export type Contest = z.infer<typeof Contest>;

export const ElectionSchedule = z
  .strictObject({ opensAt: z.iso.datetime({ offset: true }), closesAt: z.iso.datetime({ offset: true }) })
  .refine((s) => Date.parse(s.opensAt) < Date.parse(s.closesAt), { path: ['closesAt'], message: 'the election must close after it opens' });

/** What an official creates and edits while the election is a draft. */
export const ElectionDraft = z
  .strictObject({
    title: z.string().trim().min(1, 'give the election a title').max(200),
    description: z.string().trim().max(2000).default(''),
    contests: z.array(Contest).min(1, 'an election needs at least one contest').max(100),
    /** District codes whose electors may vote; each must exist in the council. */
    eligibleDistricts: z.array(z.string().min(1).max(32)).min(1, 'choose at least one district'),
    schedule: ElectionSchedule,
  })
  .superRefine((draft, ctx) => {
    const contests = new Set<string>();
    draft.contests.forEach((c, i) => {
      if (contests.has(c.id)) ctx.addIssue({ code: 'custom', path: ['contests', i, 'id'], message: `contest id "${c.id}" is used twice` });
      contests.add(c.id);
    });
    if (new Set(draft.eligibleDistricts).size !== draft.eligibleDistricts.length) {
      ctx.addIssue({ code: 'custom', path: ['eligibleDistricts'], message: 'a district is listed twice' });
    }
  });
export type ElectionDraft = z.input<typeof ElectionDraft>;

/**
 * The frozen definition, recorded in ElectionDefined and hashed into the fingerprint
 * (docs/protocol/elections.md §2). Times are normalised to UTC ISO-8601 with milliseconds;
 * districts are sorted.
 */
export const ElectionManifest = z.strictObject({
  version: z.literal(1),
  electionId: ElectionId,
  /** The election log's origin, `<host>/townhall/election/<id>`: binds the election to the deployment. */
  origin: z.string(),
  title: z.string(),
  description: z.string(),
  contests: z.array(Contest),
  eligibleDistricts: z.array(z.string()),
  schedule: z.strictObject({ opensAt: z.string(), closesAt: z.string() }),
  ceremony: z.strictObject({
    threshold: z.number().int().min(1),
    trustees: z.number().int().min(1).max(255),
    /**
     * Present (and true) only when the deployment waived the trustee minimum (k ≥ 2, n ≥ 3) for a
     * demonstration (`TOWNHALL_ALLOW_FEWER_TRUSTEES`): the record says so, and verifiers warn.
     */
    minimumWaived: z.literal(true).optional(),
  }),
});
/** The trustee minimum of a real election (elections.md §2): any k of n decrypt, k ≥ 2, n ≥ 3. */
export const MIN_TRUSTEE_THRESHOLD = 2;
export const MIN_TRUSTEES = 3;
export type ElectionManifest = z.infer<typeof ElectionManifest>;

const FINGERPRINT_TAG = 'townhall/v1/election-fingerprint';
const CREDENTIAL_CHALLENGE_TAG = 'townhall/v1/credential-challenge';
const BALLOT_SIGNATURE_TAG = 'townhall/v1/ballot-signature';
const SPOIL_SIGNATURE_TAG = 'townhall/v1/spoil-signature';

export const toHexString = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
export function fromHexString(text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new TypeError('expected lowercase hex');
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** fp = SHA-256(lengthPrefixed(utf8(tag), utf8(JCS(manifest)))) — docs/protocol/elections.md §2. */
export function electionFingerprint(manifest: ElectionManifest): Uint8Array {
  return sha256(lengthPrefixed(utf8(FINGERPRINT_TAG), utf8(canonicalize(ElectionManifest.parse(manifest))!)));
}

/** The WebAuthn challenge of a credential request: binds the passkey assertion to this blinded message. */
export function credentialChallenge(fingerprint: Uint8Array, nonce: Uint8Array, blindedMessage: Uint8Array): Uint8Array {
  return sha256(lengthPrefixed(utf8(CREDENTIAL_CHALLENGE_TAG), fingerprint, nonce, blindedMessage));
}

/** The bytes a ballot key signs: the election and the ballot's tracking code (its digest). */
export function ballotSignatureMessage(fingerprint: Uint8Array, trackingCode: Uint8Array): Uint8Array {
  return lengthPrefixed(utf8(BALLOT_SIGNATURE_TAG), fingerprint, trackingCode);
}

/**
 * The bytes a ballot key signs to spoil (open in public, Benaloh) one of its ballots: the election
 * and the ballot's tracking code, under a tag of its own, so a cast signature never spoils and a
 * spoil signature never casts (elections.md §6).
 */
export function spoilSignatureMessage(fingerprint: Uint8Array, trackingCode: Uint8Array): Uint8Array {
  return lengthPrefixed(utf8(SPOIL_SIGNATURE_TAG), fingerprint, trackingCode);
}

/** Spoiled (publicly opened) ballots per ballot key and election at most (elections.md §6): beyond it, SPOIL_LIMIT_REACHED. */
export const MAX_SPOILS_PER_BALLOT_KEY = 5;

// ---------------------------------------------------------------------------------------------
// Views

export const ElectionSummary = z.object({
  id: ElectionId,
  title: z.string(),
  status: ElectionStatus,
  opensAt: z.string(),
  closesAt: z.string(),
  eligibleDistricts: z.array(z.string()),
  /** When voting actually closed (early, by an official, or on schedule); null until then. */
  closedAt: z.string().nullable().default(null),
});
export type ElectionSummary = z.infer<typeof ElectionSummary>;

export const ElectionListResponse = z.object({
  elections: z.array(ElectionSummary.extend({ hasCredential: z.boolean().optional() })),
});
export type ElectionListResponse = z.infer<typeof ElectionListResponse>;

export const ElectionDetail = ElectionSummary.extend({
  description: z.string(),
  contests: z.array(Contest),
  /** Null while a draft; the manifest and fingerprint once the definition is frozen. */
  manifest: ElectionManifest.nullable(),
  fingerprint: Hex32.nullable(),
  logName: z.string().nullable(),
  /** ristretto255 joint key, hex; null until the ceremony completes. */
  electionKey: Hex32.nullable(),
  /** RFC 9474 issuer key, SubjectPublicKeyInfo DER hex; null until the ceremony completes. */
  issuerPublicKey: z.string().nullable(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type ElectionDetail = z.infer<typeof ElectionDetail>;

export const ElectionDashboard = z.object({
  election: ElectionSummary,
  credentialsIssued: z.number(),
  ballotsCast: z.number(),
  distinctVoters: z.number(),
  spoiledBallots: z.number(),
  turnoutByDistrict: z.array(z.object({ district: z.string(), electors: z.number(), credentials: z.number() })),
  ledger: z.object({ size: z.string(), latestPublishedCheckpoint: z.string().nullable() }),
});
export type ElectionDashboard = z.infer<typeof ElectionDashboard>;

// ---------------------------------------------------------------------------------------------
// Key ceremony

export const StartCeremonyRequest = z.strictObject({
  threshold: z.number().int().min(1),
  /** Staff member ids, in trustee-index order (index = position + 1). */
  trustees: z.array(z.uuid()).min(1).max(255),
}).refine((r) => r.threshold <= r.trustees.length, { path: ['threshold'], message: 'the threshold cannot exceed the number of trustees' })
  .refine((r) => new Set(r.trustees).size === r.trustees.length, { path: ['trustees'], message: 'a trustee is listed twice' });
export type StartCeremonyRequest = z.infer<typeof StartCeremonyRequest>;

/** `encodeTrusteeCommitment` bytes, hex (4 + 96·(k+1) bytes). */
export const TrusteeCommitmentRequest = z.strictObject({ commitment: hexAny });
/** `encodeEncryptedShare` bytes, hex (88 bytes each), one per other trustee. */
export const TrusteeSharesRequest = z.strictObject({ shares: z.array(hex(88)).max(254) });
export const TrusteeVerdictRequest = z.discriminatedUnion('verdict', [
  z.strictObject({ verdict: z.literal('accept') }),
  z.strictObject({
    verdict: z.literal('complaint'),
    accused: z.number().int().min(1).max(255),
    /** Z = x_ℓ·E, hex. */
    sharedSecret: Hex32,
    /** Chaum–Pedersen proof t1 ‖ t2 ‖ z, hex (96 bytes). */
    proof: hex(96),
  }),
]);
export type TrusteeVerdictRequest = z.infer<typeof TrusteeVerdictRequest>;

export const CeremonyState = z.object({
  status: ElectionStatus,
  fingerprint: Hex32,
  threshold: z.number(),
  trustees: z.array(
    z.object({
      index: z.number(),
      displayName: z.string(),
      commitment: z.string().nullable(),
      sharesSent: z.boolean(),
      verdict: z.enum(['pending', 'accepted', 'complained']),
    }),
  ),
  /** Every encrypted share, hex (`from`, `to` are trustee indices). */
  shares: z.array(z.object({ from: z.number(), to: z.number(), share: hex(88) })),
  electionKey: Hex32.nullable(),
  haltedReason: z.string().nullable(),
  /** The caller's own index when a trustee of this election calls. */
  yourIndex: z.number().nullable(),
});
export type CeremonyState = z.infer<typeof CeremonyState>;

// ---------------------------------------------------------------------------------------------
// Credentials

export const CredentialChallengeResponse = z.object({
  /** 32 random bytes, hex; single use, 5 minutes. */
  nonce: Hex32,
  fingerprint: Hex32,
  issuerPublicKey: z.string(),
  /** Use `base64url(credentialChallenge(fp, nonce, blindedMessage))` as the WebAuthn challenge. */
  rpId: z.string(),
  allowCredentials: z.array(z.object({ id: z.string(), type: z.literal('public-key') })),
  userVerification: z.literal('required'),
  timeout: z.number(),
});
export type CredentialChallengeResponse = z.infer<typeof CredentialChallengeResponse>;

export const CredentialRequest = z.strictObject({
  nonce: Hex32,
  /** RFC 9474 blinded message, hex, kLen bytes. */
  blindedMessage: z.string().regex(/^[0-9a-f]{512,1024}$/, 'must be 256–512 bytes of lowercase hex'),
  assertion: AuthenticationResponseJSON,
});
export type CredentialRequest = z.infer<typeof CredentialRequest>;

export const CredentialResponse = z.object({
  /** RFC 9474 blind signature, hex; unblind it with `finalizeCredential`. */
  blindSignature: z.string(),
  /**
   * The CredentialIssued entry's index, or null while it waits for its epoch (elections.md §5.1):
   * it is appended with the others of the epoch, at the latest at the close.
   */
  ledgerIndex: z.string().nullable(),
});
export type CredentialResponse = z.infer<typeof CredentialResponse>;

// ---------------------------------------------------------------------------------------------
// Ballots

/** The crypto package's ballot wire form (docs/protocol/crypto.md §5); checked in depth by the server. */
export const BallotWire = z.strictObject({
  version: z.literal(1),
  contests: z
    .array(
      z.strictObject({
        contestId: Identifier,
        selections: z.array(z.strictObject({ optionId: Identifier, ciphertext: hex(64), proof: hexAny })).min(1).max(64),
        rangeProof: hexAny,
      }),
    )
    .min(1)
    .max(100),
});
export type BallotWire = z.infer<typeof BallotWire>;

export const BallotCredential = z.strictObject({
  messagePrefix: Hex32,
  signature: z.string().regex(/^[0-9a-f]{512,1024}$/, 'must be 256–512 bytes of lowercase hex'),
  ballotPublicKey: Hex32,
});
export type BallotCredential = z.infer<typeof BallotCredential>;

export const CastBallotRequest = z.strictObject({
  /** Must equal the election's fingerprint. */
  fingerprint: Hex32,
  ballot: BallotWire,
  credential: BallotCredential,
  /** Ed25519 over ballotSignatureMessage(fp, trackingCode), hex. */
  signature: hex(64),
});
export type CastBallotRequest = z.infer<typeof CastBallotRequest>;

export const CastBallotResponse = z.object({
  /** SHA-256 of the canonical ballot (crypto.md §5.4), hex; `shortCode` is shortTrackingCode(trackingCode): its first 12 digits grouped for reading. */
  trackingCode: TrackingCode,
  shortCode: z.string(),
  ledgerIndex: z.string(),
  leafHash: Hex32,
  /** C2SP tlog-proof text once a published checkpoint covers the entry; null if it is not published yet (poll GET /ballots/:trackingCode). */
  receipt: z.string().nullable(),
});
export type CastBallotResponse = z.infer<typeof CastBallotResponse>;

/**
 * The short tracking code a voter is shown: the first SHORT_CODE_DIGITS hex digits of the tracking
 * code, in capitals, in groups of 4 (`BDD4-8321-D517`). Two ballots may share one; a lookup by it
 * then asks for more digits (GET /elections/:id/ballots?startsWith=).
 */
export const SHORT_CODE_DIGITS = 12;
export function shortTrackingCode(trackingCode: string): string {
  return trackingCode.slice(0, SHORT_CODE_DIGITS).toUpperCase().match(/.{4}/g)!.join('-');
}

export const BallotCodeQuery = z.strictObject({
  startsWith: z.string().regex(new RegExp(`^[0-9a-f]{${SHORT_CODE_DIGITS},64}$`), `must be ${SHORT_CODE_DIGITS} to 64 lowercase hex digits`),
});
/** The cast ballots whose tracking code starts with the digits asked for: at most BALLOT_CODE_MATCHES_MAX of them. */
export const BALLOT_CODE_MATCHES_MAX = 10;
export const BallotCodeMatches = z.object({ trackingCodes: z.array(TrackingCode).max(BALLOT_CODE_MATCHES_MAX) });
export type BallotCodeMatches = z.infer<typeof BallotCodeMatches>;

export const BallotStatus = z.object({
  trackingCode: TrackingCode,
  ledgerIndex: z.string(),
  castAt: z.string(),
  receipt: z.string().nullable(),
  /** Null before close; after close whether this ballot is in the counted set (false: superseded or late). */
  counted: z.boolean().nullable(),
});
export type BallotStatus = z.infer<typeof BallotStatus>;

export const AuditSecretsWire = z.strictObject({
  version: z.literal(1),
  contests: z.array(
    z.strictObject({
      contestId: Identifier,
      selections: z.array(z.strictObject({ optionId: Identifier, value: z.number().int().min(0).max(1), randomness: Hex32 })).min(1).max(64),
    }),
  ).min(1).max(100),
});

/**
 * A Benaloh spoil is authorised like a cast: the ballot key's credential, and its Ed25519 signature
 * over spoilSignatureMessage(fp, trackingCode); at most MAX_SPOILS_PER_BALLOT_KEY per ballot key.
 */
export const SpoilBallotRequest = z.strictObject({
  fingerprint: Hex32,
  ballot: BallotWire,
  secrets: AuditSecretsWire,
  credential: BallotCredential,
  /** Ed25519 over spoilSignatureMessage(fp, trackingCode), hex. */
  signature: hex(64),
});
export type SpoilBallotRequest = z.infer<typeof SpoilBallotRequest>;

export const SpoiledBallotView = z.object({
  trackingCode: TrackingCode,
  ledgerIndex: z.string(),
  /** contest id → the option ids the spoiled ballot selected. */
  choices: z.record(z.string(), z.array(z.string())),
});
export type SpoiledBallotView = z.infer<typeof SpoiledBallotView>;

// ---------------------------------------------------------------------------------------------
// Tally

export const AggregateCiphertext = z.object({ contestId: Identifier, optionId: Identifier, alpha: Hex32, beta: Hex32 });

export const PartialDecryptionRequest = z.strictObject({
  /**
   * One entry per aggregate, in the order of TallyState.aggregate; aggregates of no ballot (α = identity)
   * are skipped, so when nothing was counted the list is empty (elections.md §7).
   */
  shares: z.array(z.strictObject({ contestId: Identifier, optionId: Identifier, share: Hex32, proof: hex(96) })).max(6400),
});
export type PartialDecryptionRequest = z.infer<typeof PartialDecryptionRequest>;

export const ContestResult = z.object({ contestId: Identifier, counts: z.array(z.object({ optionId: Identifier, count: z.number().int().min(0) })) });

export const TallyState = z.object({
  status: ElectionStatus,
  /** Ledger tree size at ElectionClosed: the counted set is frozen there. */
  closedAtSize: z.string().nullable(),
  countedBallots: z.number().nullable(),
  aggregate: z.array(AggregateCiphertext).nullable(),
  partialDecryptions: z.array(z.object({ trusteeIndex: z.number(), ledgerIndex: z.string() })),
  threshold: z.number().nullable(),
  result: z.array(ContestResult).nullable(),
  /**
   * The aggregation while it runs in the background (the election is still closed): counted ballots
   * added up so far of the total, and why it stopped if it failed (start it again). Null otherwise.
   */
  aggregation: z.object({ summed: z.number().int(), total: z.number().int(), failure: z.string().nullable() }).nullable(),
});
export type TallyState = z.infer<typeof TallyState>;

// ---------------------------------------------------------------------------------------------
// Ledger entry bodies (election log). Every field is JSON (JCS-canonical in the entry); bytes are lowercase hex.

export const ElectionEntryBodies = {
  ElectionDefined: z.strictObject({ manifest: ElectionManifest, fingerprint: Hex32 }),
  TrusteeCommitted: z.strictObject({ fingerprint: Hex32, trusteeIndex: z.number().int(), commitment: hexAny }),
  TrusteeShareSent: z.strictObject({ fingerprint: Hex32, from: z.number().int(), to: z.number().int(), encryptedShare: hex(88) }),
  ElectionKeyPublished: z.strictObject({
    fingerprint: Hex32,
    electionKey: Hex32,
    /** Every trustee index: each checked the shares addressed to it and accepted them. */
    acceptedBy: z.array(z.number().int()),
    verificationShares: z.array(z.strictObject({ trusteeIndex: z.number().int(), share: Hex32 })),
  }),
  IssuerKeyPublished: z.strictObject({ fingerprint: Hex32, suite: z.literal('RSABSSA-SHA384-PSS-Randomized'), publicKeySpki: hexAny, modulusBits: z.number().int() }),
  ElectionOpened: z.strictObject({ fingerprint: Hex32, at: z.string(), trigger: z.enum(['schedule', 'official']) }),
  CredentialIssued: z.strictObject({
    fingerprint: Hex32,
    pseudonym: Hex32,
    district: z.string(),
    nonce: Hex32,
    blindedMessage: hexAny,
    /** Hex SHA-256 of the passkey's credential id (as in the registry's Enrolled entry). */
    credentialIdHash: Hex32,
    assertion: z.strictObject({ clientDataJSON: z.string(), authenticatorData: z.string(), signature: z.string() }),
  }),
  BallotCast: z.strictObject({
    fingerprint: Hex32,
    trackingCode: TrackingCode,
    ballot: BallotWire,
    credential: BallotCredential,
    signature: hex(64),
  }),
  BallotSpoiled: z.strictObject({
    fingerprint: Hex32,
    trackingCode: TrackingCode,
    ballot: BallotWire,
    secrets: AuditSecretsWire,
    credential: BallotCredential,
    /** Ed25519 over spoilSignatureMessage(fp, trackingCode). */
    signature: hex(64),
  }),
  ElectionClosed: z.strictObject({ fingerprint: Hex32, at: z.string(), trigger: z.enum(['schedule', 'official']) }),
  TallyComputed: z.strictObject({
    fingerprint: Hex32,
    /** The counted set: the last BallotCast per ballot key among entries with index < closedAtSize. */
    closedAtSize: z.string(),
    countedBallots: z.number().int(),
    aggregate: z.array(AggregateCiphertext),
  }),
  PartialDecryption: z.strictObject({
    fingerprint: Hex32,
    trusteeIndex: z.number().int(),
    shares: z.array(z.strictObject({ contestId: Identifier, optionId: Identifier, share: Hex32, proof: hex(96) })),
  }),
  ResultPublished: z.strictObject({ fingerprint: Hex32, trustees: z.array(z.number().int()), result: z.array(ContestResult) }),
} as const;
