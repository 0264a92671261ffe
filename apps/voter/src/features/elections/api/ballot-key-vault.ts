import { useQuery } from '@tanstack/react-query';
import { startAuthentication } from '@simplewebauthn/browser';
import { fromHex } from '@townhall/crypto';
import { BallotKeyVaultRecord, type ElectionDetail } from '@townhall/protocol';
import { ApiError, apiGet, apiSend } from '@townhall/web-ui';
import { openBallotKey, sealBallotKey, BallotKeyVaultError, toBase64Url } from '../lib/ballot-key-vault.ts';
import { saveVotingKey, type StoredVotingKey } from '../lib/voting-key.ts';
import { withoutPrfOutput, type PasskeyPrf } from './elections.ts';

/**
 * The signed-in resident's sealed ballot key for an election (docs/protocol/key-ceremony-and-credentials.md §6),
 * or null when none is saved. Only its owner can fetch it, and only the owner's passkey can open it.
 */
export const savedBallotKeyQueryKey = (electionId: string) => ['elections', electionId, 'ballot-key'] as const;

export function useSavedBallotKey(electionId: string, enabled: boolean) {
  return useQuery({
    queryKey: savedBallotKeyQueryKey(electionId),
    queryFn: ({ signal }) =>
      apiGet(`/elections/${electionId}/ballot-key`, BallotKeyVaultRecord, { signal }).catch((error: unknown) => {
        if (error instanceof ApiError && error.code === 'NOT_FOUND') return null;
        throw error;
      }),
    enabled,
    retry: false,
  });
}

/** Seals the ballot key under the credential assertion's PRF output and saves it with the server (§6.2). */
export async function saveBallotKey(election: ElectionDetail, key: StoredVotingKey, prf: PasskeyPrf): Promise<BallotKeyVaultRecord> {
  const fingerprint = fromHex(election.fingerprint!, 'fingerprint', 32);
  const context = { electionId: election.id, fingerprint, credentialId: prf.credentialId, salt: prf.salt, prfOutput: prf.output };
  const record = await sealBallotKey(key, context);
  return apiSend('PUT', `/elections/${election.id}/ballot-key`, record, BallotKeyVaultRecord);
}

/**
 * Opens the saved record with the passkey that sealed it: one assertion evaluating its PRF at the
 * record's salt. The assertion proves nothing to the server and is never sent: its challenge is random.
 * The opened key is kept in this tab like a key made here.
 */
export async function unlockSavedBallotKey(election: ElectionDetail, record: BallotKeyVaultRecord): Promise<StoredVotingKey> {
  const assertion = await startAuthentication({
    optionsJSON: {
      challenge: toBase64Url(crypto.getRandomValues(new Uint8Array(32))),
      allowCredentials: [{ id: record.credentialId, type: 'public-key' }],
      userVerification: 'required',
      extensions: { prf: { eval: { first: fromHex(record.salt, 'salt', 32) } } },
    },
  });
  const { prfOutput } = withoutPrfOutput(assertion);
  if (!prfOutput) throw new BallotKeyVaultError('no-prf', 'This passkey cannot unlock saved voting keys.');
  const fingerprint = fromHex(election.fingerprint!, 'fingerprint', 32);
  const key = await openBallotKey(record, { electionId: election.id, fingerprint, prfOutput });
  return saveVotingKey(election.id, {
    secretKey: fromHex(key.secretKey),
    publicKey: fromHex(key.publicKey),
    messagePrefix: fromHex(key.messagePrefix),
    signature: fromHex(key.signature),
  });
}
