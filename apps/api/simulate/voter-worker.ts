/**
 * The heavy half of a simulated voter's browser, run in a worker thread (one per core): the
 * credential request (fresh Ed25519 ballot key, RFC 9474 blinding) and the ballots (unblinding,
 * ElGamal encryption with proofs, ballot-key signature). It does what the voter app's Web Worker
 * does, with @townhall/crypto (the RFC 9474 arithmetic natively: blind-rsa-native.ts), and answers
 * ready-to-POST JSON so the main thread only sends it.
 */
import {
  ballotDigest,
  encryptBallot,
  generateBallotKeyPair,
  pointFromHex,
  serializeAuditSecrets,
  serializeBallot,
  signWithBallotKey,
  type Choices,
  type PendingCredential,
} from '@townhall/crypto';
import { ballotSignatureMessage, credentialChallenge, fromHexString, toHexString, type Contest } from '@townhall/protocol';
import { finalizeCredentialNative, importNativeIssuerKey, requestCredentialNative, type NativeIssuerKey } from './blind-rsa-native.ts';

export interface ElectionKeys {
  /** Issuer key, SubjectPublicKeyInfo DER hex (ElectionDetail.issuerPublicKey). */
  issuerPublicKey: string;
  /** Election fingerprint, hex. */
  fingerprint: string;
  /** Joint election key, hex. */
  electionKey: string;
  contests: Contest[];
}

export interface CredentialRequestTask {
  kind: 'credential-request';
  issuerPublicKey: string;
  fingerprint: string;
  nonce: string;
}

export interface CredentialRequestResult {
  ballotSecretKey: Uint8Array;
  ballotPublicKey: Uint8Array;
  blindedMessage: string;
  pending: PendingCredential;
  /** base64url(credentialChallenge(fp, nonce, blindedMessage)): the passkey assertion's challenge. */
  webauthnChallenge: string;
}

/** A credential as a ballot carries it (hex), with the ballot key that goes with it. */
export interface HeldCredential {
  messagePrefix: string;
  signature: string;
  ballotPublicKey: string;
  ballotSecretKey: string;
}

export interface BallotsTask {
  kind: 'ballots';
  election: ElectionKeys;
  /** Either a finalized credential, or what is needed to finalize one (the issuer's blind signature). */
  credential: HeldCredential | { pending: PendingCredential; blindSignature: string; ballotSecretKey: Uint8Array; ballotPublicKey: Uint8Array };
  /** In order: each is encrypted afresh; `spoil` ones get the audit secrets instead of a signature. */
  ballots: { choices: Choices; spoil: boolean }[];
}

export interface PreparedRequest {
  /** `POST /api/elections/:id/ballots` body, or `/spoiled-ballots` when spoiled. */
  path: 'ballots' | 'spoiled-ballots';
  body: string;
  trackingCode: string;
}

export interface BallotsResult {
  credential: HeldCredential;
  requests: PreparedRequest[];
}

export type VoterTask = CredentialRequestTask | BallotsTask;

// Imported once per thread and election (checked as the voter app checks it).
const issuerKeys = new Map<string, Promise<NativeIssuerKey>>();
function issuerKey(spkiHex: string): Promise<NativeIssuerKey> {
  let key = issuerKeys.get(spkiHex);
  if (!key) issuerKeys.set(spkiHex, (key = importNativeIssuerKey(fromHexString(spkiHex))));
  return key;
}

async function credentialRequest(task: CredentialRequestTask): Promise<CredentialRequestResult> {
  const keys = generateBallotKeyPair();
  const fingerprint = fromHexString(task.fingerprint);
  const { blindedMessage, pending } = requestCredentialNative(await issuerKey(task.issuerPublicKey), fingerprint, keys.publicKey);
  const challenge = credentialChallenge(fingerprint, fromHexString(task.nonce), blindedMessage);
  return {
    ballotSecretKey: keys.secretKey,
    ballotPublicKey: keys.publicKey,
    blindedMessage: toHexString(blindedMessage),
    pending,
    webauthnChallenge: Buffer.from(challenge).toString('base64url'),
  };
}

async function ballots(task: BallotsTask): Promise<BallotsResult> {
  const { election } = task;
  let held: HeldCredential;
  if ('pending' in task.credential) {
    const c = task.credential;
    const credential = finalizeCredentialNative(await issuerKey(election.issuerPublicKey), c.pending, fromHexString(c.blindSignature));
    held = {
      messagePrefix: toHexString(credential.messagePrefix),
      signature: toHexString(credential.signature),
      ballotPublicKey: toHexString(c.ballotPublicKey),
      ballotSecretKey: toHexString(c.ballotSecretKey),
    };
  } else {
    held = task.credential;
  }
  const fingerprint = fromHexString(election.fingerprint);
  const electionKey = pointFromHex(election.electionKey);
  const secretKey = fromHexString(held.ballotSecretKey);
  const requests = task.ballots.map(({ choices, spoil }): PreparedRequest => {
    const { ballot, auditSecrets } = encryptBallot({ contests: election.contests }, choices, electionKey, fingerprint);
    const digest = ballotDigest(ballot);
    const wire = serializeBallot(ballot);
    const trackingCode = toHexString(digest);
    if (spoil) {
      return { path: 'spoiled-ballots', trackingCode, body: JSON.stringify({ fingerprint: election.fingerprint, ballot: wire, secrets: serializeAuditSecrets(auditSecrets) }) };
    }
    const body = {
      fingerprint: election.fingerprint,
      ballot: wire,
      credential: { messagePrefix: held.messagePrefix, signature: held.signature, ballotPublicKey: held.ballotPublicKey },
      signature: toHexString(signWithBallotKey(secretKey, ballotSignatureMessage(fingerprint, digest))),
    };
    return { path: 'ballots', trackingCode, body: JSON.stringify(body) };
  });
  return { credential: held, requests };
}

/** Piscina's entry point. */
export default function run(task: VoterTask): Promise<CredentialRequestResult | BallotsResult> {
  return task.kind === 'credential-request' ? credentialRequest(task) : ballots(task);
}
