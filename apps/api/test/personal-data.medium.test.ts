import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElectionDetail, ElectorListResponse, RollImportPreview, StaffInvitationCreated } from '@townhall/protocol';
import { demoElectors } from '../src/seed/demo-roll.ts';
import { dialects } from './support/test-database.ts';
import { ApiClient, enrolOk } from '@townhall/client-flows';
import { issueCard, newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';
import { demoDraft } from './elections-support.ts';

const HEADER = 'elector_number,given_name,family_name,address,postcode,date_of_birth,district';

/**
 * Personal data in answers (issue #15): nothing with a name, a postcode or a session in it may be
 * kept by a browser or a proxy, and a roll search is literal text.
 */
describe.each(dialects)('personal data in API answers on %s', (dialect) => {
  let app: RunningApp;
  let officer: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
    officer = (await staffMember(app, 'officer')).client;
    admin = (await staffMember(app, 'admin')).client;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('answers everything with names, postcodes or sessions in it with Cache-Control: no-store, errors too', async () => {
    const resident = await newBrowser(app);
    await enrolOk(resident.client, resident.authenticator, { activationCode: await issueCard(app, 'CAS-0001'), postcode: 'DB1 1AA' });
    const draft = ElectionDetail.parse(await officer.json(officer.post('/api/official/elections', demoDraft({ title: 'Cache test' })), 201));
    const invitation = StaffInvitationCreated.parse(await admin.json(admin.post('/api/staff/invitations', { role: 'officer', displayName: 'Nadia Newcomer' }), 201));
    const csv = [HEADER, ...demoElectors.map(([n, d, g, f, a, p, b]) => [n, g, f, `"${a}"`, p, b, d].join(','))].join('\n') + '\n';
    const upload = await officer.request('POST', '/api/roll/imports', { raw: csv });
    const preview = RollImportPreview.parse(await officer.json(Promise.resolve(upload.clone()), 201));

    const cases: [string, Response, number][] = [
      ['roll upload preview (names)', upload, 201],
      ['roll import preview (names)', await officer.get(`/api/roll/imports/${preview.importId}`), 200],
      ['elector list (names, postcodes)', await officer.get('/api/roll/electors?district=CAS'), 200],
      ['elector search', await officer.get('/api/roll/electors?q=Pat'), 200],
      ['staff list', await admin.get('/api/staff'), 200],
      ['staff audit trail', await admin.get('/api/staff/actions'), 200],
      ["an election's trustees", await officer.get(`/api/staff/elections/${draft.id}/trustees`), 200],
      ['invitation summary (a name)', await (await newBrowser(app)).client.get(`/api/staff/invitations/${invitation.url.split('/').pop()!}`), 200],
      ["the resident's session (given name)", await resident.client.get('/api/session'), 200],
      ["the resident's account", await resident.client.get('/api/account'), 200],
      ["the resident's elections", await resident.client.get('/api/elections/mine'), 200],
      ['the officials’ election list', await officer.get('/api/official/elections'), 200],
      ['an error (unknown import)', await officer.get('/api/roll/imports/00000000-0000-4000-8000-000000000000'), 404],
      ['an error (not signed in)', await fetch(`${app.baseUrl}/api/account`), 401],
    ];
    for (const [what, response, status] of cases) {
      expect(response.status, what).toBe(status);
      expect(response.headers.get('cache-control'), what).toBe('no-store');
    }
    // The public ledger keeps its own caching (immutable tiles, short-lived checkpoints).
    expect((await fetch(`${app.baseUrl}/api/ledger/registry/tile/entries/000.p/1`)).headers.get('cache-control')).toContain('immutable');
  });

  it('searches the roll for literal text: % and _ are not wildcards', async () => {
    const search = async (q: string) => ElectorListResponse.parse(await officer.json(officer.get(`/api/roll/electors?q=${encodeURIComponent(q)}`)));
    const everyone = (await search('')).total;
    expect(everyone).toBeGreaterThan(2);
    const [first] = (await search('CAS-')).electors;
    await app.database.prisma.elector.updateMany({ where: { electorNumber: first!.electorNumber }, data: { familyName: 'Per%cent_Smith' } });

    for (const wildcard of ['%', '_', '%%', '_%', 'CAS%', 'CAS_', '%Smith', '\\']) expect((await search(wildcard)).total, wildcard).toBe(0);
    // Per% would match "Per%cent…" and "Perkins" alike as a pattern; as text it matches only the first.
    expect((await search('Per%')).electors.map((e) => e.electorNumber)).toEqual([first!.electorNumber]);
    expect((await search('per%CENT_s')).electors.map((e) => e.electorNumber)).toEqual([first!.electorNumber]);
    expect((await search('Per_')).total).toBe(0);
    expect((await search(first!.electorNumber.slice(0, 5))).total).toBeGreaterThan(0);
  });
});
