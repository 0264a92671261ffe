/**
 * Simulated voters' browsers, run in worker threads (one per core, many voters at once each), so the
 * main thread — which also runs the server — only hands out work: enrolment and credentials
 * (@townhall/client-flows: HTTP, passkeys, RFC 9474 blinding natively), ballots
 * encrypted ahead with random choices (ElGamal with proofs, @townhall/crypto, as the voter app's Web
 * Worker does), and casting (ballot-key signature, POST). `ballots` answers ready-to-POST JSON
 * (encryptForVoter).
 */
import {
  ballotDigest,
  encryptBallot,
  pointFromHex,
  serializeAuditSecrets,
  serializeBallot,
  type Choices,
} from '@townhall/crypto';
import { fromHexString, toHexString, type Contest } from '@townhall/protocol';
import {
  ballotRequest,
  enrolResident,
  obtainHeldCredential,
  sendRequests,
  type EnrolTask,
  type HeldCredential,
  type ObtainCredentialResult,
  type ObtainCredentialTask,
  type PreparedRequest,
  type ResidentState,
} from '@townhall/client-flows';

export type { HeldCredential, PreparedRequest } from '@townhall/client-flows';

export interface ElectionKeys {
  /** Issuer key, SubjectPublicKeyInfo DER hex (ElectionDetail.issuerPublicKey). */
  issuerPublicKey: string;
  /** Election fingerprint, hex. */
  fingerprint: string;
  /** Joint election key, hex. */
  electionKey: string;
  contests: Contest[];
}

export interface BallotsTask {
  kind: 'ballots';
  election: ElectionKeys;
  credential: HeldCredential;
  /** In order: each is encrypted afresh; `spoil` ones also carry their audit secrets (and a spoil signature). */
  ballots: { choices: Choices; spoil: boolean }[];
}

export interface BallotsResult {
  credential: HeldCredential;
  requests: PreparedRequest[];
}

/** Ballots encrypted ahead of time for the given choices (no voter yet: the ballot does not depend on one). */
export interface EncryptTask {
  kind: 'encrypt';
  election: ElectionKeys;
  choices: Choices[];
}

/** An encrypted ballot, ready to be signed by whichever voter casts it (or spoiled with its secrets). */
export interface EncryptedBallotItem {
  choices: Choices;
  /** The ballot's wire form (serializeBallot), as JSON text. */
  wire: string;
  /** Its digest (hex): the tracking code, and what the ballot key signs. */
  trackingCode: string;
  /** The audit secrets (serializeAuditSecrets) as JSON text, for a Benaloh spoil. */
  secrets: string;
}

/**
 * A voter casts (or, with `send: false`, only prepares) ballots: those not encrypted ahead are
 * encrypted now; each is signed with the voter's ballot key (a cast or a spoil signature), spoiled ones carry their secrets.
 */
export interface CastTask {
  kind: 'cast';
  baseUrl: string;
  electionId: string;
  election: ElectionKeys;
  credential: HeldCredential;
  ballots: { ballot?: EncryptedBallotItem | undefined; choices?: Choices; spoil: boolean }[];
  send: boolean;
}

export interface CastResult {
  choices: Choices[];
  requests: PreparedRequest[];
}

export type VoterTask = BallotsTask | EncryptTask | CastTask | EnrolTask | ObtainCredentialTask;

function encrypt(task: EncryptTask): EncryptedBallotItem[] {
  const { election } = task;
  const fingerprint = fromHexString(election.fingerprint);
  const electionKey = pointFromHex(election.electionKey);
  return task.choices.map((choices) => {
    const { ballot, auditSecrets } = encryptBallot({ contests: election.contests }, choices, electionKey, fingerprint);
    return { choices, wire: JSON.stringify(serializeBallot(ballot)), trackingCode: toHexString(ballotDigest(ballot)), secrets: JSON.stringify(serializeAuditSecrets(auditSecrets)) };
  });
}

function ballots(task: BallotsTask): BallotsResult {
  const encrypted = encrypt({ kind: 'encrypt', election: task.election, choices: task.ballots.map((b) => b.choices) });
  const requests = encrypted.map((ballot, i) => ballotRequest(task.election.fingerprint, ballot, { credential: task.credential, spoil: task.ballots[i]!.spoil }));
  return { credential: task.credential, requests };
}

async function cast(task: CastTask): Promise<CastResult> {
  const missing = task.ballots.filter((b) => !b.ballot);
  const fresh = missing.length > 0 ? encrypt({ kind: 'encrypt', election: task.election, choices: missing.map((b) => b.choices!) }) : [];
  let next = 0;
  const ballots = task.ballots.map((b) => b.ballot ?? fresh[next++]!);
  const requests = ballots.map((ballot, i) => ballotRequest(task.election.fingerprint, ballot, { credential: task.credential, spoil: task.ballots[i]!.spoil }));
  if (task.send) await sendRequests(task.baseUrl, task.electionId, requests);
  return { choices: ballots.map((b) => b.choices), requests: task.send ? [] : requests };
}

/** Piscina's entry point. */
export default async function run(task: VoterTask): Promise<BallotsResult | EncryptedBallotItem[] | CastResult | ResidentState | ObtainCredentialResult> {
  switch (task.kind) {
    case 'ballots':
      return ballots(task);
    case 'encrypt':
      return encrypt(task);
    case 'cast':
      return cast(task);
    case 'enrol':
      return enrolResident(task);
    case 'obtain-credential':
      return obtainHeldCredential(task);
  }
}
