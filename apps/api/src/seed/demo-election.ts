/**
 * DEMO ONLY: an election that can be voted in as soon as `npm start` has run on an empty database.
 *
 * A real election's trustees are people who run the key ceremony in their own browsers and keep
 * their key shares to themselves. Here the seed plays all three demo trustees itself, so the
 * server process briefly holds every trustee secret: that is exactly what a real deployment must
 * never do, and why the election, its trustees and their key files are all labelled "demo".
 * Everything else is genuine: the ceremony goes through the same services the trustee routes use,
 * every step is a ledger entry in the election's log, and the trustees' key shares are written as
 * ordinary passphrase-protected trustee files (`.data/demo-trustees/<election id>/`) that the trustee pages can
 * load to decrypt the tally.
 *
 * The demo trustees are staff members without a passkey. So that someone trying the demo can sign
 * in as them and decrypt the tally in the trustee pages, every start prints a one-time invitation
 * link for each demo trustee who has no passkey yet (until the result is published): accepting it
 * adds a passkey to that existing trustee. Nothing secret is in the repository: the links, like the
 * key files' passphrase, exist only in this deployment's console and data folder.
 *
 * Demo residents' activation codes are issued through the roll service (the identity module
 * stores only keyed hashes of codes) and printed once, when the demo election is created.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import {
  computeSecretShare,
  createTrusteeSetup,
  decodeEncryptedShare,
  decodeTrusteeCommitment,
  encodeEncryptedShare,
  encodeTrusteeCommitment,
  encryptShare,
  pointFromHex,
  receiveShare,
  sealTrusteeFile,
  type CeremonyParameters,
  type Scalar,
  type TrusteeSetup,
} from '@townhall/crypto';
import { decodeEntry } from '@townhall/ledger';
import { ElectionDraft, fromHexString, toHexString, type CeremonyState } from '@townhall/protocol';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Principal } from '../common/access.ts';
import { ElectionsService } from '../elections/definition/elections.service.ts';
import { CeremonyService } from '../elections/ceremony/ceremony.service.ts';
import { LedgerService, electionLogName } from '../ledger/ledger.module.ts';
import { StaffRepository } from '../staff/staff.repository.ts';
import { createInvitation } from '../staff/staff.service.ts';
import { APP_CONFIG, type AppConfig } from '../config/config.ts';
import { RollService } from '../roll/roll.service.ts';
import { demoElectors } from './demo-roll.ts';
import { formatActivationCode } from '../identity/identity-keys.ts';

export const DEMO_ELECTION_TITLE = 'Demo election (not real): favourite park improvement';
export const DEMO_TRUSTEE_COUNT = 3;
export const DEMO_THRESHOLD = 2;
export const DEMO_OPEN_DAYS = 30;
/** Demo residents whose activation codes are printed at first start (invented people of the demo roll). */
export const DEMO_RESIDENTS = ['CAS-0001', 'NGT-0002', 'RVS-0004'];

export interface DemoResidentCode {
  electorNumber: string;
  name: string;
  postcode: string;
  activationCode: string;
}

export interface DemoTrusteeLink {
  trusteeIndex: number;
  name: string;
  /** One-time invitation link that adds a passkey to this demo trustee. */
  url: string;
  expiresAt: string;
}

export interface DemoElectionResult {
  electionId: string;
  created: boolean;
  /** Only when the election was created by this call (codes are never stored in clear, so never shown again). */
  codes: DemoResidentCode[];
  /** Only when created: the folder of the demo trustees' key files and their passphrase. */
  trustees: { directory: string; passphrase: string } | null;
  /** The folder of the demo trustees' key files (its README.txt holds their passphrase). */
  trusteeDirectory: string;
  /** Fresh sign-in links for the demo trustees without a passkey (none once the result is published). */
  trusteeLinks: DemoTrusteeLink[];
}

