import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElectionDetail, SessionResponse, StaffActionsResponse, StaffInvitationCreated, StaffInvitationSummary, StaffListResponse } from '@townhall/protocol';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminInvite } from '../scripts/admin-invite.ts';
import { StaffRepository } from '../src/staff/staff.repository.ts';
import { issueAdminInvitation } from '../src/staff/staff.service.ts';
import { startControlSocket } from '../src/system/control-socket.ts';
import { acceptInvitation, ApiClient, signInOk } from '@townhall/client-flows';
import { demoDraft } from './elections-support.ts';
import { PUBLIC_URL, newBrowser, startIdentityApp, type RunningApp } from './identity-support/flows.ts';

const tokenOf = (url: string) => url.split('/').pop()!;

describe('staff: admin bootstrap and invitations', () => {
  let app: RunningApp;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    app = await startIdentityApp('postgres');
    if (app.config.database.kind !== 'postgres') throw new Error('expected postgres');
    // A data directory of its own: admin:invite asks a server running on its data directory first.
    dataDir = await mkdtemp(join(tmpdir(), 'townhall-admin-invite-'));
    env = { DATABASE_URL: app.config.database.url, TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_LOG_LEVEL: 'silent', TOWNHALL_DATA_DIR: dataDir };
  });
  afterAll(async () => {
    await app?.destroy();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('bootstraps the first admin with a one-time link, then refuses a second one unless forced', async () => {
    const first = await adminInvite(['--name', 'Ada Admin'], env);
    expect(first.exitCode).toBe(0);
    const url = /(http:\/\/localhost:3999\/official\/invite\/[A-Za-z0-9_-]{43})/.exec(first.output)?.[1];
    expect(url).toBeDefined();

    const admin = await newBrowser(app);
    const summary = StaffInvitationSummary.parse(await admin.client.json(admin.client.get(`/api/staff/invitations/${tokenOf(url!)}`)));
    expect(summary).toMatchObject({ role: 'admin', displayName: 'Ada Admin', electionId: null });
    const session = await acceptInvitation(admin.client, admin.authenticator, tokenOf(url!));
    expect(session.principal).toMatchObject({ kind: 'staff', displayName: 'Ada Admin', roles: [{ role: 'admin', electionId: null }] });

    // The link worked once.
    const again = await newBrowser(app);
    expect((await ApiClient.errorCode(again.client.get(`/api/staff/invitations/${tokenOf(url!)}`))).status).toBe(404);
    expect((await ApiClient.errorCode(again.client.post(`/api/staff/invitations/${tokenOf(url!)}/start`))).status).toBe(404);

    const refused = await adminInvite([], env);
    expect(refused.exitCode).toBe(1);
    expect(refused.output).toContain('--force');
    const forced = await adminInvite(['--force'], env);
    expect(forced.exitCode).toBe(0);
    expect(forced.output).toContain('/official/invite/');
  });

  it('lets an admin invite an officer and a trustee, who join with passkeys and sign in again later', async () => {
    const admin = await newBrowser(app);
    const bootstrap = await adminInvite(['--force', '--name', 'Second Admin'], env);
    await acceptInvitation(admin.client, admin.authenticator, tokenOf(/(http\S+)/.exec(bootstrap.output)![1]!));

    const officerLink = StaffInvitationCreated.parse(await admin.client.json(admin.client.post('/api/staff/invitations', { role: 'officer', displayName: 'Olu Officer' }), 201));
    expect(officerLink.url.startsWith(`${PUBLIC_URL}/official/invite/`)).toBe(true);
    expect((await ApiClient.errorCode(admin.client.post('/api/staff/invitations', { role: 'trustee', displayName: 'Tess' }))).code).toBe('VALIDATION_FAILED');
    // A trustee of an election that exists and is still a draft (an unknown one is refused: staff-trustees.medium.test.ts).
    const draft = ElectionDetail.parse(await admin.client.json(admin.client.post('/api/official/elections', demoDraft({ title: 'Parish poll 2027' })), 201));
    const trusteeLink = StaffInvitationCreated.parse(
      await admin.client.json(admin.client.post('/api/staff/invitations', { role: 'trustee', displayName: 'Tess Trustee', electionId: draft.id }), 201),
    );

    const officer = await newBrowser(app);
    const officerSession = await acceptInvitation(officer.client, officer.authenticator, tokenOf(officerLink.url));
    expect(officerSession.principal).toMatchObject({ kind: 'staff', roles: [{ role: 'officer', electionId: null }] });
    // Officers may not invite.
    expect((await ApiClient.errorCode(officer.client.post('/api/staff/invitations', { role: 'officer', displayName: 'X' }))).status).toBe(403);
    expect((await officer.client.post('/api/sign-out')).status).toBe(204);
    await officer.client.session();
    const back = await signInOk(officer.client, officer.authenticator);
    expect(back.principal).toMatchObject({ kind: 'staff', displayName: 'Olu Officer' });

    const trustee = await newBrowser(app);
    const trusteeSession = SessionResponse.parse(await acceptInvitation(trustee.client, trustee.authenticator, tokenOf(trusteeLink.url)));
    expect(trusteeSession.principal).toMatchObject({ kind: 'staff', roles: [{ role: 'trustee', electionId: draft.id }] });

    const staff = StaffListResponse.parse(await admin.client.json(admin.client.get('/api/staff')));
    expect(staff.staff.map((s) => s.displayName)).toEqual(expect.arrayContaining(['Ada Admin', 'Second Admin', 'Olu Officer', 'Tess Trustee']));
    expect(staff.staff.find((s) => s.displayName === 'Olu Officer')!.activePasskeys).toBe(1);

    const actions = StaffActionsResponse.parse(await admin.client.json(admin.client.get('/api/staff/actions')));
    const seen = actions.actions.map((a) => `${a.action}:${a.staffName ?? 'server'}`);
    expect(seen).toEqual(
      expect.arrayContaining(['staff.bootstrap-invite:server', 'staff.join:Olu Officer', 'staff.invite:Second Admin', 'staff.sign-in:Olu Officer', 'staff.join:Tess Trustee']),
    );
  });

  it('answers an expired invitation exactly like an unknown one', async () => {
    const expired = await adminInvite(['--force'], env);
    const token = tokenOf(/(http\S+)/.exec(expired.output)![1]!);
    await app.database.prisma.staffInvitation.updateMany({ where: { acceptedAt: null }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const browser = await newBrowser(app);
    const expiredAnswer = await ApiClient.errorCode(browser.client.get(`/api/staff/invitations/${token}`));
    const unknownAnswer = await ApiClient.errorCode(browser.client.get(`/api/staff/invitations/${'B'.repeat(43)}`));
    expect(expiredAnswer).toEqual(unknownAnswer);
    expect(expiredAnswer.status).toBe(404);
  });

  describe('admin:invite while a server runs on the same data directory', () => {
    it('asks the running server, which makes a link for its own address that works at once', async () => {
      const running = 'http://localhost:4321';
      const control = await startControlSocket(dataDir, (command) => issueAdminInvitation(app.app.get(StaffRepository), running, command));
      try {
        // Another public URL in the command's own environment: the server's address wins.
        const answer = await adminInvite(['--force', '--name', 'Via Server'], { ...env, TOWNHALL_PUBLIC_URL: 'http://localhost:3000' });
        expect(answer.exitCode).toBe(0);
        const url = /(http:\/\/localhost:4321\/official\/invite\/[A-Za-z0-9_-]{43})/.exec(answer.output)?.[1];
        expect(url, answer.output).toBeDefined();
        const browser = await newBrowser(app);
        const summary = StaffInvitationSummary.parse(await browser.client.json(browser.client.get(`/api/staff/invitations/${tokenOf(url!)}`)));
        expect(summary).toMatchObject({ role: 'admin', displayName: 'Via Server' });
      } finally {
        await control.close();
      }
    });

    it('never opens an embedded database that a live server holds, and says what to do', async () => {
      const held = await mkdtemp(join(tmpdir(), 'townhall-held-'));
      try {
        // A live process (this one) claims the directory, but nothing answers on its control socket.
        await writeFile(join(held, 'server.json'), JSON.stringify({ pid: process.pid }));
        const answer = await adminInvite([], { TOWNHALL_DATA_DIR: held, TOWNHALL_LOG_LEVEL: 'silent' });
        expect(answer.exitCode).toBe(1);
        expect(answer.output).toContain(`process ${process.pid}`);
        expect(answer.output).toContain('Stop it');
        expect(existsSync(join(held, 'pglite'))).toBe(false);
      } finally {
        await rm(held, { recursive: true, force: true });
      }
    });
  });
});
