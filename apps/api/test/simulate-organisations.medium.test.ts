import { describe, expect, it } from 'vitest';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.module.ts';
import { nowIso, organisationEntries } from '../src/organisations/organisations-ledger.ts';
import { runOrganisationsSimulation, type OrganisationsOptions } from '../simulate/organisations.ts';
import { adminUrl, dialects } from './support/test-database.ts';

/**
 * The organisations simulator end to end at a tiny scale: organisations of several kinds, their
 * members (people with passkeys and residents with their accounts), removals, suspensions and
 * appointments, through the API; the registry log audited and equal to the run, free of the simulated
 * people's data, and every public page right. Then an entry an operator appends naming a resident is
 * caught by both the entry check and the personal-data check.
 */
describe('the organisations simulator', () => {
  const tiny = (overrides: Partial<OrganisationsOptions>): OrganisationsOptions => ({
    organisations: 6,
    members: 4,
    residents: 6,
    appointments: 8,
    suspendRate: 0.5,
    revokeRate: 0.25,
    endRate: 0.5,
    seed: 17,
    concurrency: 4,
    log: () => undefined,
    ...overrides,
  });

  it.each(dialects)('runs organisations, members and appointments through the API on %s, and the registry log is exactly what it did', async (dialect) => {
    const report = await runOrganisationsSimulation(tiny(dialect === 'postgres' ? { databaseUrl: adminUrl() } : {}));
    expect(report.organisations.registered).toBe(6);
    // 3 of 6 change status: each one's final status is counted once.
    expect(report.organisations.suspended + report.organisations.reinstated + report.organisations.closed).toBe(3);
    expect(report.residents).toBe(6);
    // 6 × 4 memberships; 6 × 3 invited members, a quarter (round(4.5) = 5) removed again.
    expect(report.memberships).toMatchObject({ granted: 24, revoked: 5, current: 19 });
    expect(report.memberships.persons + report.memberships.residents).toBe(24);
    expect(report.memberships.residents).toBeGreaterThan(0);
    expect(report.appointments).toMatchObject({ made: 8, accepted: 8 });
    expect(report.appointments.endedByAppointer + report.appointments.endedByRepresentative).toBe(4);

    // What an observer of the registry log counts, entry by entry.
    const { suspended, reinstated, closed } = report.organisations;
    expect(report.registry.byType).toEqual({
      LogCreated: 1,
      RollCommitted: 1,
      Enrolled: 6,
      OrganisationRegistered: 6,
      OrganisationStatusChanged: suspended + 2 * (reinstated + closed),
      MembershipGranted: 24,
      MembershipRevoked: 5,
      AppointmentMade: 8,
      AppointmentAccepted: 8,
      AppointmentEnded: 4,
    });
    expect(report.registry).toMatchObject({ isVerified: true, entries: 63 + suspended + 2 * (reinstated + closed) });
    expect(report.registry.cosigners).toHaveLength(2);
    expect(report.pagesChecked).toBe(6);
    expect(report.differences).toEqual([]);
    expect(report.personalData).toEqual([]);
    expect(report.isCorrect).toBe(true);
    expect(report.timings.map((t) => t.name)).toContain('appointments made and accepted');
  }, 120_000);

  it('catches an entry naming a resident: not one the run made, and personal data', async () => {
    let named = '';
    const report = await runOrganisationsSimulation(
      tiny({
        organisations: 2,
        members: 2,
        residents: 3,
        appointments: 2,
        databaseUrl: adminUrl(),
        // A sole trader registered under their own name by an operator writing to the log directly.
        async beforeCheck({ server, residents }) {
          const [resident] = residents;
          named = `${resident!.givenName} ${resident!.familyName}`;
          const entry = organisationEntries.registered({
            organisationId: '6f1c2a3b-0000-4000-8000-0000000000ff',
            kind: 'business',
            legalName: `${named} Plumbing`,
            companyNumber: null,
            charityNumber: null,
            at: nowIso(),
          });
          await server.app.get(LedgerService).append(REGISTRY_LOG, async () => ({ entries: [entry], result: undefined }));
        },
      }),
    );
    expect(report.isCorrect).toBe(false);
    // The log still verifies (the entry was appended as any other), but it is not one the run made…
    expect(report.registry.isVerified).toBe(true);
    expect(report.differences).toEqual([
      '3 OrganisationRegistered entries in the log, 2 expected',
      `OrganisationRegistered at ${report.registry.entries - 1} names organisation 6f1c2a3b-0000-4000-8000-0000000000ff, which the simulation did not register`,
    ]);
    // …and it holds the resident's name.
    const [given, family] = named.toLowerCase().split(' ');
    expect(report.personalData).toEqual(expect.arrayContaining([expect.stringContaining(`holds "${given}"`), expect.stringContaining(`holds "${family}"`)]));
  }, 120_000);
});
