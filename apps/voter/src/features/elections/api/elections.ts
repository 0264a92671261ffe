import { useQuery } from '@tanstack/react-query';
import { startAuthentication, type AuthenticationResponseJSON, type PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { finalizeCredential, fromHex, generateBallotKeyPair, importIssuerPublicKey, requestCredential, signWithBallotKey, toHex } from '@townhall/crypto';
import {
  BallotCodeMatches,
  BallotStatus,
  CastBallotResponse,
  CredentialChallengeResponse,
  CredentialResponse,
  ElectionDetail,
  ElectionListResponse,
  LogKeys,
  SpoiledBallotView,
  TallyState,
  ballotSignatureMessage,
  credentialChallenge,
  spoilSignatureMessage,
  type CastBallotRequest,
  type SpoilBallotRequest,
} from '@townhall/protocol';
import { apiGet, apiPostWithoutSession, apiSend } from '@townhall/web-ui';
import { fromBase64Url, toBase64Url } from '../lib/ballot-key-vault.ts';
import type { EncryptedBallot } from '../lib/encrypt-client.ts';
import { saveVotingKey, secretKeyBytes, type StoredVotingKey } from '../lib/voting-key.ts';

export const myElectionsQueryKey = ['elections', 'mine'] as const;

export function useMyElections(enabled: boolean) {
  return useQuery({ queryKey: myElectionsQueryKey, queryFn: ({ signal }) => apiGet('/elections/mine', ElectionListResponse, { signal }), enabled });
}

export function useElection(electionId: string) {
  return useQuery({ queryKey: ['elections', electionId], queryFn: ({ signal }) => apiGet(`/elections/${electionId}`, ElectionDetail, { signal }) });
}

/** The passkey's PRF output from the credential's own assertion (docs/protocol/key-ceremony-and-credentials.md §6.2). */
export interface PasskeyPrf {
  credentialId: Uint8Array;
  salt: Uint8Array;
  output: Uint8Array;
}

/**
 * The credential step (docs/protocol/key-ceremony-and-credentials.md): a fresh Ed25519 ballot key, the credential message blinded
 * under the election's issuer key, and a passkey assertion whose challenge binds this blinded
 * message. The server signs blind: it learns who asked, never which ballot key it certified.
 * The same assertion evaluates the passkey's PRF at `vaultSalt` (§6.2): `prf` is null when the
 * authenticator has no PRF. The PRF output is removed from the assertion before it is sent.
 */
export async function obtainVotingKey(
  electionId: string,
  vaultSalt: Uint8Array,
): Promise<{ key: StoredVotingKey; prf: PasskeyPrf | null }> {
  const challenge = await apiSend('POST', `/elections/${electionId}/credential-challenge`, {}, CredentialChallengeResponse);
  const issuerKey = await importIssuerPublicKey(fromHex(challenge.issuerPublicKey, 'issuerPublicKey'));
  const keys = generateBallotKeyPair();
  const fingerprint = fromHex(challenge.fingerprint, 'fingerprint', 32);
  const { blindedMessage, pending } = await requestCredential(issuerKey, fingerprint, keys.publicKey);
  const webauthnChallenge = toBase64Url(credentialChallenge(fingerprint, fromHex(challenge.nonce, 'nonce', 32), blindedMessage));
  const optionsJSON: PublicKeyCredentialRequestOptionsJSON = {
    challenge: webauthnChallenge,
    rpId: challenge.rpId,
    allowCredentials: challenge.allowCredentials,
    userVerification: challenge.userVerification,
    timeout: challenge.timeout,
    extensions: { prf: { eval: { first: new Uint8Array(vaultSalt) } } },
  };
  const { assertion, prfOutput } = withoutPrfOutput(await startAuthentication({ optionsJSON }));
  const issued = await apiSend('POST', `/elections/${electionId}/credentials`, { nonce: challenge.nonce, blindedMessage: toHex(blindedMessage), assertion }, CredentialResponse);
  const credential = await finalizeCredential(issuerKey, pending, fromHex(issued.blindSignature, 'blindSignature'));
  const key = saveVotingKey(electionId, { ...keys, messagePrefix: credential.messagePrefix, signature: credential.signature });
  const prf = prfOutput ? { credentialId: fromBase64Url(assertion.rawId), salt: vaultSalt, output: prfOutput } : null;
  return { key, prf };
}

/** Splits the PRF output (kept in the browser) from the assertion (sent to the server). */
export function withoutPrfOutput(assertion: AuthenticationResponseJSON): {
  assertion: AuthenticationResponseJSON;
  prfOutput: Uint8Array | null;
} {
  const { prf, ...otherResults } = assertion.clientExtensionResults as { prf?: { results?: { first?: BufferSource } } };
  const first = prf?.results?.first;
  const view = (source: BufferSource) =>
    ArrayBuffer.isView(source) ? new Uint8Array(source.buffer, source.byteOffset, source.byteLength) : new Uint8Array(source);
  const bytes = first ? view(first) : null;
  const prfOutput = bytes?.length === 32 ? new Uint8Array(bytes) : null;
  return { assertion: { ...assertion, clientExtensionResults: otherResults }, prfOutput };
}

/** The ballot as cast: the worker's encryption, the credential, and the ballot key's signature. */
export function castRequest(election: ElectionDetail, key: StoredVotingKey, prepared: EncryptedBallot): CastBallotRequest {
  const fingerprint = fromHex(election.fingerprint!, 'fingerprint', 32);
  const message = ballotSignatureMessage(fingerprint, fromHex(prepared.trackingCode, 'trackingCode', 32));
  return {
    fingerprint: election.fingerprint!,
    ballot: prepared.ballot,
    credential: { messagePrefix: key.messagePrefix, signature: key.signature, ballotPublicKey: key.publicKey },
    signature: toHex(signWithBallotKey(secretKeyBytes(key), message)),
  };
}

/**
 * The "check this ballot's encryption" request (Benaloh): the ballot with its secrets, authorised
 * like a cast by the credential and the ballot key, which signs the spoil message (elections.md §6).
 * An election allows a few such checks per voting key (MAX_SPOILS_PER_BALLOT_KEY).
 */
export function spoilRequest(election: ElectionDetail, key: StoredVotingKey, prepared: EncryptedBallot): SpoilBallotRequest {
  const fingerprint = fromHex(election.fingerprint!, 'fingerprint', 32);
  const message = spoilSignatureMessage(fingerprint, fromHex(prepared.trackingCode, 'trackingCode', 32));
  return {
    fingerprint: election.fingerprint!,
    ballot: prepared.ballot,
    secrets: prepared.secrets,
    credential: { messagePrefix: key.messagePrefix, signature: key.signature, ballotPublicKey: key.publicKey },
    signature: toHex(signWithBallotKey(secretKeyBytes(key), message)),
  };
}

/** Casting and spoiling carry no cookie: the ballot is authorised by its credential and signature. */
export const castBallot = (electionId: string, request: CastBallotRequest) => apiPostWithoutSession(`/elections/${electionId}/ballots`, request, CastBallotResponse);

export const spoilBallot = (electionId: string, request: SpoilBallotRequest) => apiPostWithoutSession(`/elections/${electionId}/spoiled-ballots`, request, SpoiledBallotView);

export const getSpoiledBallot = (electionId: string, trackingCode: string) => apiGet(`/elections/${electionId}/spoiled-ballots/${trackingCode}`, SpoiledBallotView);

export const getBallotStatus = (electionId: string, trackingCode: string) => apiGet(`/elections/${electionId}/ballots/${trackingCode}`, BallotStatus);

export const getLogKeys = (logName: string) => apiGet(`/ledger/${logName}/keys`, LogKeys);

/** Every election that is not a draft (public): the home page shows the open ones to everyone. */
export function usePublicElections() {
  return useQuery({ queryKey: ['elections', 'public'], queryFn: ({ signal }) => apiGet('/elections', ElectionListResponse, { signal }) });
}

/** The tally and, once published, the result: counted ballots and the counts per option (public). */
export function useTally(electionId: string, enabled: boolean) {
  return useQuery({ queryKey: ['elections', electionId, 'tally'], queryFn: ({ signal }) => apiGet(`/elections/${electionId}/tally`, TallyState, { signal }), enabled });
}

/** The cast ballots whose tracking code starts with `digits` (12 to 64 lowercase hex digits: the short code a voter is shown, or more). */
export const findBallotCodes = (electionId: string, digits: string) => apiGet(`/elections/${electionId}/ballots?startsWith=${digits}`, BallotCodeMatches);
