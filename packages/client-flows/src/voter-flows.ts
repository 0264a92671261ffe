/**
 * A voter's credential and ballot as the voter app makes them (key-ceremony-and-credentials.md §2,
 * elections.md §5 and §6), with @townhall/crypto in Node: a fresh ballot key, an RFC 9474 blinded
 * request bound to a passkey assertion, issuance and unblinding; then an encrypted ballot signed by
 * the ballot key, to cast or to spoil.
 */
import {
  encryptBallot,
  finalizeCredential,
  generateBallotKeyPair,
  importIssuerPublicKey,
  pointFromHex,
  requestCredential,
  serializeAuditSecrets,
  serializeBallot,
  signWithBallotKey,
  ballotDigest,
  type BallotKeyPair,
  type Choices,
  type Credential,
} from '@townhall/crypto';
import {
  CredentialChallengeResponse,
  CredentialResponse,
  ballotSignatureMessage,
  credentialChallenge,
  fromHexString,
  spoilSignatureMessage,
  toHexString as hex,
  type CastBallotRequest,
  type ElectionDetail,
  type SpoilBallotRequest,
} from '@townhall/protocol';
import type { ApiClient } from './api-client.ts';
import type { CeremonyOverrides, SoftwareAuthenticator } from './software-authenticator.ts';

export interface VoterCredential {
  keys: BallotKeyPair;
  credential: Credential;
}

/** The voter app's credential step: fresh ballot key, blinded request, passkey assertion bound to it. */
export async function obtainCredential(
  client: ApiClient,
  authenticator: SoftwareAuthenticator,
  electionId: string,
  options: { replay?: (request: Record<string, unknown>) => void } = {},
): Promise<VoterCredential> {
  const challenge = CredentialChallengeResponse.parse(await client.json(client.post(`/api/elections/${electionId}/credential-challenge`)));
  const body = await credentialRequestBody(authenticator, challenge);
  options.replay?.(body.request);
  const issued = CredentialResponse.parse(await client.json(client.post(`/api/elections/${electionId}/credentials`, body.request), 201));
  return { keys: body.keys, credential: await finalizeCredential(body.issuerKey, body.pending, fromHexString(issued.blindSignature)) };
}

/** The issuance request a voter's browser sends; `overrides` bend the passkey assertion (negative tests). */
export async function credentialRequestBody(authenticator: SoftwareAuthenticator, challenge: CredentialChallengeResponse, overrides: CeremonyOverrides = {}) {
  const issuerKey = await importIssuerPublicKey(fromHexString(challenge.issuerPublicKey));
  const keys = generateBallotKeyPair();
  const fingerprint = fromHexString(challenge.fingerprint);
  const { blindedMessage, pending } = await requestCredential(issuerKey, fingerprint, keys.publicKey);
  const webauthnChallenge = Buffer.from(credentialChallenge(fingerprint, fromHexString(challenge.nonce), blindedMessage)).toString('base64url');
  const assertion = authenticator.get({ challenge: webauthnChallenge, rpId: challenge.rpId, allowCredentials: challenge.allowCredentials, userVerification: 'required' }, overrides);
  return { issuerKey, keys, pending, request: { nonce: challenge.nonce, blindedMessage: hex(blindedMessage), assertion } as Record<string, unknown> };
}

/** Encrypts and signs a ballot for `choices` (what the voter app's Web Worker does). */
export function prepareBallot(election: ElectionDetail, voter: VoterCredential, choices: Choices): { request: CastBallotRequest; spoil: SpoilBallotRequest; trackingCode: string } {
  const fingerprint = fromHexString(election.fingerprint!);
  const { ballot, auditSecrets } = encryptBallot({ contests: election.contests }, choices, pointFromHex(election.electionKey!), fingerprint);
  const digest = ballotDigest(ballot);
  const wire = serializeBallot(ballot) as CastBallotRequest['ballot'];
  const credential = { messagePrefix: hex(voter.credential.messagePrefix), signature: hex(voter.credential.signature), ballotPublicKey: hex(voter.keys.publicKey) };
  return {
    trackingCode: hex(digest),
    request: {
      fingerprint: election.fingerprint!,
      ballot: wire,
      credential,
      signature: hex(signWithBallotKey(voter.keys.secretKey, ballotSignatureMessage(fingerprint, digest))),
    },
    // A spoil is signed by the same ballot key, over its own message (elections.md §6).
    spoil: {
      fingerprint: election.fingerprint!,
      ballot: wire,
      secrets: serializeAuditSecrets(auditSecrets) as SpoilBallotRequest['secrets'],
      credential,
      signature: hex(signWithBallotKey(voter.keys.secretKey, spoilSignatureMessage(fingerprint, digest))),
    },
  };
}
