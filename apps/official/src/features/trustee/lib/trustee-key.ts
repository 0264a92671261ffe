// The trustee's side of the key ceremony and the tally (docs/protocol/key-ceremony-and-credentials.md §3,
// elections.md §4 and §7), run in the trustee's browser. The secrets live in this tab's memory and in
// the passphrase-sealed file the trustee saves; nothing secret is ever sent to the server.
import {
  CryptoError,
  computePartialDecryption,
  computeSecretShare,
  computeVerificationShare,
  createTrusteeSetup,
  decodeEncryptedShare,
  decodeTrusteeCommitment,
  encodeChaumPedersenProof,
  encodeEncryptedShare,
  encodePoint,
  encodeTrusteeCommitment,
  encryptShare,
  multiplyBase,
  pointFromHex,
  receiveShare,
  type CeremonyParameters,
  type Scalar,
  type ScryptParameters,
  type TrusteeSecrets,
} from '@townhall/crypto';
import { fromHexString, toHexString, type CeremonyState, type PartialDecryptionRequest, type TallyState, type TrusteeVerdictRequest } from '@townhall/protocol';
import { keyFilesInThisThread, type KeyFileCrypto } from './key-file-protocol.ts';

export function ceremonyParameters(state: CeremonyState): CeremonyParameters {
  return { electionFingerprint: fromHexString(state.fingerprint), threshold: state.threshold, trusteeCount: state.trustees.length };
}

/**
 * Round 1: a fresh identity key and polynomial, the commitment to post, and the sealed file to keep.
 * `keyFiles` runs the file's KDF: the page passes its Web Worker (key-file-client.ts).
 */
export async function createTrusteeKey(
  state: CeremonyState,
  trusteeIndex: number,
  passphrase: string,
  { kdf, keyFiles = keyFilesInThisThread }: { kdf?: ScryptParameters; keyFiles?: KeyFileCrypto } = {},
) {
  const parameters = ceremonyParameters(state);
  const setup = createTrusteeSetup(parameters, trusteeIndex);
  const file = await keyFiles.seal({ electionFingerprint: parameters.electionFingerprint, trusteeIndex, secrets: setup.secrets, passphrase, ...(kdf ? { kdf } : {}) });
  return { secrets: setup.secrets, commitment: toHexString(encodeTrusteeCommitment(parameters, setup.commitment)), file };
}

export type KeyFileProblem = 'wrong-passphrase' | 'other-election' | 'other-trustee' | 'not-a-key-file' | 'not-this-key';

