/**
 * An open election with one software trustee (k = 1) and enrolled residents, made through the real
 * HTTP API: shared by the elections benchmark and the casting crash test.
 */
import { ElectionDetail, SessionResponse } from '@townhall/protocol';
import { pointFromHex } from '@townhall/crypto';
import { decodeEntry } from '@townhall/ledger';
import { LedgerService } from '../src/ledger/ledger.module.ts';
import { ElectionScheduler } from '../src/elections/elections.module.ts';
import { RollService } from '../src/roll/roll.service.ts';
import { enrolOk, newBrowser, staffMember, type RunningApp } from './identity-support/flows.ts';
import { SoftwareTrustee, demoDraft } from './elections-support.ts';

export async function openElectionWithOneTrustee(app: RunningApp) {
  const officer = await staffMember(app, 'officer', 'Fixture officer');
  const created = ElectionDetail.parse(await officer.client.json(officer.client.post('/api/official/elections', demoDraft()), 201));
  const member = await staffMember(app, 'trustee', 'Fixture trustee', created.id);
  const staffId = (SessionResponse.parse(await member.client.json(member.client.get('/api/session'))).principal as { staffId: string }).staffId;
  await officer.client.json(officer.client.post(`/api/official/elections/${created.id}/ceremony`, { threshold: 1, trustees: [staffId] }));
  const trustee = new SoftwareTrustee(member.client, 1);
  await member.client.json(trustee.commit(created.id));
  await member.client.json(trustee.sendShares(created.id));
  await member.client.json(trustee.judge(created.id));
  await app.app.get(ElectionScheduler).tick();
  const election = ElectionDetail.parse(await officer.client.json(officer.client.get(`/api/elections/${created.id}`)));
  if (election.status !== 'open') throw new Error(`election is ${election.status}`);
  const published = (await app.app.get(LedgerService).entries(`election-${election.id}`, 0n, 100n)).map((e) => decodeEntry(e.bytes)).find((e) => e.type === 'ElectionKeyPublished')!;
  await trustee.keepSecretShare(election.id, pointFromHex((published.body as { verificationShares: { share: string }[] }).verificationShares[0]!.share));
  return { election, officer, member, trustee };
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
