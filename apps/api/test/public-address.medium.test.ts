import { afterAll, describe, expect, it } from 'vitest';
import { AccountResponse } from '@townhall/protocol';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { deploymentHosts } from '../src/ledger/local-witnesses.ts';
import { RollService } from '../src/roll/roll.service.ts';
import { ApiClient, enrolOk, signInOk, SoftwareAuthenticator } from '@townhall/client-flows';
import { startTestApp } from './support/test-app.ts';
import { createTestDatabase, type TestDatabase } from './support/test-database.ts';

// A council that moves its service to another address, or a newcomer who tries another port, must
// not be locked out: before, the second start refused ("A ledger log with that name already exists
// for another origin"). A log keeps the origin it was created with for ever (its checkpoints name
// it); the server starts and serves it at the new address (docs/operations.md).
describe('starting again at another public address', () => {
  let testDatabase: TestDatabase | undefined;
  afterAll(async () => {
    await testDatabase?.drop();
  });

  it('starts, keeps the registry log’s origin, and lets a resident whose passkey’s host name is unchanged sign in', async () => {
    testDatabase = await createTestDatabase('postgres');
    const before = 'http://localhost:3999';
    const after = 'http://localhost:4321';
    const env = (publicUrl: string) => ({ TOWNHALL_PUBLIC_URL: publicUrl, TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000' });

    let app = await startTestApp('postgres', { env: env(before), testDatabase });
    const { card } = await app.app.get(RollService).reissueCard('CAS-0001');
    const laptop = new SoftwareAuthenticator(before);
    const first = new ApiClient(app.baseUrl, before);
    await first.session();
    await enrolOk(first, laptop, { activationCode: card.activationCode, postcode: 'DB1 1AA' });
    await app.stop();

    app = await startTestApp('postgres', { env: env(after), testDatabase });
    try {
      const registry = await app.app.get(LedgerService).getLog(REGISTRY_LOG);
      expect(registry.origin).toBe('localhost:3999/townhall/registry');
      expect(await deploymentHosts(app.database)).toEqual(['localhost:3999']);
      // The relying party is the host name (localhost), so the same passkey works at the new port.
      const sameDevice = new SoftwareAuthenticator(after);
      sameDevice.credentials.push(...laptop.credentials);
      const client = new ApiClient(app.baseUrl, after);
      await client.session();
      expect((await signInOk(client, sameDevice)).principal).toMatchObject({ kind: 'resident' });
      // The registry log still grows and is still provable under its original origin.
      const account = AccountResponse.parse(await client.json(client.get('/api/account')));
      expect(account.attestations.some((a) => a.type === 'Enrolled')).toBe(true);
      await app.app.get(LedgerService).checkpointNow(REGISTRY_LOG);
      const checkpoint = await app.app.get(LedgerService).latestCheckpoint(REGISTRY_LOG, { published: true });
      expect(checkpoint?.note.startsWith('localhost:3999/townhall/registry\n')).toBe(true);
    } finally {
      await app.stop();
    }
  }, 120_000);
});
