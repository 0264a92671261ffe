/**
 * A resident's HTTP conversations with the API as tasks for worker threads (the simulator runs many
 * at once per thread, so its main thread — which also runs the server — spends its time serving):
 * enrolment (session, claim, passkey creation), obtaining a credential (challenge, blinding, passkey
 * assertion, issuance, unblinding) and casting (ballot-key signature, POST, tracking code check).
 * Each is exactly the requests the resident's browser makes, with the same clients (ApiClient,
 * SoftwareAuthenticator) as the other flows; a task and its result are plain data, so they cross
 * between threads, and `residentClient` turns a resident's state back into those clients.
 */
import type { KeyObject } from 'node:crypto';
import { generateBallotKeyPair, signWithBallotKey } from '@townhall/crypto';
import {
  CastBallotResponse,
  CredentialChallengeResponse,
  CredentialResponse,
  SpoiledBallotView,
  ballotSignatureMessage,
  credentialChallenge,
  fromHexString,
  spoilSignatureMessage,
  toHexString,
} from '@townhall/protocol';
import { ApiClient } from './api-client.ts';
import { SoftwareAuthenticator } from './software-authenticator.ts';
import { enrolOk } from './identity-flows.ts';
import { finalizeCredentialNative, importNativeIssuerKey, requestCredentialNative, type NativeIssuerKey } from './blind-rsa-native.ts';

/** A signed-in resident's browser state: session cookie, CSRF token and their passkey. */
export interface ResidentState {
  cookie: string | undefined;
  csrfToken: string | undefined;
  passkey: { id: Uint8Array; privateKey: KeyObject; userHandle: string; rpId: string; counter: number };
}

/** A credential as a ballot carries it (hex), with the ballot key that goes with it. */
export interface HeldCredential {
  messagePrefix: string;
  signature: string;
  ballotPublicKey: string;
  ballotSecretKey: string;
}

export interface EnrolTask {
  kind: 'enrol';
  baseUrl: string;
  publicUrl: string;
  activationCode: string;
  postcode: string;
}

export interface ObtainCredentialTask {
  kind: 'obtain-credential';
  baseUrl: string;
  publicUrl: string;
  electionId: string;
  resident: ResidentState;
}

export interface ObtainCredentialResult {
  credential: HeldCredential;
  /** The resident's state afterwards (the passkey's signature counter has moved on). */
  resident: ResidentState;
}

/** One request a voter sends: `POST /api/elections/:id/ballots`, or `/spoiled-ballots` with the secrets (both signed by the ballot key). */
export interface PreparedRequest {
  path: 'ballots' | 'spoiled-ballots';
  body: string;
  trackingCode: string;
}

/** The main thread's view of a resident, rebuilt from the worker's answer. */
export function residentClient(baseUrl: string, publicUrl: string, state: ResidentState): { client: ApiClient; authenticator: SoftwareAuthenticator } {
  const client = new ApiClient(baseUrl, publicUrl);
  client.cookie = state.cookie;
  client.csrfToken = state.csrfToken;
  const authenticator = new SoftwareAuthenticator(publicUrl);
  authenticator.credentials.push({ ...state.passkey });
  return { client, authenticator };
}

export function residentState(client: ApiClient, authenticator: SoftwareAuthenticator): ResidentState {
  const passkey = authenticator.credentials[0];
  if (!passkey) throw new Error('the resident has no passkey');
  return { cookie: client.cookie, csrfToken: client.csrfToken, passkey: { ...passkey } };
}

/** Enrolment as the resident app does it: session, claim with code and postcode, passkey creation. */
export async function enrolResident(task: EnrolTask): Promise<ResidentState> {
  const client = new ApiClient(task.baseUrl, task.publicUrl);
  const authenticator = new SoftwareAuthenticator(task.publicUrl);
  await client.session();
  await enrolOk(client, authenticator, { activationCode: task.activationCode, postcode: task.postcode });
  return residentState(client, authenticator);
}

const issuerKeys = new Map<string, Promise<NativeIssuerKey>>();
function issuerKey(spkiHex: string): Promise<NativeIssuerKey> {
  let key = issuerKeys.get(spkiHex);
  if (!key) issuerKeys.set(spkiHex, (key = importNativeIssuerKey(fromHexString(spkiHex))));
  return key;
}

/**
 * A credential as the voter app obtains it: challenge; fresh Ed25519 ballot key and RFC 9474 blinded
 * request; passkey assertion over credentialChallenge(fingerprint, nonce, blinded message); issuance;
 * unblinding with RSASSA-PSS verification — the RSA arithmetic native (blind-rsa-native.ts), as fast
 * as a worker thread needs it.
 */
