/**
 * A trustee's side of the key ceremony and of the decryption, over HTTP: @townhall/crypto in Node
 * exactly as the officials' app runs it in the trustee's browser (key-ceremony-and-credentials.md §3).
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
  encryptShare,
  pointFromHex,
  receiveShare,
  type CeremonyParameters,
  type Point,
  type Scalar,
  type TrusteeSetup,
} from '@townhall/crypto';
import { decodeEntry } from '@townhall/ledger';
import { CeremonyState, EntriesResponse, TallyState, fromHexString, toHexString as hex, type PartialDecryptionRequest } from '@townhall/protocol';
import type { ApiClient } from './api-client.ts';

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

/**
 * The key ceremony through the API: the officer starts it with these trustees (staff with the trustee
 * role for the election, signed in) and the threshold k; each commits, sends its shares and judges the
 * others' (`onJudged` after each verdict); then each keeps its secret share, checked against the
 * verification share that ElectionKeyPublished, read from the election's public log, gives it.
 */
export async function runKeyCeremony(
  officer: ApiClient,
  electionId: string,
  options: { threshold: number; trustees: { client: ApiClient; staffId: string }[]; onJudged?: () => void },
): Promise<SoftwareTrustee[]> {
  await officer.json(officer.post(`/api/official/elections/${electionId}/ceremony`, { threshold: options.threshold, trustees: options.trustees.map((t) => t.staffId) }));
  const trustees = options.trustees.map((t, i) => new SoftwareTrustee(t.client, i + 1));
  for (const t of trustees) await t.client.json(t.commit(electionId));
  for (const t of trustees) await t.client.json(t.sendShares(electionId));
  for (const t of trustees) {
    await t.client.json(t.judge(electionId));
    options.onJudged?.();
  }
  const { entries } = EntriesResponse.parse(await officer.json(officer.get(`/api/ledger/election-${electionId}/entries?start=0`)));
  const published = entries.map((e) => decodeEntry(Buffer.from(e.bytes, 'base64'))).find((e) => e.type === 'ElectionKeyPublished');
  if (!published) throw new Error('the ceremony ended without ElectionKeyPublished');
  const shares = (published.body as { verificationShares: { trusteeIndex: number; share: string }[] }).verificationShares;
  for (const t of trustees) await t.keepSecretShare(electionId, pointFromHex(shares.find((s) => s.trusteeIndex === t.index)!.share));
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