export function demoElectionDraft(now = Date.now()): ElectionDraft {
  return {
    title: DEMO_ELECTION_TITLE,
    description:
      'DEMO ONLY. This election was created by the demo seed so you can try voting; its trustees are simulated by the server, ' +
      'so unlike a real election the server has held their key shares. Choose the improvements you would like for Demo Park.',
    contests: [
      {
        id: 'park',
        title: 'Which improvement should Demo Park get first?',
        options: [
          { id: 'playground', label: 'A new playground' },
          { id: 'trees', label: 'More trees and benches' },
          { id: 'lighting', label: 'Better lighting on the paths' },
        ],
        minSelections: 1,
        maxSelections: 1,
      },
      {
        id: 'events',
        title: 'Which events would you attend? (choose up to 2)',
        options: [
          { id: 'market', label: 'A monthly market' },
          { id: 'cinema', label: 'Outdoor cinema' },
          { id: 'concerts', label: 'Summer concerts' },
        ],
        minSelections: 0,
        maxSelections: 2,
      },
    ],
    eligibleDistricts: ['CAS', 'NGT', 'RVS'],
    schedule: { opensAt: new Date(now).toISOString(), closesAt: new Date(now + DEMO_OPEN_DAYS * 86_400_000).toISOString() },
  };
}

const trusteePrincipal = (staffId: string, displayName: string): Principal => ({ kind: 'staff', staffId, sessionId: 'demo-seed', displayName, roles: [] });

/**
 * Creates, runs the key ceremony for, and opens the demo election unless it exists already (then
 * nothing changes). Needs the running application (its services) and the demo council's roll.
 */
