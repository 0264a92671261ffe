import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountResponse, AuthenticationOptionsResponse, PasskeySummary, RegistrationOptionsResponse, SessionResponse } from '@townhall/protocol';
import { decodeHex, hashLeaf, verifyInclusion } from '@townhall/ledger';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { dialects } from './support/test-database.ts';
import { ApiClient, enrol, enrolOk, FLAGS, signIn, signInOk, SoftwareAuthenticator } from '@townhall/client-flows';
import { PUBLIC_URL, issueCard, newBrowser, startIdentityApp, type RunningApp } from './identity-support/flows.ts';

const code = ApiClient.errorCode;

describe.each(dialects)('resident passkeys on %s', (dialect) => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startIdentityApp(dialect);
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('enrols with a poll card and a postcode, signs out, signs in again, and shows the ledger attestations with proofs', async () => {
    const activationCode = await issueCard(app, 'CAS-0001');
    const { client, authenticator } = await newBrowser(app);
    const anonymousCookie = client.cookie;

    const enrolled = await enrolOk(client, authenticator, { activationCode: activationCode.toLowerCase().replace(/(.{4})/g, '$1 '), postcode: 'db11aa' });
    expect(enrolled.principal).toMatchObject({ kind: 'resident', districtCode: 'CAS', givenName: 'Amira' });
    expect(client.cookie).not.toBe(anonymousCookie);
    const pseudonym = enrolled.principal.kind === 'resident' ? enrolled.principal.pseudonym : '';
    expect(pseudonym).toMatch(/^[0-9a-f]{64}$/);

    await app.app.get(LedgerService).checkpointNow(REGISTRY_LOG);
    const account = AccountResponse.parse(await client.json(client.get('/api/account')));
    expect(account.passkeys).toHaveLength(1);
    expect(account.passkeys[0]!.status).toBe('active');
    const enrolledEntry = account.attestations.find((a) => a.type === 'Enrolled')!;
    expect(enrolledEntry.body).toMatchObject({ pseudonym, credentialIdHash: account.passkeys[0]!.credentialIdHash });
    // No personal data in the entry: only the pseudonym, hashes and the public key.
    expect(JSON.stringify(enrolledEntry.body)).not.toMatch(/Amira|Patel|CAS-0001|DB1/);
    const bytes = Buffer.from(enrolledEntry.entry, 'base64');
    expect(Buffer.from(hashLeaf(new Uint8Array(bytes))).toString('hex')).toBe(enrolledEntry.leafHash);
    const proof = enrolledEntry.inclusionProof!;
    expect(() =>
      verifyInclusion(decodeHex(enrolledEntry.leafHash)!, BigInt(enrolledEntry.index), BigInt(proof.treeSize), proof.hashes.map((h) => decodeHex(h)!), decodeHex(proof.rootHash)!),
    ).not.toThrow();

    expect((await client.post('/api/sign-out')).status).toBe(204);
    await client.session();
    expect((await client.session()).principal.kind).toBe('anonymous');
    expect((await code(client.get('/api/account'))).code).toBe('UNAUTHENTICATED');

    const again = await signInOk(client, authenticator);
    expect(again.principal).toMatchObject({ kind: 'resident', pseudonym });
    expect(AccountResponse.parse(await client.json(client.get('/api/account'))).passkeys[0]!.lastUsedAt).not.toBeNull();
  });

  it('enrols with a date of birth, then adds a second passkey on another device that excludes the first', async () => {
    const activationCode = await issueCard(app, 'CAS-0002');
    const { client, authenticator } = await newBrowser(app);
    await enrolOk(client, authenticator, { activationCode, dateOfBirth: '1979-11-02' });

    const { options } = RegistrationOptionsResponse.parse(await client.json(client.post('/api/passkeys/start', { assertion: await freshAssertion(client, authenticator) })));
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    expect(options.attestation).toBe('none');
    expect(options.excludeCredentials?.map((c) => c.id)).toEqual([Buffer.from(authenticator.credentials[0]!.id).toString('base64url')]);
    const phone = new SoftwareAuthenticator(PUBLIC_URL);
    const added = PasskeySummary.parse(await client.json(client.post('/api/passkeys/finish', { response: phone.create(options) })));
    expect(added.status).toBe('active');

    const other = await newBrowser(app);
    const session = await signInOk(other.client, phone);
    expect(session.principal).toMatchObject({ kind: 'resident', givenName: 'Owen' });
    expect(AccountResponse.parse(await other.client.json(other.client.get('/api/account'))).passkeys).toHaveLength(2);
  });

  it('adds a passkey only after a fresh assertion by one of the resident’s own passkeys, never on the session alone', async () => {
    const activationCode = await issueCard(app, 'CAS-0005');
    const { client, authenticator } = await newBrowser(app);
    await enrolOk(client, authenticator, { activationCode, postcode: 'DB1 1AA' });
    // The session alone (which may be a cloned passkey's) is not enough.
    expect(await code(client.post('/api/passkeys/start'))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    // Another resident's passkey does not vouch for this one.
    const stranger = await newBrowser(app);
    await enrolOk(stranger.client, stranger.authenticator, { activationCode: await issueCard(app, 'CAS-0006'), postcode: 'DB1 1AA' });
    const passkeysBefore = await app.database.prisma.passkey.count();
    const { options } = AuthenticationOptionsResponse.parse(await client.json(client.post('/api/sign-in/start')));
    const foreign = await code(client.post('/api/passkeys/start', { assertion: stranger.authenticator.get(options) }));
    expect(foreign).toMatchObject({ status: 400, code: 'PASSKEY_VERIFICATION_FAILED' });
    // An assertion without user verification is refused too.
    const again = AuthenticationOptionsResponse.parse(await client.json(client.post('/api/sign-in/start'))).options;
    expect(await code(client.post('/api/passkeys/start', { assertion: authenticator.get(again, { flags: FLAGS.UP }) }))).toMatchObject({ status: 400, code: 'PASSKEY_VERIFICATION_FAILED' });
    expect(await app.database.prisma.passkey.count()).toBe(passkeysBefore);
  });

  it('a cloned passkey: the counter regression suspends it and ends every session of the resident; the account page says so', async () => {
    const activationCode = await issueCard(app, 'CAS-0007');
    const owner = await newBrowser(app);
    await enrolOk(owner.client, owner.authenticator, { activationCode, postcode: 'DB1 1AB' });
    // The owner adds a second passkey (their phone) while all is well.
    const { options } = RegistrationOptionsResponse.parse(await owner.client.json(owner.client.post('/api/passkeys/start', { assertion: await freshAssertion(owner.client, owner.authenticator) })));
    const phone = new SoftwareAuthenticator(PUBLIC_URL);
    PasskeySummary.parse(await owner.client.json(owner.client.post('/api/passkeys/finish', { response: phone.create(options) })));
    // Someone copies the laptop passkey and signs in with it, running its counter ahead.
    const thief = await newBrowser(app);
    thief.authenticator.credentials.push({ ...owner.authenticator.credentials[0]! });
    await signInOk(thief.client, thief.authenticator);
    await signInOk(thief.client, thief.authenticator);
    expect((await thief.client.session()).principal.kind).toBe('resident');
    // The owner's next use of the real one goes backwards: suspended, and every session ends.
    const other = await newBrowser(app);
    expect(await code(signIn(other.client, owner.authenticator))).toMatchObject({ status: 401, code: 'PASSKEY_COUNTER_REGRESSION' });
    expect((await thief.client.session()).principal.kind).toBe('anonymous');
    expect((await owner.client.session()).principal.kind).toBe('anonymous');
    // The copy cannot sign in again, nor add a passkey of its own.
    expect((await code(signIn(thief.client, thief.authenticator))).code).toBe('PASSKEY_COUNTER_REGRESSION');
    // The owner signs in with the phone and sees what happened.
    await signInOk(owner.client, phone);
    const account = AccountResponse.parse(await owner.client.json(owner.client.get('/api/account')));
    const suspended = account.passkeys.filter((p) => p.status === 'suspended');
    expect(suspended).toHaveLength(1);
    expect(suspended[0]!.suspendedAt).not.toBeNull();
  });

  it('asks for discoverable credentials with user verification at sign-in (so autofill works)', async () => {
    const { client } = await newBrowser(app);
    const { options } = AuthenticationOptionsResponse.parse(await client.json(client.post('/api/sign-in/start')));
    expect(options.allowCredentials ?? []).toEqual([]);
    expect(options.userVerification).toBe('required');
    expect(options.rpId).toBe('localhost');
  });

  /** A fresh user-verified assertion over a sign-in challenge bound to this browser (what adding a passkey needs). */
async function freshAssertion(client: ApiClient, authenticator: SoftwareAuthenticator) {
  const { options } = AuthenticationOptionsResponse.parse(await client.json(client.post('/api/sign-in/start')));
  return authenticator.get(options);
}

describe('refuses', () => {
    let resident: Awaited<ReturnType<typeof newBrowser>>;

    beforeAll(async () => {
      resident = await newBrowser(app);
      await enrolOk(resident.client, resident.authenticator, { activationCode: await issueCard(app, 'NGT-0001'), postcode: 'DB2 2BA' });
      await resident.client.post('/api/sign-out');
      await resident.client.session();
    });

    it('a replayed challenge', async () => {
      const { client, authenticator } = resident;
      const { options } = AuthenticationOptionsResponse.parse(await client.json(client.post('/api/sign-in/start')));
      const assertion = authenticator.get(options);
      expect((await client.post('/api/sign-in/finish', { response: assertion })).status).toBe(200);
      client.csrfToken = (await client.session()).csrfToken;
      const replay = await code(client.post('/api/sign-in/finish', { response: authenticator.get(options) }));
      expect(replay).toMatchObject({ status: 400, code: 'CHALLENGE_EXPIRED' });
      await client.post('/api/sign-out');
      await client.session();
    });

    it('a challenge issued to another browser', async () => {
      const thief = await newBrowser(app);
      const { options } = AuthenticationOptionsResponse.parse(await thief.client.json(thief.client.post('/api/sign-in/start')));
      const response = await resident.client.post('/api/sign-in/finish', { response: resident.authenticator.get(options) });
      expect((await code(response)).code).toBe('CHALLENGE_EXPIRED');
    });

    it('the wrong origin, the wrong RP ID, a missing UV flag and a bogus signature', async () => {
      const { client, authenticator } = resident;
      for (const overrides of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { flags: FLAGS.UP }, { corruptSignature: true }]) {
        const refused = await code(signIn(client, authenticator, overrides));
        expect(refused, JSON.stringify(overrides)).toMatchObject({ status: 400, code: 'PASSKEY_VERIFICATION_FAILED' });
      }
      expect((await client.session()).principal.kind).toBe('anonymous');
    });

    it('a registration without user verification, from the wrong origin or for the wrong RP ID', async () => {
      const activationCode = await issueCard(app, 'NGT-0002');
      for (const overrides of [{ flags: FLAGS.UP | FLAGS.AT }, { origin: 'https://evil.example' }, { rpId: 'evil.example' }]) {
        const { client, authenticator } = await newBrowser(app);
        const refused = await code(enrol(client, authenticator, { activationCode, postcode: 'DB2 2BA' }, overrides));
        expect(refused, JSON.stringify(overrides)).toMatchObject({ code: 'PASSKEY_VERIFICATION_FAILED' });
      }
      // None of them used the card up.
      const { client, authenticator } = await newBrowser(app);
      await enrolOk(client, authenticator, { activationCode, postcode: 'DB2 2BA' });
    });

    it('a signature counter that goes backwards, and suspends that passkey', async () => {
      const { client, authenticator } = resident;
      await signInOk(client, authenticator);
      await client.post('/api/sign-out');
      await client.session();
      const last = authenticator.credentials[0]!.counter;
      const regression = await code(signIn(client, authenticator, { counter: last - 1 }));
      expect(regression).toMatchObject({ status: 401, code: 'PASSKEY_COUNTER_REGRESSION' });
      // Suspended: even a well-formed assertion with a higher counter is refused now.
      expect((await code(signIn(client, authenticator, { counter: last + 10 }))).code).toBe('PASSKEY_COUNTER_REGRESSION');
    });

    it('a reused activation code and a wrong roll attribute (the same answer, telling nothing)', async () => {
      const activationCode = await issueCard(app, 'NGT-0003');
      const first = await newBrowser(app);
      await enrolOk(first.client, first.authenticator, { activationCode, dateOfBirth: '1988-12-01' });
      const second = await newBrowser(app);
      const reused = await code(second.client.post('/api/enrolment/start', { activationCode, dateOfBirth: '1988-12-01' }));
      expect(reused).toMatchObject({ status: 400, code: 'ACTIVATION_CODE_INVALID' });
      const wrongAttribute = await code(second.client.post('/api/enrolment/start', { activationCode: await issueCard(app, 'NGT-0004'), postcode: 'DB9 9ZZ' }));
      expect(wrongAttribute).toEqual(reused);
    });

    it("a re-issued card's old code and old passkey", async () => {
      const oldCode = await issueCard(app, 'RVS-0001');
      const { client, authenticator } = await newBrowser(app);
      await enrolOk(client, authenticator, { activationCode: oldCode, postcode: 'DB3 3CA' });
      const newCode = await issueCard(app, 'RVS-0001');
      // The signed-in session ended with the revocation.
      expect((await client.session()).principal.kind).toBe('anonymous');
      expect((await code(signIn(client, authenticator))).code).toBe('PASSKEY_REVOKED');
      const stale = await newBrowser(app);
      expect((await code(stale.client.post('/api/enrolment/start', { activationCode: oldCode, postcode: 'DB3 3CA' }))).code).toBe('ACTIVATION_CODE_INVALID');
      // The same device enrols again with the new card: its revoked passkey is not excluded.
      const { options } = RegistrationOptionsResponse.parse(
        await client.json(client.post('/api/enrolment/start', { activationCode: newCode, postcode: 'DB3 3CA' })),
      );
      expect(options.excludeCredentials ?? []).toEqual([]);
      await enrolOk(client, authenticator, { activationCode: newCode, postcode: 'DB3 3CA' });
      await app.app.get(LedgerService).checkpointNow(REGISTRY_LOG);
      const account = AccountResponse.parse(await client.json(client.get('/api/account')));
      expect(account.passkeys.map((p) => p.status)).toEqual(['revoked', 'active']);
      expect(account.attestations.map((a) => a.type)).toEqual(['Enrolled', 'PasskeyRevoked', 'Enrolled']);
    });

    it('state-changing requests without the CSRF token or from another origin', async () => {
      const { client } = await newBrowser(app);
      expect(await code(client.post('/api/sign-in/start', {}, { csrf: null }))).toMatchObject({ status: 403, code: 'CSRF_REJECTED' });
      expect(await code(client.post('/api/sign-in/start', {}, { origin: 'https://evil.example' }))).toMatchObject({ status: 403, code: 'CSRF_REJECTED' });
      expect(await code(client.post('/api/sign-in/start', {}, { origin: null }))).toMatchObject({ status: 403, code: 'CSRF_REJECTED' });
      const other = await newBrowser(app);
      expect((await code(client.post('/api/sign-in/start', {}, { csrf: other.client.csrfToken! }))).code).toBe('CSRF_REJECTED');
      expect((await client.post('/api/sign-in/start')).status).toBe(200);
    });

    it('sets the session cookie HttpOnly, Secure and SameSite=Strict', async () => {
      const response = await fetch(`${app.baseUrl}/api/session`);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('townhall_session='))!;
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/Secure/i);
      expect(cookie).toMatch(/SameSite=Strict/i);
      expect(SessionResponse.parse(await response.json()).principal.kind).toBe('anonymous');
    });
  });
});

