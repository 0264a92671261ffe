import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import pg from 'pg';
import { CouncilSummary, PollCardsPreview, RollImportApplied, RollImportPreview, StaffActionsResponse, ElectorListResponse } from '@townhall/protocol';
import { decodeEntry } from '@townhall/ledger';
import { demoElectors } from '../src/seed/demo-roll.ts';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { IdentityKeys } from '../src/identity/identity-keys.ts';
import { MAX_ROLL_BYTES, pseudonymRoot } from '../src/roll/roll.service.ts';
import { dialects } from './support/test-database.ts';
import { ApiClient, enrolOk, signIn } from '@townhall/client-flows';
import { issueCard, newBrowser, staffMember, startIdentityApp, type RunningApp } from './identity-support/flows.ts';

const HEADER = 'elector_number,given_name,family_name,address,postcode,date_of_birth,district';
type Row = (typeof demoElectors)[number];
const line = ([number, district, given, family, address, postcode, dob]: Row) => [number, given, family, `"${address}"`, postcode, dob, district].join(',');
const csv = (rows: Row[], header = HEADER) => [header, ...rows.map(line)].join('\r\n') + '\r\n';

describe.each(dialects)('roll imports on %s', (dialect) => {
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

  const upload = (body: string, client = officer) => client.request('POST', '/api/roll/imports', { raw: body });
  const electorCount = async () => CouncilSummary.parse(await (await fetch(`${app.baseUrl}/api/council`)).json()).electorCount;
  const stagedImports = () => app.database.prisma.rollImport.count();

  it.each([
    ['a missing and an unknown column', csv(demoElectors, HEADER.replace(',district', ',ward')), ['1.(file)', '1.district']],
    ['a repeated column', csv(demoElectors, `${HEADER},postcode`), ['1.postcode']],
    ['impossible, malformed, future and implausibly old dates', csv([
      ['X-1', 'CAS', 'A', 'B', '1 Road', 'DB1 1AA', '1990-02-30'],
      ['X-2', 'CAS', 'A', 'B', '1 Road', 'DB1 1AA', '12/03/1984'],
      ['X-3', 'CAS', 'A', 'B', '1 Road', 'DB1 1AA', '2030-01-01'],
      ['X-4', 'CAS', 'A', 'B', '1 Road', 'DB1 1AA', '1850-01-01'],
    ]), ['2.date_of_birth', '3.date_of_birth', '4.date_of_birth', '5.date_of_birth']],
    ['bad postcodes', csv([
      ['X-1', 'CAS', 'A', 'B', '1 Road', '12345', '1990-02-03'],
      ['X-2', 'CAS', 'A', 'B', '1 Road', 'DB1', '1990-02-03'],
    ]), ['2.postcode', '3.postcode']],
    // Line 1 is the header, so the repeated row is on line demoElectors.length + 2.
    ['a duplicate elector number', csv([...demoElectors, demoElectors[3]!]), [`${demoElectors.length + 2}.elector_number`]],
    ['an unknown district', csv([['X-1', 'ZZZ', 'A', 'B', '1 Road', 'DB1 1AA', '1990-02-03']]), ['2.district']],
    ['a row with too few fields and empty names', `${HEADER}\nX-1,A,B,1 Road,DB1 1AA,1990-02-03\nX-2,,,1 Road,DB1 1AA,1990-02-03,CAS\n`, ['2.(row)', '3.given_name', '3.family_name']],
    ['an empty file', '', ['1.(file)']],
    ['a header and no electors', `${HEADER}\n`, ['2.(file)']],
    ['broken quoting', `${HEADER}\nX-1,"A,B,1 Road,DB1 1AA,1990-02-03,CAS\n`, ['2.given_name']],
  ])('reports %s by line and column and leaves the roll unchanged', async (_, body, paths) => {
    const before = await electorCount();
    const refused = await ApiClient.errorCode(upload(body));
    expect(refused).toMatchObject({ status: 422, code: 'ROLL_INVALID' });
    const reported = refused.issues!.map((i) => i.path);
    for (const path of paths) expect(reported.some((p) => p === path || p.endsWith(path)), `${path} in ${reported.join(' ')}`).toBe(true);
    expect(await electorCount()).toBe(before);
    expect(await stagedImports()).toBe(0);
  });

  it('refuses a body that is not text/csv', async () => {
    const refused = await ApiClient.errorCode(officer.request('POST', '/api/roll/imports', { raw: csv(demoElectors), contentType: 'application/octet-stream' }));
    expect(refused.code).toBe('VALIDATION_FAILED');
  });

  it('previews additions, removals, moves and updates of a changed roll, then applies it with a RollCommitted entry', async () => {
    // An elector who has enrolled and is then removed from the roll: their passkey is revoked.
    const removed = await newBrowser(app);
    await enrolOk(removed.client, removed.authenticator, { activationCode: await issueCard(app, 'RVS-0004'), postcode: 'DB3 3CB' });

    const changed: Row[] = demoElectors
      .filter(([n]) => n !== 'RVS-0004')
      .map((row): Row => (row[0] === 'CAS-0004' ? [row[0], 'NGT', ...row.slice(2)] as unknown as Row : row[0] === 'NGT-0002' ? [row[0], row[1], row[2], 'Rahman-Ali', row[4], row[5], row[6]] : row));
    changed.push(['RVS-0005', 'RVS', 'Nia', 'Lewis', '44 Mill Walk', 'db3 3cb', '1999-01-15']);
    const preview = RollImportPreview.parse(await officer.json(upload(csv(changed)), 201));
    expect(preview).toMatchObject({ status: 'pending', rowCount: changed.length, counts: { additions: 1, removals: 1, moves: 1, updates: 1, unchanged: demoElectors.length - 3 } });
    expect(preview.samples.additions).toEqual([{ electorNumber: 'RVS-0005', name: 'Nia Lewis', fromDistrict: null, toDistrict: 'RVS' }]);
    expect(preview.samples.removals).toEqual([{ electorNumber: 'RVS-0004', name: 'Luca Romano', fromDistrict: 'RVS', toDistrict: null }]);
    expect(preview.samples.moves).toEqual([{ electorNumber: 'CAS-0004', name: 'Tomasz Nowak', fromDistrict: 'CAS', toDistrict: 'NGT' }]);
    expect(preview.samples.updates.map((u) => u.electorNumber)).toEqual(['NGT-0002']);
    // Staging changes nothing yet.
    expect(await electorCount()).toBe(demoElectors.length);
    expect(RollImportPreview.parse(await officer.json(officer.get(`/api/roll/imports/${preview.importId}`)))).toEqual(preview);

    const applied = RollImportApplied.parse(await officer.json(officer.post(`/api/roll/imports/${preview.importId}/apply`)));
    // One Castle elector moved to Northgate; in Riverside one removed and one added.
    const seeded = (code: string) => demoElectors.filter((e) => e[1] === code).length;
    const after = { CAS: seeded('CAS') - 1, NGT: seeded('NGT') + 1, RVS: seeded('RVS') };
    expect(applied).toMatchObject({ electorCount: changed.length, passkeysRevoked: 1, districts: Object.entries(after).map(([code, electorCount]) => ({ code, electorCount })) });
    const keys = app.app.get(IdentityKeys);
    expect(applied.pseudonymRoot).toBe(pseudonymRoot(changed.map(([n]) => keys.pseudonym(n))));

    const [entry] = await app.app.get(LedgerService).entries(REGISTRY_LOG, BigInt(applied.ledgerIndex), BigInt(applied.ledgerIndex) + 1n);
    const decoded = decodeEntry(entry!.bytes);
    expect(decoded.type).toBe('RollCommitted');
    expect(decoded.body).toMatchObject({ electorCount: changed.length, districts: after, pseudonymRoot: applied.pseudonymRoot });
    const [revocation] = await app.app.get(LedgerService).entries(REGISTRY_LOG, BigInt(applied.ledgerIndex) - 1n, BigInt(applied.ledgerIndex));
    expect(decodeEntry(revocation!.bytes)).toMatchObject({ type: 'PasskeyRevoked', body: { pseudonym: keys.pseudonym('RVS-0004'), reason: 'removed-from-roll' } });
    expect((await ApiClient.errorCode(signIn(removed.client, removed.authenticator))).code).toBe('PASSKEY_VERIFICATION_FAILED');

    const council = CouncilSummary.parse(await (await fetch(`${app.baseUrl}/api/council`)).json());
    expect(council.districts.map((d) => [d.code, d.electorCount])).toEqual(Object.entries(after));
    const nowak = await app.database.prisma.elector.findFirst({ where: { electorNumber: 'CAS-0004' }, include: { district: true } });
    expect(nowak!.district.code).toBe('NGT');
    expect((await app.database.prisma.elector.findFirst({ where: { electorNumber: 'RVS-0005' } }))!.postcode).toBe('DB3 3CB');

    expect(await ApiClient.errorCode(officer.post(`/api/roll/imports/${preview.importId}/apply`))).toMatchObject({ status: 409, code: 'CONFLICT' });
  });

  it('supersedes a pending import when another one is applied first', async () => {
    const first = RollImportPreview.parse(await officer.json(upload(csv(demoElectors)), 201));
    const second = RollImportPreview.parse(await officer.json(upload(csv(demoElectors.slice(0, 6))), 201));
    await officer.json(officer.post(`/api/roll/imports/${second.importId}/apply`));
    expect((await ApiClient.errorCode(officer.post(`/api/roll/imports/${first.importId}/apply`))).code).toBe('CONFLICT');
    expect(await electorCount()).toBe(6);
  });

  it('says before issuing a ward’s poll cards how many letters it makes and how many earlier codes stop working', async () => {
    const casElectors = () => app.database.prisma.elector.count({ where: { district: { code: 'CAS' } } });
    const first = PollCardsPreview.parse(await officer.json(officer.get('/api/roll/poll-cards/cas')));
    expect(first).toEqual({ district: 'CAS', letters: await casElectors(), codesInvalidated: 0 });
    expect((await officer.post('/api/roll/poll-cards', { district: 'CAS' })).status).toBe(200);
    // Printed once: issuing again would replace every one of those unused codes.
    const again = PollCardsPreview.parse(await officer.json(officer.get('/api/roll/poll-cards/CAS')));
    expect(again).toEqual({ district: 'CAS', letters: await casElectors(), codesInvalidated: await casElectors() });
    expect(await ApiClient.errorCode(officer.get('/api/roll/poll-cards/ZZZ'))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('prints poll cards for a district as a PDF, re-issues one card, lists electors, and records every staff action', async () => {
    const pdf = await officer.post('/api/roll/poll-cards', { district: 'cas' });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const cas = await app.database.prisma.elector.findMany({ where: { district: { code: 'CAS' } }, include: { activationCode: true } });
    expect(cas.length).toBeGreaterThan(0);
    expect(cas.every((e) => e.activationCode && !e.activationCode.usedAt)).toBe(true);
    expect(await ApiClient.errorCode(officer.post('/api/roll/poll-cards', { district: 'ZZZ' }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(await ApiClient.errorCode(officer.post('/api/roll/poll-cards', {}))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });

    const letter = await officer.post('/api/roll/electors/CAS-0001/reissue-card');
    expect(letter.status).toBe(200);
    expect(Buffer.from(await letter.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await ApiClient.errorCode(officer.post('/api/roll/electors/NOPE-1/reissue-card'))).status).toBe(404);

    const list = ElectorListResponse.parse(await officer.json(officer.get('/api/roll/electors?district=CAS&q=cas-000')));
    expect(list.electors.map((e) => e.electorNumber)).toEqual(cas.map((e) => e.electorNumber).sort());
    expect(list.electors.every((e) => e.cardIssuedAt !== null)).toBe(true);

    const actions = StaffActionsResponse.parse(await admin.json(admin.get('/api/staff/actions')));
    const names = actions.actions.map((a) => `${a.action} ${a.target ?? '-'} ${String(a.detail.outcome)}`);
    expect(names).toEqual(expect.arrayContaining(['roll.poll-cards CAS ok', 'roll.reissue-card CAS-0001 ok', 'roll.reissue-card - NOT_FOUND', 'roll.list-electors - ok']));
    expect(actions.actions.some((a) => a.action === 'roll.import' && a.detail.outcome === 'ROLL_INVALID')).toBe(true);
    expect(actions.actions.some((a) => a.action === 'roll.apply' && a.detail.outcome === 'ok' && a.staffName === 'Test officer')).toBe(true);
  });

  it('issues poll cards only by a CSRF-checked POST: the old GET is no route, and a forged POST issues no new codes', async () => {
    // The old state-changing GET is gone (a prefetch or an <img> on another site must not reissue a ward).
    expect(await ApiClient.errorCode(officer.get('/api/roll/poll-cards.pdf?district=CAS'))).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
    expect(await ApiClient.errorCode(officer.get('/api/roll/poll-cards?district=CAS'))).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });

    const elector = await app.database.prisma.elector.findFirst({ where: { district: { code: 'CAS' } }, orderBy: { electorNumber: 'asc' } });
    expect(elector).not.toBeNull();
    const code = await issueCard(app, elector!.electorNumber);
    const codesOfCastle = async () =>
      (await app.database.prisma.elector.findMany({ where: { district: { code: 'CAS' } }, include: { activationCode: true }, orderBy: { electorNumber: 'asc' } }))
        .map((e) => `${e.electorNumber} ${e.activationCode ? Buffer.from(e.activationCode.codeHash).toString('hex') : '-'}`);
    const before = await codesOfCastle();

    // The officer's own session cookie rides along, as it would on a cross-site request: without the
    // CSRF token, or with it but from another origin, the POST is refused before it issues anything.
    expect(await ApiClient.errorCode(officer.post('/api/roll/poll-cards', { district: 'CAS' }, { csrf: null }))).toMatchObject({ status: 403, code: 'CSRF_REJECTED' });
    expect(await ApiClient.errorCode(officer.post('/api/roll/poll-cards', { district: 'CAS' }, { csrf: 'A'.repeat(43) }))).toMatchObject({ status: 403, code: 'CSRF_REJECTED' });
    expect(await ApiClient.errorCode(officer.post('/api/roll/poll-cards', { district: 'CAS' }, { origin: 'https://attacker.example' }))).toMatchObject({ status: 403, code: 'CSRF_REJECTED' });
    expect(await codesOfCastle()).toEqual(before);

    // The code issued before still enrols the elector.
    const resident = await newBrowser(app);
    const session = await enrolOk(resident.client, resident.authenticator, { activationCode: code, postcode: elector!.postcode });
    expect(session.principal.kind).toBe('resident');
  });
});

/**
 * Roll files as people save them (issue #15): quoting mistakes, encodings (UTF-8 with or without a
 * byte-order mark, Windows-1252 from Excel's plain "CSV"), and the 64 MiB limit. Every bad file is a
 * 422 naming the line and column, or a 413; never a 500.
 */
describe.each(dialects)('roll files: quoting, encodings and size on %s', (dialect) => {
  let app: RunningApp;
  let officer: ApiClient;

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
    officer = (await staffMember(app, 'officer')).client;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  const upload = (body: string | Uint8Array<ArrayBuffer>, contentType = 'text/csv') => officer.request('POST', '/api/roll/imports', { raw: body, contentType });
  const row = (number: string, given: string, family: string) => `${number},${given},${family},"1 Road",DB1 1AA,1990-02-03,CAS`;
  const file = (...rows: string[]) => [HEADER, ...rows].join('\r\n') + '\r\n';
  const names = async (response: Promise<Response>) => {
    const preview = RollImportPreview.parse(await officer.json(response, 201));
    const rows = await app.database.prisma.rollImportRow.findMany({ where: { importId: preview.importId }, orderBy: { line: 'asc' } });
    return rows.map((r) => `${r.givenName} ${r.familyName}`);
  };
  const refused = async (response: Promise<Response>, status = 422) => {
    const before = await app.database.prisma.rollImport.count({ where: { status: 'staging' } });
    const answer = await ApiClient.errorCode(response);
    expect(answer.status).toBe(status);
    expect(await app.database.prisma.rollImport.count({ where: { status: 'staging' } })).toBe(before);
    return answer;
  };

  it.each([
    ['a stray double quote in an unquoted field (O"Brien)', file(row('X-1', 'Siobhan', 'O"Brien')), '2.family_name', 'field 3, family_name'],
    ['text after the closing quote of a quoted field', file(row('X-1', '"Siobhan" Mary', 'Byrne')), '2.given_name', 'field 2, given_name'],
    ['a quote that is never closed, in the last row', file(row('X-1', 'Ann', 'Lee'), '', row('X-2', 'Bo', 'Lee'), 'X-3,Cy,Lee,"1 Road,DB1 1AA,1990-02-03,CAS'), '5.address', 'never closed'],
    ['a quote left open that swallows the next rows', file(row('X-1', 'Ann', 'Lee'), 'X-2,Bo,Lee,"1 Road",DB1 1AA,1990-02-03,"CAS', row('X-3', 'Cy', 'Lee')), '3.district', 'field 7, district'],
    ['a closing quote followed by more text', file(row('X-1', 'Ann', 'Lee'), row('X-2', 'Bo', '"Lee')), '3.family_name', 'field 3, family_name'],
    ['a stray quote in the header', `elector_number,given"name,family_name\r\n${row('X-1', 'Ann', 'Lee')}\r\n`, '1.(row)', 'field 2'],
    ['a row longer than 64 KiB', file(row('X-1', 'Ann', `"${'x'.repeat(70_000)}`)), '2.family_name', '64 KiB'],
  ])('refuses %s with 422 naming its line and column', async (_, body, path, words) => {
    const answer = await refused(upload(body));
    expect(answer.code).toBe('ROLL_INVALID');
    expect(answer.issues!.map((i) => i.path)).toEqual([path]);
    expect(answer.issues![0]!.message).toContain(words);
    expect(answer.issues![0]!.message).not.toMatch(/Brien|Siobhan|Lee|xxxx/);
  });

  it('reads correct quoting: commas, doubled quotes and spaces inside quoted fields', async () => {
    expect(await names(upload(file('X-1,"Mary, Jane","O""Neill",  "2, The ""Old"" Mill"  ,DB1 1AA,1990-02-03,CAS')))).toEqual(['Mary, Jane O"Neill']);
  });

  it('reads UTF-8 with or without a byte-order mark', async () => {
    const text = file(row('X-1', 'Zoë', 'Ó Súilleabháin'), row('X-2', 'Łukasz', 'Nowak-Żak'));
    expect(await names(upload(`\uFEFF${text}`))).toEqual(['Zoë Ó Súilleabháin', 'Łukasz Nowak-Żak']);
    expect(await names(upload(text))).toEqual(['Zoë Ó Súilleabháin', 'Łukasz Nowak-Żak']);
  });

  it('reads Windows-1252 (Excel\'s plain CSV) when the file is not UTF-8, or when its charset says so', async () => {
    // ’ is 0x92 in Windows-1252: read as ISO-8859-1 (Node 20's TextDecoder) it would be a C1 control.
    const text = file(row('X-1', 'Renée', 'O’Brien'), row('X-2', 'Zoë', 'Œuvray'));
    const bytes = new Uint8Array(iconv.encode(text, 'windows-1252'));
    expect(bytes.includes(0x92)).toBe(true);
    expect(await names(upload(bytes))).toEqual(['Renée O’Brien', 'Zoë Œuvray']);
    expect(await names(upload(bytes, 'text/csv; charset=windows-1252'))).toEqual(['Renée O’Brien', 'Zoë Œuvray']);
    expect(await names(upload(bytes, 'text/csv; charset="ISO-8859-1"'))).toEqual(['Renée O’Brien', 'Zoë Œuvray']);
    // A byte Windows-1252 does not define is a lost character, not a name.
    const undefinedByte = Buffer.concat([Buffer.from(`${HEADER}\r\nX-1,Ann,Le`), Buffer.from([0x81]), Buffer.from('e,"1 Road",DB1 1AA,1990-02-03,CAS\r\n')]);
    expect((await refused(upload(new Uint8Array(undefinedByte)))).issues!.map((i) => i.path)).toEqual(['2.family_name']);
  });

  it('refuses a file that mixes encodings, or is not the UTF-8 it says it is, at the first line that is not', async () => {
    const utf8 = Buffer.from(`${HEADER}\r\n${row('X-1', 'Zoë', 'Adams')}\r\n`);
    const latin = new Uint8Array(Buffer.concat([utf8, iconv.encode(`${row('X-2', 'Renée', 'Brown')}\r\n`, 'windows-1252')]));
    const mixed = await refused(upload(latin));
    expect(mixed.issues).toEqual([{ path: '3.(file)', message: expect.stringContaining('line 3 is not UTF-8 text, but line 2 was read as UTF-8') }]);
    const ascii1252 = new Uint8Array(iconv.encode(file(row('X-1', 'Ann', 'Lee'), row('X-2', 'Renée', 'Brown')), 'windows-1252'));
    expect((await refused(upload(ascii1252, 'text/csv; charset=utf-8'))).issues).toEqual([{ path: '3.(file)', message: expect.stringContaining('charset=utf-8') }]);
    const bom = new Uint8Array(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ascii1252]));
    expect((await refused(upload(bom))).issues).toEqual([{ path: '3.(file)', message: expect.stringContaining('byte-order mark') }]);
    const utf16 = new Uint8Array(Buffer.from(`\uFEFF${file(row('X-1', 'Ann', 'Lee'))}`, 'utf16le'));
    expect((await refused(upload(utf16))).issues).toEqual([{ path: '1.(file)', message: expect.stringContaining('UTF-16') }]);
    expect(await refused(upload(ascii1252, 'text/csv; charset=shift_jis'), 400)).toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('processes a file of exactly 64 MiB and answers one byte more with 413, with or without a Content-Length', { timeout: 120_000 }, async () => {
    const head = Buffer.from(file(row('X-1', 'Ann', 'Lee')));
    // Blank lines (skipped by the parser) fill the file up to the limit, so the whole of it is read.
    const atLimit = Buffer.alloc(MAX_ROLL_BYTES, 0x0a);
    head.copy(atLimit);
    let started = performance.now();
    expect(await names(upload(new Uint8Array(atLimit)))).toEqual(['Ann Lee']);
    const atLimitMs = performance.now() - started;

    const overLimit = new Uint8Array(Buffer.concat([atLimit, Buffer.from('\n')]));
    started = performance.now();
    expect(await refused(upload(overLimit), 413)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const declaredMs = performance.now() - started;
    // Streamed (chunked, no Content-Length): refused once the 64 MiB + 1st byte arrives.
    const chunks = (function* () {
      for (let offset = 0; offset < overLimit.length; offset += 1 << 20) yield overLimit.subarray(offset, offset + (1 << 20));
    })();
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
    });
    started = performance.now();
    const streamed = fetch(`${app.baseUrl}/api/roll/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', cookie: `townhall_session=${officer.cookie}`, origin: officer.origin, 'x-csrf-token': officer.csrfToken! },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(await refused(streamed, 413)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const streamedMs = performance.now() - started;
    console.log(`64 MiB roll on ${dialect}: read whole and staged in ${(atLimitMs / 1000).toFixed(1)} s; +1 byte refused in ${(declaredMs / 1000).toFixed(1)} s (Content-Length) and ${(streamedMs / 1000).toFixed(1)} s (streamed)`);
  });
});

describe('a 100,000-elector roll', () => {
  let app: RunningApp;
  let officer: ApiClient;

  beforeAll(async () => {
    app = await startIdentityApp('postgres', { TOWNHALL_SEED_DEMO: 'true' });
    officer = (await staffMember(app, 'officer')).client;
  });
  afterAll(async () => {
    await app?.destroy();
  });

  /**
   * Runs one step of the test; if it is still running after a minute, prints what the database is
   * doing (every session of the server, with its wait) once a minute, so a stalled step names its cause.
   */
  async function step<T>(name: string, work: Promise<T>): Promise<T> {
    const started = performance.now();
    const report = async () => {
      // A connection of its own: the app's pool may be what is stuck.
      const client = new pg.Client({ connectionString: (app.config.database as { url: string }).url });
      await client.connect();
      try {
        const { rows } = await client.query(
          `SELECT pid, datname, backend_type, state, wait_event_type, wait_event, round(extract(epoch FROM now() - query_start))::int AS seconds, left(query, 160) AS query
           FROM pg_stat_activity WHERE (datname IS NULL OR datname = current_database()) AND backend_type = 'client backend' AND pid <> pg_backend_pid() ORDER BY query_start`,
        );
        const resources = process.getActiveResourcesInfo().reduce<Record<string, number>>((n, r) => ({ ...n, [r]: (n[r] ?? 0) + 1 }), {});
        const pool = app.database.sql.poolStats?.();
        const sequencers = app.app.get(LedgerService).sequencerStates().map((s) => ({ ...s, stepSeconds: s.stepSince === undefined ? undefined : Math.round((Date.now() - s.stepSince) / 1000) }));
        console.log(
          `step "${name}" still running after ${((performance.now() - started) / 1000).toFixed(0)} s; active resources ${JSON.stringify(resources)}; ` +
            `pool ${JSON.stringify(pool)}; ledger sequencers ${JSON.stringify(sequencers)}; database sessions:\n${JSON.stringify(rows, null, 1)}`,
        );
      } finally {
        await client.end();
      }
    };
    const timer = setInterval(() => void report().catch((error: unknown) => console.log(`step "${name}": could not read pg_stat_activity: ${String(error)}`)), 60_000);
    try {
      return await work;
    } finally {
      clearInterval(timer);
    }
  }

  it('is validated, previewed and applied in one transaction; a malformed row in it leaves the roll unchanged', { timeout: 180_000 }, async () => {
    const districts = ['CAS', 'NGT', 'RVS'];
    const rows = Array.from({ length: 100_000 }, (_, i) => {
      const n = String(i).padStart(6, '0');
      return `E-${n},Given${i},Family${i % 977},"${i % 300} Long Road",DB${1 + (i % 9)} ${1 + (i % 9)}AB,${1940 + (i % 60)}-0${1 + (i % 9)}-1${i % 10},${districts[i % 3]}`;
    });
    const body = `${HEADER}\n${rows.join('\n')}\n`;

    const badBody = body.replace('E-054321,', 'E-054320,');
    let started = performance.now();
    const refused = await step('reject', ApiClient.errorCode(officer.request('POST', '/api/roll/imports', { raw: badBody })));
    const rejectMs = performance.now() - started;
    expect(refused.code).toBe('ROLL_INVALID');
    expect(refused.issues).toEqual([{ path: '54323.elector_number', message: 'E-054320 appears already on line 54322' }]);
    expect(await app.database.prisma.elector.count()).toBe(demoElectors.length);
    expect(await app.database.prisma.rollImportRow.count()).toBe(0);

    const heapBefore = process.memoryUsage().heapUsed;
    started = performance.now();
    const preview = RollImportPreview.parse(await step('stage', officer.json(officer.request('POST', '/api/roll/imports', { raw: body }), 201)));
    const stageMs = performance.now() - started;
    expect(preview.counts).toMatchObject({ additions: 100_000, removals: demoElectors.length, moves: 0, updates: 0 });
    started = performance.now();
    const applied = RollImportApplied.parse(await step('apply', officer.json(officer.post(`/api/roll/imports/${preview.importId}/apply`))));
    const applyMs = performance.now() - started;
    expect(applied.electorCount).toBe(100_000);
    expect(applied.districts.map((d) => d.electorCount)).toEqual([33_334, 33_333, 33_333]);
    expect(await app.database.prisma.elector.count()).toBe(100_000);
    console.log(
      `100,000-row roll on postgres (${(body.length / 1e6).toFixed(1)} MB): rejected a bad file in ${(rejectMs / 1000).toFixed(1)} s, staged + previewed in ${(stageMs / 1000).toFixed(1)} s, applied with RollCommitted in ${(applyMs / 1000).toFixed(1)} s; test-process heap +${((process.memoryUsage().heapUsed - heapBefore) / 1e6).toFixed(0)} MB`,
    );
  });
});