export async function seedDemoElection(app: INestApplicationContext, prisma: PrismaClient, options: { dataDir: string }): Promise<DemoElectionResult> {
  const existing = await prisma.election.findFirst({ where: { title: DEMO_ELECTION_TITLE }, orderBy: { createdAt: 'asc' }, select: { id: true, status: true } });
  if (existing) {
    const trusteeLinks = existing.status === 'published' ? [] : await issueDemoTrusteeLinks(app, existing.id);
    return { electionId: existing.id, created: false, codes: [], trustees: null, trusteeDirectory: demoTrusteeDirectory(options.dataDir, existing.id), trusteeLinks };
  }

  const elections = app.get(ElectionsService, { strict: false });
  const ceremony = app.get(CeremonyService, { strict: false });
  const ledger = app.get(LedgerService, { strict: false });
  const staff = app.get(StaffRepository, { strict: false });
  const roll = app.get(RollService, { strict: false });
  // The seeded roll was never imported: commit it, so observers can check eligibility against it.
  await roll.commitSeededRoll();

  const created = await elections.create(ElectionDraft.parse(demoElectionDraft()), null);
  const id = created.id;

  // Demo trustees: staff members without passkeys (nobody can sign in as them).
  const trustees: { staffId: string; name: string; index: number; setup?: TrusteeSetup; received: Map<number, Scalar> }[] = [];
  for (let index = 1; index <= DEMO_TRUSTEE_COUNT; index++) {
    const staffId = randomUUID();
    const name = `Demo trustee ${index} (simulated by the seed, demo only)`;
    await staff.insertStaffMember(prisma, { id: staffId, displayName: name, role: 'trustee', electionId: id });
    trustees.push({ staffId, name, index, received: new Map() });
  }
  await elections.startCeremony(id, { threshold: DEMO_THRESHOLD, trustees: trustees.map((t) => t.staffId) });

  const stateFor = (t: (typeof trustees)[number]) => ceremony.state(id, trusteePrincipal(t.staffId, t.name));
  const parametersOf = (state: CeremonyState): CeremonyParameters => ({
    electionFingerprint: fromHexString(state.fingerprint),
    threshold: state.threshold,
    trusteeCount: state.trustees.length,
  });

  for (const t of trustees) {
    const parameters = parametersOf(await stateFor(t));
    t.setup = createTrusteeSetup(parameters, t.index);
    await ceremony.postCommitment(id, trusteePrincipal(t.staffId, t.name), toHexString(encodeTrusteeCommitment(parameters, t.setup.commitment)));
  }
  for (const t of trustees) {
    const state = await stateFor(t);
    const parameters = parametersOf(state);
    const shares = state.trustees
      .filter((other) => other.index !== t.index)
      .map((other) => {
        const recipientKey = decodeTrusteeCommitment(parameters, fromHexString(other.commitment!)).identityKey;
        return toHexString(encodeEncryptedShare(parameters, encryptShare(parameters, t.index, t.setup!.secrets.polynomialCoefficients, other.index, recipientKey)));
      });
    await ceremony.postShares(id, trusteePrincipal(t.staffId, t.name), shares);
  }
  for (const t of trustees) {
    const state = await stateFor(t);
    const parameters = parametersOf(state);
    const commitments = new Map(state.trustees.map((x) => [x.index, decodeTrusteeCommitment(parameters, fromHexString(x.commitment!))]));
    for (const s of state.shares.filter((s) => s.to === t.index)) {
      const reception = receiveShare(parameters, t.setup!.secrets.identitySecretKey, commitments.get(s.from)!, decodeEncryptedShare(parameters, fromHexString(s.share)));
      if (!reception.accepted) throw new Error(`demo seed: trustee ${t.index} could not accept the share of trustee ${s.from}`);
      t.received.set(s.from, reception.share);
    }
    await ceremony.postVerdict(id, trusteePrincipal(t.staffId, t.name), { verdict: 'accept' });
  }

  const ready = await elections.detail(id, { isStaff: true });
  if (ready.status !== 'ready') throw new Error(`demo seed: the demo election's key ceremony ended in status ${ready.status}`);
  const logName = electionLogName(id);
  const size = (await ledger.getLog(logName)).size;
  const published = (await ledger.entries(logName, 0n, size)).map((e) => decodeEntry(e.bytes)).find((e) => e.type === 'ElectionKeyPublished');
  const verificationShares = (published!.body as { verificationShares: { share: string }[] }).verificationShares;

  // The trustees' key files, exactly as the trustee pages save them, under one printed passphrase.
  const directory = demoTrusteeDirectory(options.dataDir, id);
  const passphrase = `demo-${randomBytes(9).toString('base64url')}`;
  await mkdir(directory, { recursive: true });
  const fingerprint = fromHexString(ready.fingerprint!);
  const parameters: CeremonyParameters = { electionFingerprint: fingerprint, threshold: DEMO_THRESHOLD, trusteeCount: DEMO_TRUSTEE_COUNT };
  for (const t of trustees) {
    const secretShare = computeSecretShare(parameters, t.index, t.setup!.secrets.polynomialCoefficients, t.received, pointFromHex(verificationShares[t.index - 1]!.share));
    const file = await sealTrusteeFile({
      electionFingerprint: fingerprint,
      trusteeIndex: t.index,
      secrets: { identitySecretKey: t.setup!.secrets.identitySecretKey, polynomialCoefficients: t.setup!.secrets.polynomialCoefficients, secretShare },
      passphrase,
    });
    await writeFile(join(directory, `demo-trustee-${t.index}.townhall-key.json`), file, { mode: 0o600 });
  }
  await writeFile(
    join(directory, 'README.txt'),
    `DEMO ONLY. Key-share files of the simulated trustees of "${DEMO_ELECTION_TITLE}" (election ${id}).\n` +
      `The demo seed generated them, so the server has seen these secrets: never do this for a real election.\n` +
      `Passphrase of every file: ${passphrase}\nAny ${DEMO_THRESHOLD} of the ${DEMO_TRUSTEE_COUNT} files decrypt the tally.\n` +
      `To decrypt in the trustee pages, sign in as a demo trustee with the one-time link Townhall prints at start\n` +
      `(each start prints new links for the demo trustees who have not signed in yet), then open\n` +
      `/official/trustee/elections/${id} and load that trustee's file with this passphrase once the tally has started.\n`,
    { mode: 0o600 },
  );

  // Open it now (the scheduler may get there first: its opensAt is already past).
  try {
    await elections.open(id, 'schedule');
  } catch (error) {
    if ((await elections.detail(id, { isStaff: true })).status !== 'open') throw error;
  }

  // Codes for a few demo residents without a passkey (a re-issue would revoke an existing one).
  const codes: DemoResidentCode[] = [];
  for (const electorNumber of DEMO_RESIDENTS) {
    const elector = await prisma.elector.findFirst({ where: { electorNumber }, select: { id: true } });
    if (!elector) continue;
    const live = await prisma.passkey.count({ where: { electorId: elector.id, revokedAt: null } });
    if (live > 0) continue;
    const { card } = await roll.reissueCard(electorNumber);
    const row = demoElectors.find((e) => e[0] === electorNumber)!;
    codes.push({ electorNumber, name: `${row[2]} ${row[3]}`, postcode: card.postcode, activationCode: card.activationCode });
  }
  return { electionId: id, created: true, codes, trustees: { directory, passphrase }, trusteeDirectory: directory, trusteeLinks: await issueDemoTrusteeLinks(app, id) };
}

