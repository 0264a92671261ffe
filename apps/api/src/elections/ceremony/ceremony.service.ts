import { Inject, Injectable } from '@nestjs/common';
import { ledgerEntry } from '../../ledger/ledger-entry.ts';
import {
  CryptoError,
  computeElectionKey,
  decodeChaumPedersenProof,
  decodeEncryptedShare,
  decodeTrusteeCommitment,
  encodePoint,
  pointFromHex,
  verifyComplaint,
  verifyTrusteeCommitment,
  type CeremonyParameters,
  type TrusteeCommitment,
} from '@townhall/crypto';
import { exportIssuerPrivateKey, exportIssuerPublicKeySpki, generateIssuerKey, ISSUER_MODULUS_BITS } from '@townhall/crypto/credentials-signer';
import { ELECTION_TRANSITIONS, fromHexString, toHexString, type CeremonyState, type ElectionStatus, type TrusteeVerdictRequest } from '@townhall/protocol';
import { AppError } from '../../common/app-error.ts';
import type { Principal } from '../../common/access.ts';
import { logger } from '../../common/logger.ts';
import { LedgerService } from '../../ledger/ledger.module.ts';
import { ElectionsRepository } from '../elections.repository.ts';
import { ElectionsService, type FrozenElection } from '../definition/elections.service.ts';
import { noLonger, recheckPhase, requirePhase, wrongPhase } from '../election-phase.ts';

const rejected = (message: string, cause?: unknown) => new AppError('CEREMONY_REJECTED', message, { cause, logMessage: cause instanceof Error ? cause.message : undefined });
const conflict = (message: string) => new AppError('CONFLICT', message);

/**
 * The key ceremony's server side (docs/protocol/key-ceremony-and-credentials.md §3): it checks and
 * records what trustees post, and never holds a trustee secret. When every trustee has accepted the
 * shares addressed to it, the joint key and the election's issuer key are published → ready.
 */
@Injectable()
export class CeremonyService {
  constructor(
    @Inject(ElectionsRepository) private readonly repository: ElectionsRepository,
    @Inject(ElectionsService) private readonly elections: ElectionsService,
    @Inject(LedgerService) private readonly ledger: LedgerService,
  ) {}

  async state(electionId: string, principal: Principal): Promise<CeremonyState> {
    const election = await this.elections.frozen(electionId);
    const [trustees, shares] = await Promise.all([this.repository.trustees(electionId), this.repository.shares(electionId)]);
    const yours = principal.kind === 'staff' ? trustees.find((t) => t.staffId === principal.staffId) : undefined;
    return {
      status: election.row.status as ElectionStatus,
      fingerprint: toHexString(election.fingerprint),
      threshold: election.manifest.ceremony.threshold,
      trustees: trustees.map((t) => ({
        index: t.index,
        displayName: t.displayName,
        commitment: t.commitment ? toHexString(t.commitment) : null,
        sharesSent: t.sharesSentAt !== null,
        verdict: t.verdict as 'pending' | 'accepted' | 'complained',
      })),
      shares: shares.map((s) => ({ from: s.fromIndex, to: s.toIndex, share: toHexString(s.share) })),
      electionKey: election.row.electionKey ? toHexString(election.row.electionKey) : null,
      haltedReason: election.row.haltedReason,
      yourIndex: yours?.index ?? null,
    };
  }

  async postCommitment(electionId: string, principal: Principal, commitmentHex: string): Promise<CeremonyState> {
    const { election, index } = await this.#trustee(electionId, principal);
    const parameters = parametersOf(election);
    let commitment: TrusteeCommitment;
    try {
      commitment = decodeTrusteeCommitment(parameters, fromHexString(commitmentHex));
    } catch (error) {
      throw rejected(`The commitment is malformed: ${describe(error)}.`, error);
    }
    if (commitment.trusteeIndex !== index) throw rejected(`The commitment is for trustee ${commitment.trusteeIndex}, but you are trustee ${index}.`);
    if (!verifyTrusteeCommitment(parameters, commitment)) throw rejected('A proof in the commitment does not verify; nothing was recorded. Start the ceremony step again.');
    await this.ledger.append(election.logName, async (tx) => {
      await this.#stillInCeremony(tx, electionId);
      if (!(await this.repository.setCommitment(tx, electionId, index, fromHexString(commitmentHex)))) throw conflict('You have posted your commitment already.');
      return { entries: [ledgerEntry('TrusteeCommitted', { fingerprint: toHexString(election.fingerprint), trusteeIndex: index, commitment: commitmentHex })], result: undefined };
    });
    return this.state(electionId, principal);
  }

