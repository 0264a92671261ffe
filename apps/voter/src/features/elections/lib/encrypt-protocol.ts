import { ballotDigest, encryptBallot, pointFromHex, serializeAuditSecrets, serializeBallot, toHex, fromHex } from '@townhall/crypto';
import type { BallotWire, Contest, SpoilBallotRequest } from '@townhall/protocol';

/**
 * The message contract of the ballot-encryption Web Worker. Everything is plain data (hex strings),
 * so it crosses postMessage unchanged. The worker never sees the ballot key: signing is done by the
 * page after the worker answers.
 */
export interface EncryptBallotRequest {
  type: 'encrypt-ballot';
  id: number;
  contests: Contest[];
  choices: Record<string, string[]>;
  /** ristretto255 joint election key, hex. */
  electionKey: string;
  /** Election fingerprint, hex. */
  fingerprint: string;
}

export type EncryptBallotResponse =
  | {
      type: 'encrypted-ballot';
      id: number;
      ok: true;
      ballot: BallotWire;
      /** The Benaloh-check secrets: posted only when the voter spoils this ballot. */
      secrets: SpoilBallotRequest['secrets'];
      /** SHA-256 of the canonical ballot, hex: the tracking code. */
      trackingCode: string;
    }
  | { type: 'encrypted-ballot'; id: number; ok: false; error: string };

export function isEncryptBallotRequest(value: unknown): value is EncryptBallotRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<EncryptBallotRequest>;
  return v.type === 'encrypt-ballot' && typeof v.id === 'number' && Array.isArray(v.contests) && typeof v.choices === 'object' && v.choices !== null
    && typeof v.electionKey === 'string' && typeof v.fingerprint === 'string';
}

/** What the worker does with one message (a plain function, so it is tested without a worker). */
export function handleEncryptMessage(message: unknown): EncryptBallotResponse {
  if (!isEncryptBallotRequest(message)) {
    const id = typeof (message as { id?: unknown })?.id === 'number' ? (message as { id: number }).id : -1;
    return { type: 'encrypted-ballot', id, ok: false, error: 'not an encrypt-ballot request' };
  }
  try {
    const fingerprint = fromHex(message.fingerprint, 'fingerprint', 32);
    const { ballot, auditSecrets } = encryptBallot({ contests: message.contests }, message.choices, pointFromHex(message.electionKey, 'electionKey'), fingerprint);
    return {
      type: 'encrypted-ballot',
      id: message.id,
      ok: true,
      ballot: serializeBallot(ballot) as BallotWire,
      secrets: serializeAuditSecrets(auditSecrets) as SpoilBallotRequest['secrets'],
      trackingCode: toHex(ballotDigest(ballot)),
    };
  } catch (error) {
    return { type: 'encrypted-ballot', id: message.id, ok: false, error: error instanceof Error ? error.message : 'the ballot could not be encrypted' };
  }
}