const demoTrusteeDirectory = (dataDir: string, electionId: string) => join(dataDir, 'demo-trustees', electionId);

/**
 * A one-time sign-in link for each demo trustee who has no passkey yet; a new link ends the
 * trustee's earlier unused ones. Their indices come from the ceremony, as the trustee pages see them.
 */
async function issueDemoTrusteeLinks(app: INestApplicationContext, electionId: string): Promise<DemoTrusteeLink[]> {
  const staff = app.get(StaffRepository, { strict: false });
  const ceremony = app.get(CeremonyService, { strict: false });
  const config = app.get<AppConfig>(APP_CONFIG, { strict: false });
  const links: DemoTrusteeLink[] = [];
  for (const member of await staff.listElectionTrustees(electionId)) {
    if (member.passkeys.length > 0) continue;
    const { yourIndex } = await ceremony.state(electionId, trusteePrincipal(member.id, member.displayName));
    if (yourIndex === null) continue;
    const invitation = await createInvitation(staff, config.publicUrl, { role: 'trustee', displayName: member.displayName, electionId }, null, { forStaffId: member.id });
    links.push({ trusteeIndex: yourIndex, name: member.displayName, url: invitation.url, expiresAt: invitation.expiresAt });
  }
  return links.sort((a, b) => a.trusteeIndex - b.trusteeIndex);
}

/** The console lines shown after seeding (codes only when they were just issued). */
export function describeDemoElection(result: DemoElectionResult, base: string): string[] {
  const trustees = [
    ...(result.trusteeLinks.length > 0
      ? [
          `  Demo trustees' sign-in links (one use each, valid until ${result.trusteeLinks[0]!.expiresAt}; each start prints new ones for those not signed in yet):`,
          ...result.trusteeLinks.map((l) => `    Demo trustee ${l.trusteeIndex}: ${l.url}`),
        ]
      : []),
    result.trustees
      ? `  Demo trustee key files: ${result.trustees.directory}  passphrase: ${result.trustees.passphrase}`
      : `  Demo trustee key files: ${result.trusteeDirectory}  (passphrase in README.txt there)`,
    `  Demo tally: close the demo election at ${base}/official/elections/${result.electionId}, start the tally, then two demo trustees decrypt at ${base}/official/trustee/elections/${result.electionId}`,
  ];
  if (!result.created) {
    return [`  Demo election (demo only): ${base}/elections/${result.electionId}/vote  (its activation codes were printed at first start; see README "Try a demo election")`, ...trustees];
  }
  return [
    `  DEMO election created (demo only, trustees simulated by the seed): ${base}/elections/${result.electionId}/vote`,
    `  Demo residents' activation codes (shown once; enrol at ${base}/enrol):`,
    ...result.codes.map((c) => `    ${formatActivationCode(c.activationCode)}  ${c.name}, postcode ${c.postcode} (${c.electorNumber})`),
    ...trustees,
  ];
}