  async postShares(electionId: string, principal: Principal, sharesHex: string[]): Promise<CeremonyState> {
    const { election, index } = await this.#trustee(electionId, principal);
    const parameters = parametersOf(election);
    const trustees = await this.repository.trustees(electionId);
    if (trustees.some((t) => t.commitment === null)) throw wrongPhase('waiting for every trustee’s commitment', 'past round 1 (all commitments posted)');
    const recipients = new Set<number>();
    for (const [i, hex] of sharesHex.entries()) {
      let share;
      try {
        share = decodeEncryptedShare(parameters, fromHexString(hex), `shares[${i}]`);
      } catch (error) {
        throw rejected(`Share ${i} is malformed: ${describe(error)}.`, error);
      }
      if (share.sender !== index) throw rejected(`Share ${i} is from trustee ${share.sender}, but you are trustee ${index}.`);
      if (share.recipient === index || recipients.has(share.recipient)) throw rejected(`Share ${i} is addressed to trustee ${share.recipient} again or to yourself.`);
      recipients.add(share.recipient);
    }
    if (recipients.size !== parameters.trusteeCount - 1) throw rejected(`Send exactly one share to each of the other ${parameters.trusteeCount - 1} trustees.`);
    const fp = toHexString(election.fingerprint);
    await this.ledger.append(election.logName, async (tx) => {
      await this.#stillInCeremony(tx, electionId);
      const shares = sharesHex.map((hex) => ({ to: decodeEncryptedShare(parameters, fromHexString(hex)).recipient, share: fromHexString(hex), hex }));
      if (!(await this.repository.insertShares(tx, electionId, index, shares))) throw conflict('You have posted your shares already.');
      return { entries: shares.map((s) => (ledgerEntry('TrusteeShareSent', { fingerprint: fp, from: index, to: s.to, encryptedShare: s.hex }))), result: undefined };
    });
    return this.state(electionId, principal);
  }

  /**
   * Accept, or complain about one share. A complaint is judged from the record (`verifyComplaint`):
   * upheld → the ceremony halts; not upheld → refused, nothing recorded.
   */
  async postVerdict(electionId: string, principal: Principal, request: TrusteeVerdictRequest): Promise<CeremonyState> {
    const { election, index } = await this.#trustee(electionId, principal);
    const parameters = parametersOf(election);
    const [trustees, shares] = await Promise.all([this.repository.trustees(electionId), this.repository.shares(electionId)]);
    if (trustees.some((t) => t.sharesSentAt === null)) throw wrongPhase('waiting for every trustee’s shares', 'past round 2 (all shares sent)');
    if (request.verdict === 'accept') {
      await this.ledger.append(election.logName, async (tx) => {
        await this.#stillInCeremony(tx, electionId);
        if (!(await this.repository.setVerdict(tx, electionId, index, 'accepted', null))) throw conflict('You have given your verdict already.');
        return { entries: [], result: undefined };
      });
      await this.#completeIfAllAccepted(electionId).catch((error: unknown) => logger.error({ err: error, electionId }, 'completing the key ceremony failed'));
      return this.state(electionId, principal);
    }
    const commitments = new Map(trustees.map((t) => [t.index, decodeTrusteeCommitment(parameters, new Uint8Array(t.commitment!))]));
    const published = shares.find((s) => s.fromIndex === request.accused && s.toIndex === index);
    if (!published || !commitments.has(request.accused)) throw rejected(`There is no share from trustee ${request.accused} to you.`);
    let verdict;
    try {
      verdict = verifyComplaint(
        parameters,
        {
          complainant: index,
          accused: request.accused,
          encryptedShare: decodeEncryptedShare(parameters, new Uint8Array(published.share)),
          sharedSecret: pointFromHex(request.sharedSecret, 'sharedSecret'),
          proof: decodeChaumPedersenProof(fromHexString(request.proof)),
        },
        commitments.get(request.accused)!,
        commitments.get(index)!,
      );
    } catch (error) {
      throw rejected(`The complaint is malformed: ${describe(error)}.`, error);
    }
    if (!verdict.upheld) throw rejected(`The complaint is not upheld (${verdict.reason}); nothing was recorded.`);
    const reason = `trustee ${index} showed that trustee ${request.accused}'s share is invalid (${verdict.reason})`;
    await this.elections.appendTransition(electionId, async (tx, move) => {
      await this.#stillInCeremony(tx, electionId);
      if (!(await this.repository.setVerdict(tx, electionId, index, 'complained', { ...request, upheld: true, reason: verdict.reason }))) throw conflict('You have given your verdict already.');
      await move('halt', { haltedReason: reason });
      return [];
    });
    return this.state(electionId, principal);
  }

