/**
 * The worst case for linking credentials to ballots by their order in the log: voters who act one
 * at a time, each obtaining a credential and casting at once. Runs such an election through the
 * real API, closes it, reads the record, and scores the ordering attacks of linkage.ts against the
 * truth (which pseudonym holds which ballot key). Used by the linkage test and benchmark.
 */
import { performance } from 'node:perf_hooks';
import { IdentityKeys } from '../src/identity/identity-keys.ts';
import { closeElection, encryptForVoter, finish, obtainCredential, randomChoices, setUpElection, waitForPublishedCheckpoint } from './simulation.ts';
import { sendRequests } from '@townhall/client-flows';
import { linkageAttacks, recordEntries, type AttackOutcome } from './linkage.ts';

export interface LinkageRunOptions {
  voters: number;
  /** TOWNHALL_CREDENTIAL_EPOCH_MIN for the server (1: every credential entry appended at once). */
  epochMin: number;
  databaseUrl?: string;
  log?: (line: string) => void;
}

export interface LinkageRunReport {
  outcomes: AttackOutcome[];
  /** Milliseconds per voter: obtaining the credential, and casting (POST …/ballots until its answer). */
  credentialMs: number[];
  castMs: number[];
  /** Sizes of the runs of CredentialIssued entries in the log (the epochs as an observer sees them). */
  epochSizes: number[];
}

export async function runLinkageElection(options: LinkageRunOptions): Promise<LinkageRunReport> {
  const sim = await setUpElection({
    voters: options.voters,
    contests: 1,
    options: 3,
    turnout: 0, // credentials are obtained below, one voter at a time
    preEncrypt: 0,
    concurrency: 8,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    serverEnv: { TOWNHALL_CREDENTIAL_EPOCH_MIN: String(options.epochMin), TOWNHALL_CREDENTIAL_EPOCH_MAX_WAIT_SECONDS: String(24 * 3600) },
    log: options.log ?? (() => undefined),
  });
  try {
    const keys = sim.server.app.get(IdentityKeys);
    const truth = new Map<string, string>();
    const credentialMs: number[] = [];
    const castMs: number[] = [];
    for (const voter of sim.electors) {
      const started = performance.now();
      voter.credential = await obtainCredential(sim, voter);
      credentialMs.push(performance.now() - started);
      truth.set(voter.credential.ballotPublicKey, keys.pseudonym(voter.electorNumber));
      const requests = await encryptForVoter(sim, voter, [{ choices: randomChoices(sim.election.contests), spoil: false }]);
      const sent = performance.now();
      await sendRequests(sim.server.baseUrl, sim.election.id, requests);
      castMs.push(performance.now() - sent);
    }
    await closeElection(sim);
    // The record holds what a published (witnessed) checkpoint covers: wait until that is the close.
    await waitForPublishedCheckpoint(sim);
    const response = await fetch(`${sim.server.baseUrl}/api/elections/${sim.election.id}/record`);
    if (!response.ok) throw new Error(`the record answered ${response.status}`);
    const entries = recordEntries(await response.text());
    const epochSizes: number[] = [];
    entries.forEach((entry, i) => {
      if (entry.type !== 'CredentialIssued') return;
      if (entries[i - 1]?.type === 'CredentialIssued') epochSizes[epochSizes.length - 1]! += 1;
      else epochSizes.push(1);
    });
    return { outcomes: linkageAttacks(entries, truth), credentialMs, castMs, epochSizes };
  } finally {
    await finish(sim);
  }
}
