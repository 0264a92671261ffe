/**
 * Test helpers for the elections medium tests and the benchmark: software trustees and voters that
 * use @townhall/crypto in Node exactly as the browser apps will, against the real HTTP API.
 */
import {
  G,
  computePartialDecryption,
  computeSecretShare,
  createTrusteeSetup,
  decodeEncryptedShare,
  decodeTrusteeCommitment,
  encodeChaumPedersenProof,
  encodeEncryptedShare,
  encodePoint,
  encodeTrusteeCommitment,
  encryptBallot,
  encryptShare,
  finalizeCredential,
  generateBallotKeyPair,
  importIssuerPublicKey,
  pointFromHex,
  receiveShare,
  requestCredential,
  serializeAuditSecrets,
  serializeBallot,
  signWithBallotKey,
  ballotDigest,
  type BallotKeyPair,
  type CeremonyParameters,
  type Choices,
  type Credential,
  type Point,
  type Scalar,
  type TrusteeSetup,
} from '@townhall/crypto';
import {
  CeremonyState,
  CredentialChallengeResponse,
  CredentialResponse,
  ElectionDetail,
  SessionResponse,
  TallyState,
  ballotSignatureMessage,
  credentialChallenge,
  fromHexString,
  spoilSignatureMessage,
  toHexString,
  type CastBallotRequest,
  type ElectionDraft,
  type PartialDecryptionRequest,
  type SpoilBallotRequest,
} from '@townhall/protocol';
import { decodeEntry } from '@townhall/ledger';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import type { ApiClient } from './identity-support/api-client.ts';
import type { RunningApp } from './identity-support/flows.ts';
import type { CeremonyOverrides, SoftwareAuthenticator } from './identity-support/software-authenticator.ts';

export const hex = toHexString;

export function demoDraft(overrides: Partial<ElectionDraft> = {}): ElectionDraft {
  const now = Date.now();
  return {
    title: 'Mayor of Demo Borough',
    description: 'Choose one candidate.',
    contests: [
      {
        id: 'mayor',
        title: 'Mayor',
        options: ['ada', 'grace', 'alan', 'barbara', 'edsger'].map((id) => ({ id, label: id[0]!.toUpperCase() + id.slice(1) })),
        minSelections: 1,
        maxSelections: 1,
      },
    ],
    eligibleDistricts: ['CAS', 'NGT', 'RVS'],
    schedule: { opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 3600_000).toISOString() },
    ...overrides,
  };
}

/** A trustee whose secrets live in this object only (as they would in the trustee's browser). */
export class SoftwareTrustee {
  setup: TrusteeSetup | undefined;
  secretShare: Scalar | undefined;

  constructor(
    readonly client: ApiClient,
    readonly index: number,
  ) {}

  parameters(state: CeremonyState): CeremonyParameters {
    return { electionFingerprint: fromHexString(state.fingerprint), threshold: state.threshold, trusteeCount: state.trustees.length };
  }

  async state(electionId: string): Promise<CeremonyState> {
    return CeremonyState.parse(await this.client.json(this.client.get(`/api/elections/${electionId}/ceremony`)));
  }

  async commit(electionId: string): Promise<Response> {
    const state = await this.state(electionId);
    const parameters = this.parameters(state);
    this.setup = createTrusteeSetup(parameters, this.index);
    return this.client.post(`/api/trustee/elections/${electionId}/commitment`, { commitment: hex(encodeTrusteeCommitment(parameters, this.setup.commitment)) });
  }

  async sendShares(electionId: string, options: { corruptFor?: number } = {}): Promise<Response> {
    const state = await this.state(electionId);
    const parameters = this.parameters(state);
    const shares = state.trustees
      .filter((t) => t.index !== this.index)
      .map((t) => {
        const recipientKey = decodeTrusteeCommitment(parameters, fromHexString(t.commitment!)).identityKey;
        const coefficients = options.corruptFor === t.index ? this.setup!.secrets.polynomialCoefficients.map((a, j) => (j === 0 ? a + 1n : a)) : this.setup!.secrets.polynomialCoefficients;
        return hex(encodeEncryptedShare(parameters, encryptShare(parameters, this.index, coefficients, t.index, recipientKey)));
      });
    return this.client.post(`/api/trustee/elections/${electionId}/shares`, { shares });
  }

  /** Checks every share addressed to this trustee; accepts, or posts a complaint about the first bad one. */
  async judge(electionId: string): Promise<Response> {
    const state = await this.state(electionId);
    const parameters = this.parameters(state);
    const commitments = new Map(state.trustees.map((t) => [t.index, decodeTrusteeCommitment(parameters, fromHexString(t.commitment!))]));
    const received = new Map<number, Scalar>();
    for (const s of state.shares.filter((s) => s.to === this.index)) {
      const reception = receiveShare(parameters, this.setup!.secrets.identitySecretKey, commitments.get(s.from)!, decodeEncryptedShare(parameters, fromHexString(s.share)));
      if (!reception.accepted) {
        const c = reception.complaint;
        return this.client.post(`/api/trustee/elections/${electionId}/verdict`, {
          verdict: 'complaint',
          accused: c.accused,
          sharedSecret: hex(encodePoint(c.sharedSecret)),
          proof: hex(encodeChaumPedersenProof(c.proof)),
        });
      }
      received.set(s.from, reception.share);
    }
    this.#received = received;
    return this.client.post(`/api/trustee/elections/${electionId}/verdict`, { verdict: 'accept' });
  }