export class KeyFileError extends Error {
  override readonly name = 'KeyFileError';
  constructor(
    readonly problem: KeyFileProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Opens the trustee's file for this election and trustee, and checks that it holds the identity key
 * this trustee committed to (a file from an earlier attempt would not decrypt anything).
 */
export async function openTrusteeKey(
  text: string,
  passphrase: string,
  state: CeremonyState,
  trusteeIndex: number,
  keyFiles: KeyFileCrypto = keyFilesInThisThread,
): Promise<TrusteeSecrets> {
  const parameters = ceremonyParameters(state);
  let secrets: TrusteeSecrets;
  try {
    secrets = await keyFiles.open(text, passphrase, { electionFingerprint: parameters.electionFingerprint, trusteeIndex });
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    if (error.code === 'INVALID_PASSPHRASE') throw new KeyFileError('wrong-passphrase', 'The passphrase is not the one this key file was saved with');
    if (error.field === 'file.electionFingerprint') throw new KeyFileError('other-election', 'This key file is for another election');
    if (error.field === 'file.trusteeIndex') throw new KeyFileError('other-trustee', `This key file belongs to another trustee of this election (${error.message.replace(/^.*trustee /, 'trustee ')})`);
    throw new KeyFileError('not-a-key-file', 'The selected file is not a Townhall trustee key file, or it has been damaged');
  }
  const mine = state.trustees.find((t) => t.index === trusteeIndex)?.commitment;
  if (mine && !decodeTrusteeCommitment(parameters, fromHexString(mine)).identityKey.equals(multiplyBase(secrets.identitySecretKey))) {
    throw new KeyFileError('not-this-key', 'This key file is not the one you made for this key ceremony: its key does not match your published commitment');
  }
  return secrets;
}

/** Round 2: f_me(j) encrypted to every other trustee's identity key. */
export function encryptSharesForOthers(state: CeremonyState, trusteeIndex: number, secrets: TrusteeSecrets): string[] {
  const parameters = ceremonyParameters(state);
  return state.trustees
    .filter((t) => t.index !== trusteeIndex)
    .map((t) => {
      if (!t.commitment) throw new Error(`Trustee ${t.index} has not published a commitment yet`);
      const recipientKey = decodeTrusteeCommitment(parameters, fromHexString(t.commitment)).identityKey;
      return toHexString(encodeEncryptedShare(parameters, encryptShare(parameters, trusteeIndex, secrets.polynomialCoefficients, t.index, recipientKey)));
    });
}

function commitmentsOf(state: CeremonyState) {
  const parameters = ceremonyParameters(state);
  return [...state.trustees]
    .sort((a, b) => a.index - b.index)
    .map((t) => {
      if (!t.commitment) throw new Error(`Trustee ${t.index} has not published a commitment yet`);
      return decodeTrusteeCommitment(parameters, fromHexString(t.commitment));
    });
}

/** Round 3: decrypt and check every share addressed to me; accept, or complain about the first bad one. */
export function judgeReceivedShares(state: CeremonyState, trusteeIndex: number, secrets: TrusteeSecrets): TrusteeVerdictRequest {
  const parameters = ceremonyParameters(state);
  const commitments = commitmentsOf(state);
  for (const posted of state.shares.filter((s) => s.to === trusteeIndex)) {
    const reception = receiveShare(parameters, secrets.identitySecretKey, commitments[posted.from - 1]!, decodeEncryptedShare(parameters, fromHexString(posted.share)));
    if (!reception.accepted) {
      const { complaint } = reception;
      return {
        verdict: 'complaint',
        accused: complaint.accused,
        sharedSecret: toHexString(encodePoint(complaint.sharedSecret)),
        proof: toHexString(encodeChaumPedersenProof(complaint.proof)),
      };
    }
  }
  return { verdict: 'accept' };
}

/**
 * s_ℓ = f_ℓ(ℓ) + Σ f_i(ℓ), from the trustee's own polynomial and the (public, encrypted) shares it
 * accepted; checked against S_ℓ computed from the commitments. The file need not store it.
 */
export function deriveSecretShare(state: CeremonyState, trusteeIndex: number, secrets: TrusteeSecrets): Scalar {
  if (secrets.secretShare !== null) return secrets.secretShare;
  const parameters = ceremonyParameters(state);
  const commitments = commitmentsOf(state);
  const received = new Map<number, Scalar>();
  for (const posted of state.shares.filter((s) => s.to === trusteeIndex)) {
    const reception = receiveShare(parameters, secrets.identitySecretKey, commitments[posted.from - 1]!, decodeEncryptedShare(parameters, fromHexString(posted.share)));
    if (!reception.accepted) throw new Error(`The share from trustee ${posted.from} does not check out`);
    received.set(posted.from, reception.share);
  }
  const verificationShare = computeVerificationShare(parameters, commitments, trusteeIndex);
  return computeSecretShare(parameters, trusteeIndex, secrets.polynomialCoefficients, received, verificationShare);
}

const IDENTITY_HEX = '00'.repeat(32);

/** One Chaum–Pedersen-proved share per non-empty aggregate, in TallyState order (elections.md §7). */
export function computeTallyShares(state: CeremonyState, tally: TallyState, trusteeIndex: number, secretShare: Scalar): PartialDecryptionRequest {
  const fingerprint = fromHexString(state.fingerprint);
  const shares = (tally.aggregate ?? [])
    .filter((a) => a.alpha !== IDENTITY_HEX)
    .map((a) => {
      const ciphertext = { alpha: pointFromHex(a.alpha), beta: pointFromHex(a.beta, 'beta', { allowIdentity: true }) };
      const partial = computePartialDecryption(fingerprint, trusteeIndex, secretShare, ciphertext, `tally/contest:${a.contestId}/option:${a.optionId}`);
      return { contestId: a.contestId, optionId: a.optionId, share: toHexString(encodePoint(partial.share)), proof: toHexString(encodeChaumPedersenProof(partial.proof)) };
    });
  return { shares };
}