  async #completeIfAllAccepted(electionId: string): Promise<void> {
    const election = await this.elections.frozen(electionId);
    const trustees = await this.repository.trustees(electionId);
    if (election.row.status !== ELECTION_TRANSITIONS['publish-keys'].from || trustees.some((t) => t.verdict !== 'accepted')) return;
    const parameters = parametersOf(election);
    const key = computeElectionKey(parameters, trustees.map((t) => decodeTrusteeCommitment(parameters, new Uint8Array(t.commitment!))));
    // RFC 9474 issuer key for this election only, generated before the transaction (it takes a while).
    const issuer = await generateIssuerKey(ISSUER_MODULUS_BITS);
    const spki = exportIssuerPublicKeySpki(issuer);
    const fp = toHexString(election.fingerprint);
    const electionKey = encodePoint(key.jointKey);
    const verificationShares = key.verificationShares.map((s, i) => ({ trusteeIndex: i + 1, share: toHexString(encodePoint(s)) }));
    await this.elections.appendTransition(electionId, async (_, move) => {
      const moved = await move('publish-keys', {
        electionKey: new Uint8Array(electionKey),
        verificationShares,
        issuerPublicKey: new Uint8Array(spki),
        issuerPrivateKey: new Uint8Array(exportIssuerPrivateKey(issuer)),
      });
      if (!moved) throw noLonger('key-ceremony');
      return [
        ledgerEntry('ElectionKeyPublished', { fingerprint: fp, electionKey: toHexString(electionKey), acceptedBy: trustees.map((t) => t.index), verificationShares }),
        ledgerEntry('IssuerKeyPublished', { fingerprint: fp, suite: 'RSABSSA-SHA384-PSS-Randomized', publicKeySpki: toHexString(spki), modulusBits: ISSUER_MODULUS_BITS }),
      ];
    });
  }

  async #trustee(electionId: string, principal: Principal): Promise<{ election: FrozenElection; index: number }> {
    const trustee = await this.elections.trusteeSeat(electionId, principal);
    const election = await this.elections.frozen(electionId);
    requirePhase(election.row, 'key-ceremony');
    return { election, index: trustee.index };
  }

  async #stillInCeremony(tx: Parameters<ElectionsRepository['find']>[1], electionId: string): Promise<void> {
    recheckPhase(await this.repository.find(electionId, tx), 'key-ceremony');
  }
}

export function parametersOf(election: FrozenElection): CeremonyParameters {
  return { electionFingerprint: election.fingerprint, threshold: election.manifest.ceremony.threshold, trusteeCount: election.manifest.ceremony.trustees };
}

function describe(error: unknown): string {
  return error instanceof CryptoError ? error.message : 'not in the expected format';
}