  #received = new Map<number, Scalar>();

  /** After the key is published: s_ℓ, checked against the published verification share. */
  async keepSecretShare(electionId: string, verificationShare: Point): Promise<void> {
    const state = await this.state(electionId);
    this.secretShare = computeSecretShare(this.parameters(state), this.index, this.setup!.secrets.polynomialCoefficients, this.#received, verificationShare);
  }

  partialDecryption(tally: TallyState, fingerprint: Uint8Array, options: { corrupt?: boolean } = {}): PartialDecryptionRequest {
    const shares = tally.aggregate!.filter((a) => a.alpha !== '00'.repeat(32)).map((a) => {
      const ciphertext = { alpha: pointFromHex(a.alpha), beta: pointFromHex(a.beta, 'beta', { allowIdentity: true }) };
      const partial = computePartialDecryption(fingerprint, this.index, this.secretShare!, ciphertext, `tally/contest:${a.contestId}/option:${a.optionId}`);
      const share = options.corrupt ? partial.share.add(G) : partial.share;
      return { contestId: a.contestId, optionId: a.optionId, share: hex(encodePoint(share)), proof: hex(encodeChaumPedersenProof(partial.proof)) };
    });
    return { shares };
  }
}

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

/**
 * The key ceremony through the API with `trustees` software trustees, any `threshold` of whom can
 * decrypt: each is made by `newTrustee(i)` (a signed-in staff client with the trustee role for the
 * election), commits, sends its shares and judges the others'; then each keeps its secret share,
 * checked against the verification share ElectionKeyPublished gives it.
 */
export async function runKeyCeremony(
  app: RunningApp,
  officer: ApiClient,
  electionId: string,
  options: { trustees: number; threshold: number; newTrustee: (i: number) => Promise<ApiClient> },
): Promise<SoftwareTrustee[]> {
  const trustees: SoftwareTrustee[] = [];
  const staffIds: string[] = [];
  for (let i = 1; i <= options.trustees; i++) {
    const client = await options.newTrustee(i);
    const session = SessionResponse.parse(await client.json(client.get('/api/session')));
    if (session.principal.kind !== 'staff') throw new Error(`trustee ${i} is not signed in as staff`);
    staffIds.push(session.principal.staffId);
    trustees.push(new SoftwareTrustee(client, i));
  }
  await officer.json(officer.post(`/api/official/elections/${electionId}/ceremony`, { threshold: options.threshold, trustees: staffIds }));
  for (const t of trustees) await t.client.json(t.commit(electionId));
  for (const t of trustees) await t.client.json(t.sendShares(electionId));
  for (const t of trustees) await t.client.json(t.judge(electionId));
  const ledger = app.app.get(LedgerService);
  const log = `election-${electionId}`;
  const published = (await ledger.entries(log, 0n, (await ledger.getLog(log)).size)).map((e) => decodeEntry(e.bytes)).find((e) => e.type === 'ElectionKeyPublished');
  if (!published) throw new Error('the ceremony did not publish the election key');
  const shares = (published.body as { verificationShares: { share: string }[] }).verificationShares;
  for (const t of trustees) await t.keepSecretShare(electionId, pointFromHex(shares[t.index - 1]!.share));
  return trustees;
}

/**
 * Starts the tally as an officer and waits for it: POST …/tally answers 200 when the aggregation
 * finished within its wait, else 202 while it runs on; then GET …/tally until it is no longer closed.
 */
export async function tallyAndWait(officer: ApiClient, electionId: string, options: { respondAsync?: boolean; timeoutMs?: number } = {}): Promise<TallyState> {
  const response = await officer.request('POST', `/api/official/elections/${electionId}/tally`, { body: {}, ...(options.respondAsync ? { headers: { prefer: 'respond-async' } } : {}) });
  if (response.status !== 200 && response.status !== 202) throw new Error(`POST tally answered ${response.status}: ${await response.text()}`);
  const deadline = Date.now() + (options.timeoutMs ?? Infinity);
  for (;;) {
    const state = TallyState.parse(await officer.json(officer.get(`/api/elections/${electionId}/tally`)));
    if (state.status !== 'closed') return state;
    if (state.aggregation?.failure) throw new Error(`the tally failed: ${state.aggregation.failure}`);
    if (Date.now() > deadline) throw new Error(`the aggregation has not finished after ${options.timeoutMs} ms (${state.aggregation?.summed ?? '?'} of ${state.aggregation?.total ?? '?'} ballots)`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
