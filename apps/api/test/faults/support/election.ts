/**
 * An open election with enrolled voters holding credentials and pre-encrypted ballots, made
 * in this process through the real HTTP API (the same flows as the elections medium test), on a
 * Postgres database the spawned API then takes over. Only the voters' and trustees' secrets stay here.
 */
import { ElectionDetail, TallyState, fromHexString } from '@townhall/protocol';
import { ElectionScheduler } from '../../../src/elections/elections.module.ts';
import { RollService } from '../../../src/roll/roll.service.ts';
import { startTestApp } from '../../support/test-app.ts';
import { ApiClient, enrolOk, obtainCredential, prepareBallot, tallyAndWait, type SoftwareTrustee } from '@townhall/client-flows';
import { PUBLIC_URL, issueCard, newBrowser, staffMember } from '../../identity-support/flows.ts';
import { demoDraft, runKeyCeremony } from '../../elections-support.ts';
import { TEST_LOG_SEED_BASE64, testLogVerifierKey } from '../../ledger-support.ts';
import type { SeededRandom } from './random.ts';

export { PUBLIC_URL };
export const OPTIONS = ['ada', 'grace', 'alan', 'barbara', 'edsger'] as const;
/** Witnesses cosign every log of the test deployment (origins `localhost:3999/townhall/...`). */
export const ORIGIN_PREFIX = `${new URL(PUBLIC_URL).host}/townhall/*`;
export const LOG_VERIFIER_KEY = testLogVerifierKey();

export interface PreparedBallot {
  readonly voter: number;
  readonly choice: string;
  readonly trackingCode: string;
  /** The exact JSON body of POST /api/elections/:id/ballots. */
  readonly body: string;
}

export interface PreparedElection {
  readonly id: string;
  readonly election: ElectionDetail;
  /** ballots[v] are voter v's ballots, to be cast in order (the last one cast counts). */
  readonly ballots: PreparedBallot[][];
  readonly trustees: SoftwareTrustee[];
  readonly threshold: number;
  /** Session cookies of the officer and trustees (server-side sessions survive the process). */
  readonly officer: ApiClient;
}

/** The environment both the setup app and the spawned API run with: same log key, origin, witnesses. */
export function deploymentEnv(witnesses: { verifierKey: string; url: string }[], quorum: number): Record<string, string> {
  return {
    TOWNHALL_PUBLIC_URL: PUBLIC_URL,
    TOWNHALL_LOG_SIGNING_KEY: TEST_LOG_SEED_BASE64,
    TOWNHALL_LOCAL_WITNESSES: 'false',
    TOWNHALL_WITNESSES: witnesses.map((w) => `${w.verifierKey}@${w.url}`).join(','),
    ...(witnesses.length > 0 ? { TOWNHALL_WITNESS_QUORUM: String(quorum) } : {}),
    TOWNHALL_RATE_LIMIT_PER_MINUTE: '1000000',
    TOWNHALL_CHECKPOINT_INTERVAL_MS: '100',
    // Some fault tests run with one trustee (k = 1), below a real election's minimum.
    TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true',
  };
}

export async function prepareElection(options: {
  databaseUrl: string;
  env: Record<string, string>;
  voters: number;
  ballotsPerVoter: number;
  trustees: number;
  threshold: number;
  random: SeededRandom;
  progress?: (step: string) => void;
}): Promise<PreparedElection> {
  const progress = options.progress ?? (() => undefined);
  const app = await startTestApp('postgres', {
    env: { ...options.env, TOWNHALL_LOG_LEVEL: 'silent' },
    testDatabase: { config: { kind: 'postgres', url: options.databaseUrl }, drop: async () => undefined },
  });
  try {
    const officer = await staffMember(app, 'officer', 'Returning Officer');
    const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', demoDraft()), 201));
    const newTrustee = async (i: number) => (await staffMember(app, 'trustee', `Trustee ${i}`, created.id)).client;
    const trustees = await runKeyCeremony(officer.client, created.id, { trustees: options.trustees, threshold: options.threshold, newTrustee });
    await app.app.get(ElectionScheduler).tick();
    const election = ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${created.id}`)));
    if (election.status !== 'open') throw new Error(`the election is ${election.status}, not open`);
    progress(`election ${created.id} open (${options.threshold} of ${options.trustees} trustees)`);

    // Voters: electors added to the roll, each enrolled with a software passkey.
    const council = await app.database.prisma.council.findFirstOrThrow({ include: { districts: true } });
    const district = council.districts.find((d) => d.code === 'CAS')!;
    const number = (v: number) => `FAULT-${String(v).padStart(5, '0')}`;
    await app.database.prisma.elector.createMany({
      data: Array.from({ length: options.voters }, (_, v) => ({
        councilId: council.id,
        districtId: district.id,
        electorNumber: number(v),
        givenName: 'Fault',
        familyName: `Voter ${v}`,
        addressLine: `${v} Fault Road`,
        postcode: 'DB1 1AA',
        dateOfBirth: new Date('1980-01-01T00:00:00Z'),
      })),
    });
    // Committed to the registry (RollCommitted) before any credential, so eligibility is checkable.
    await app.app.get(RollService).commitSeededRoll();
    const credentials = [];
    for (let v = 0; v < options.voters; v++) {
      const browser = await newBrowser(app);
      await enrolOk(browser.client, browser.authenticator, { activationCode: await issueCard(app, number(v)), postcode: 'DB1 1AA' });
      credentials.push(await obtainCredential(browser.client, browser.authenticator, created.id));
    }
    // Encrypted after every HTTP exchange: a long stretch of encryption blocks the event loop, and a
    // keep-alive socket the server closed meanwhile would otherwise be reused (ECONNRESET).
    const ballots: PreparedBallot[][] = credentials.map((credential, v) =>
      Array.from({ length: options.ballotsPerVoter }, () => {
        const choice = OPTIONS[options.random.int(0, OPTIONS.length - 1)]!;
        const prepared = prepareBallot(election, credential, { mayor: [choice] });
        return { voter: v, choice, trackingCode: prepared.trackingCode, body: JSON.stringify(prepared.request) };
      }),
    );
    progress(`${options.voters} voters enrolled with credentials, ${options.voters * options.ballotsPerVoter} ballots encrypted`);
    return { id: created.id, election, ballots, trustees, threshold: options.threshold, officer: officer.client };
  } finally {
    await app.stop();
  }
}

/** The same browser session, talking to another process of the same deployment. */
export function rebase(client: ApiClient, baseUrl: string): ApiClient {
  const moved = new ApiClient(baseUrl, client.origin);
  moved.cookie = client.cookie;
  moved.csrfToken = client.csrfToken;
  return moved;
}

/** Close → aggregate → the given trustees decrypt; returns the published tally. */
export async function closeAndTally(prepared: PreparedElection, baseUrl: string, decrypting: SoftwareTrustee[]): Promise<TallyState> {
  const officer = rebase(prepared.officer, baseUrl);
  await officer.json(officer.post(`/api/official/elections/${prepared.id}/close`));
  const tally = await tallyAndWait(officer, prepared.id);
  const fingerprint = fromHexString(prepared.election.fingerprint!);
  let state = tally;
  for (const trustee of decrypting) {
    const client = rebase(trustee.client, baseUrl);
    state = TallyState.parse(await client.json(client.post(`/api/trustee/elections/${prepared.id}/partial-decryption`, trustee.partialDecryption(tally, fingerprint))));
  }
  return state;
}
