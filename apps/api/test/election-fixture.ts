/**
 * An open election with one software trustee (k = 1) and enrolled residents, made through the real
 * HTTP API: shared by the elections benchmark and the casting crash test. One trustee is below the
 * minimum of a real election: the app must run with TOWNHALL_ALLOW_FEWER_TRUSTEES (the manifest then
 * says `minimumWaived`).
 */
import { ElectionDetail } from '@townhall/protocol';
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { RollService } from '../src/roll/roll.service.ts';
import { enrolOk } from '@townhall/client-flows';
import { newBrowser, staffMember, type RunningApp } from './identity-support/flows.ts';
import { demoDraft, runKeyCeremony } from './elections-support.ts';

export async function openElectionWithOneTrustee(app: RunningApp) {
  const officer = await staffMember(app, 'officer', 'Fixture officer');
  const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', demoDraft()), 201));
  let member: Awaited<ReturnType<typeof staffMember>> | undefined;
  const newTrustee = async () => (member = await staffMember(app, 'trustee', 'Fixture trustee', created.id)).client;
  const [trustee] = await runKeyCeremony(officer.client, created.id, { trustees: 1, threshold: 1, newTrustee });
  await app.app.get(ElectionScheduler).tick();
  const election = ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${created.id}`)));
  if (election.status !== 'open') throw new Error(`election is ${election.status}`);
  return { election, officer, member: member!, trustee: trustee! };
}

/** `count` new electors in district CAS, each enrolled with a software passkey (signed in). */
export async function enrolResidents(app: RunningApp, count: number, prefix = 'FIXTURE') {
  const council = await app.database.prisma.council.findFirstOrThrow({ include: { districts: true } });
  const district = council.districts.find((d) => d.code === 'CAS')!;
  const number = (i: number) => `${prefix}-${String(i).padStart(5, '0')}`;
  await app.database.prisma.elector.createMany({
    skipDuplicates: true,
    data: Array.from({ length: count }, (_, i) => ({
      councilId: council.id,
      districtId: district.id,
      electorNumber: number(i),
      givenName: 'Fixture',
      familyName: `Voter ${i}`,
      addressLine: `${i} Fixture Road`,
      postcode: 'DB1 1AA',
      dateOfBirth: new Date('1980-01-01T00:00:00Z'),
    })),
  });
  const residents = [];
  for (let i = 0; i < count; i++) {
    const { card } = await app.app.get(RollService).reissueCard(number(i));
    const browser = await newBrowser(app);
    await enrolOk(browser.client, browser.authenticator, { activationCode: card.activationCode, postcode: 'DB1 1AA' });
    residents.push(browser);
  }
  return residents;
}