describe('activation-code guessing', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startIdentityApp('pglite');
  });
  afterAll(async () => {
    await app?.destroy();
  });

  it('locks a card after 5 wrong attributes, even for the right one, and then answers as for an unknown code', async () => {
    const activationCode = await issueCard(app, 'CAS-0003');
    const { client } = await newBrowser(app);
    for (let i = 0; i < 5; i++) {
      expect((await code(client.post('/api/enrolment/start', { activationCode, dateOfBirth: `1990-01-0${i + 1}` }))).code).toBe('ACTIVATION_CODE_INVALID');
    }
    // The right date of birth is refused: the card is locked. The answer is exactly an unknown code's
    // (it was 423 ACCOUNT_LOCKED, which told a guesser the code is real: issue #15).
    const locked = await code(client.post('/api/enrolment/start', { activationCode, dateOfBirth: '1992-07-23' }));
    const unknown = await code(client.post('/api/enrolment/start', { activationCode: 'AAAA-BBBB-CCCC-0999', dateOfBirth: '1992-07-23' }));
    expect(locked).toMatchObject({ status: 400, code: 'ACTIVATION_CODE_INVALID' });
    expect(locked).toEqual(unknown);
    const elector = await app.database.prisma.elector.findFirstOrThrow({ where: { electorNumber: 'CAS-0003' } });
    const lock = await app.database.prisma.authThrottle.findUniqueOrThrow({ where: { key: `elector:${elector.id}` } });
    expect(lock.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // Both count against the client address like any wrong code: 5 + 2 failures so far.
    expect((await app.database.prisma.authThrottle.findUniqueOrThrow({ where: { key: 'ip:127.0.0.1' } })).failures).toBe(7);
  });

  it('locks a client out after 20 wrong codes', async () => {
    const { client } = await newBrowser(app);
    const statuses: string[] = [];
    // 7 failures from the previous test count too: the limit is per client address.
    for (let i = 0; i < 14; i++) {
      statuses.push((await code(client.post('/api/enrolment/start', { activationCode: `AAAA-BBBB-CCCC-${String(1000 + i)}`, postcode: 'DB1 1AA' }))).code);
    }
    expect(statuses.slice(0, 13).every((c) => c === 'ACTIVATION_CODE_INVALID')).toBe(true);
    expect(statuses[13]).toBe('ACCOUNT_LOCKED');
    // Locked means locked: a real card is refused from this address too.
    const real = await issueCard(app, 'CAS-0004');
    expect((await code(client.post('/api/enrolment/start', { activationCode: real, postcode: 'DB1 1AB' }))).code).toBe('ACCOUNT_LOCKED');
  });
});
