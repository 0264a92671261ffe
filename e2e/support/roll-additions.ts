/**
 * Residents a spec adds to the council's roll for itself, when every demo elector belongs to another
 * spec: today's roll plus the spec's electors, uploaded through the roll import an officer uses
 * (additions only). Imports replace the whole roll, so every helper that adds electors holds the
 * same Postgres advisory lock as support/a11y-residents.ts while it reads the roll and imports.
 */
import { expect, type Page } from '@playwright/test';
import pg from 'pg';
import { apiPost } from './identity.ts';
import { testBaseUrl, testDatabaseUrl } from './test-database.ts';

export interface AddedElector {
  number: string;
  givenName: string;
  familyName: string;
  address: string;
  postcode: string;
  dateOfBirth: string;
  district: string;
}

// The same number as support/a11y-residents.ts: one lock for every roll import the tests make.
const ROLL_IMPORT_LOCK_ID = 0x4131_3179;
const HEADER = 'elector_number,given_name,family_name,address,postcode,date_of_birth,district';

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csvRow = (e: AddedElector) => [e.number, e.givenName, e.familyName, e.address, e.postcode, e.dateOfBirth, e.district].map(csvField).join(',');

async function currentRoll(client: pg.Client): Promise<AddedElector[]> {
  const { rows } = await client.query<{ n: string; g: string; f: string; a: string; p: string; d: string; c: string }>(
    `SELECT e.elector_number AS n, e.given_name AS g, e.family_name AS f, e.address_line AS a, e.postcode AS p,
            to_char(e.date_of_birth, 'YYYY-MM-DD') AS d, di.code AS c
       FROM elector e JOIN district di ON di.id = e.district_id ORDER BY e.elector_number`,
  );
  return rows.map((r) => ({ number: r.n, givenName: r.g, familyName: r.f, address: r.a, postcode: r.p, dateOfBirth: r.d, district: r.c }));
}

/** Adds `electors` to the roll unless they are on it already; `staff` is an officer's or administrator's page. */
export async function addElectorsToRoll(staff: Page, electors: readonly AddedElector[]): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ROLL_IMPORT_LOCK_ID]);
    const roll = await currentRoll(client);
    const missing = electors.filter((e) => !roll.some((r) => r.number === e.number));
    if (missing.length === 0) return;
    const session = (await (await staff.request.get('/api/session')).json()) as { csrfToken: string };
    const staged = await staff.request.post('/api/roll/imports', {
      data: `${HEADER}\n${[...roll, ...missing].map(csvRow).join('\n')}\n`,
      headers: { 'content-type': 'text/csv', 'x-csrf-token': session.csrfToken, origin: testBaseUrl() },
    });
    expect(staged.status(), await staged.text()).toBe(201);
    const preview = (await staged.json()) as { importId: string; counts: { additions: number; removals: number; moves: number; updates: number } };
    // Only additions: nobody else's elector may move, change or leave the roll.
    expect(preview.counts).toMatchObject({ additions: missing.length, removals: 0, moves: 0, updates: 0 });
    const applied = await apiPost(staff, `/roll/imports/${preview.importId}/apply`);
    expect(applied.status(), await applied.text()).toBe(200);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ROLL_IMPORT_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