export async function obtainHeldCredential(task: ObtainCredentialTask): Promise<ObtainCredentialResult> {
  const { client, authenticator } = residentClient(task.baseUrl, task.publicUrl, task.resident);
  const id = task.electionId;
  const challenge = CredentialChallengeResponse.parse(await client.json(client.post(`/api/elections/${id}/credential-challenge`)));
  const issuer = await issuerKey(challenge.issuerPublicKey);
  const keys = generateBallotKeyPair();
  const fingerprint = fromHexString(challenge.fingerprint);
  const { blindedMessage, pending } = requestCredentialNative(issuer, fingerprint, keys.publicKey);
  const bound = credentialChallenge(fingerprint, fromHexString(challenge.nonce), blindedMessage);
  const assertion = authenticator.get({ challenge: Buffer.from(bound).toString('base64url'), rpId: challenge.rpId, allowCredentials: challenge.allowCredentials, userVerification: 'required' });
  const issued = CredentialResponse.parse(
    await client.json(client.post(`/api/elections/${id}/credentials`, { nonce: challenge.nonce, blindedMessage: toHexString(blindedMessage), assertion }), 201),
  );
  const credential = finalizeCredentialNative(issuer, pending, fromHexString(issued.blindSignature));
  return {
    credential: {
      messagePrefix: toHexString(credential.messagePrefix),
      signature: toHexString(credential.signature),
      ballotPublicKey: toHexString(keys.publicKey),
      ballotSecretKey: toHexString(keys.secretKey),
    },
    resident: residentState(client, authenticator),
  };
}

/** The ballot-key signature of a cast ballot (over ballotSignatureMessage(fingerprint, digest)). */
export function signBallot(fingerprintHex: string, ballotSecretKeyHex: string, trackingCode: string): string {
  return toHexString(signWithBallotKey(fromHexString(ballotSecretKeyHex), ballotSignatureMessage(fromHexString(fingerprintHex), fromHexString(trackingCode))));
}

/** The ballot-key signature of a spoil (over spoilSignatureMessage(fingerprint, digest), elections.md §6). */
export function signSpoil(fingerprintHex: string, ballotSecretKeyHex: string, trackingCode: string): string {
  return toHexString(signWithBallotKey(fromHexString(ballotSecretKeyHex), spoilSignatureMessage(fromHexString(fingerprintHex), fromHexString(trackingCode))));
}

/**
 * The request for an encrypted ballot (its wire form and audit secrets as JSON text), with the
 * credential and the ballot key's signature: cast, or spoiled (with the secrets, signed over the
 * spoil message).
 */
export function ballotRequest(fingerprintHex: string, ballot: { wire: string; trackingCode: string; secrets: string }, by: { credential: HeldCredential; spoil: boolean }): PreparedRequest {
  const fingerprint = JSON.stringify(fingerprintHex);
  const { messagePrefix, signature, ballotPublicKey, ballotSecretKey } = by.credential;
  const credential = JSON.stringify({ messagePrefix, signature, ballotPublicKey });
  if (by.spoil) {
    const spoilSignature = signSpoil(fingerprintHex, ballotSecretKey, ballot.trackingCode);
    return { path: 'spoiled-ballots', trackingCode: ballot.trackingCode, body: `{"fingerprint":${fingerprint},"ballot":${ballot.wire},"secrets":${ballot.secrets},"credential":${credential},"signature":"${spoilSignature}"}` };
  }
  const ballotSignature = signBallot(fingerprintHex, ballotSecretKey, ballot.trackingCode);
  return { path: 'ballots', trackingCode: ballot.trackingCode, body: `{"fingerprint":${fingerprint},"ballot":${ballot.wire},"credential":${credential},"signature":"${ballotSignature}"}` };
}

/** POSTs a voter's requests in order (anonymously: ballots carry their credential) and checks each answer's tracking code. */
export async function sendRequests(baseUrl: string, electionId: string, requests: PreparedRequest[]): Promise<void> {
  for (const request of requests) {
    const response = await fetch(`${baseUrl}/api/elections/${electionId}/${request.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request.body });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST ${request.path} answered ${response.status}: ${text.slice(0, 500)}`);
    const answer = request.path === 'ballots' ? CastBallotResponse.parse(JSON.parse(text)) : SpoiledBallotView.parse(JSON.parse(text));
    if (answer.trackingCode !== request.trackingCode) throw new Error(`the server answered tracking code ${answer.trackingCode} for ${request.trackingCode}`);
  }
}
