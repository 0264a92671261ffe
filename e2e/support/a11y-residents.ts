/**
 * Residents of the accessibility tests' own. Every demo elector belongs to another spec, so these
 * tests add theirs to the council's roll through the roll import an officer uses (the roll stays
 * committed in the ledger), once per run: the first test to need them imports today's roll plus
 * the accessibility electors, under a Postgres advisory lock so parallel workers import once.
 */
import { expect, type Page } from '@playwright/test';
import pg from 'pg';
import { apiPost } from './identity.ts';
import { testBaseUrl, testDatabaseUrl } from './test-database.ts';

export interface AccessibilityElector {
  number: string;
  givenName: string;
  familyName: string;
  address: string;
  postcode: string;
  dateOfBirth: string;
  district: string;
}

/** In Castle, which the demo election admits. Each test names the one it enrols. */
export const A11Y_ELECTORS = {
  resident: { number: 'A11Y-0001', givenName: 'Ada', familyName: 'Ramp', address: '1 Kerb Lane', postcode: 'DB1 1AC', dateOfBirth: '1990-04-12', district: 'CAS' },
  electionVoter: { number: 'A11Y-0002', givenName: 'Ben', familyName: 'Braille', address: '3 Kerb Lane', postcode: 'DB1 1AC', dateOfBirth: '1975-09-30', district: 'CAS' },
  voter: { number: 'A11Y-0006', givenName: 'Vic', familyName: 'Vote', address: '11 Kerb Lane', postcode: 'DB1 1AC', dateOfBirth: '1983-03-08', district: 'CAS' },
  keyboard: { number: 'A11Y-0003', givenName: 'Kit', familyName: 'Keys', address: '5 Kerb Lane', postcode: 'DB1 1AC', dateOfBirth: '1988-01-21', district: 'CAS' },
  zoom: { number: 'A11Y-0004', givenName: 'Zoe', familyName: 'Lens', address: '7 Kerb Lane', postcode: 'DB1 1AC', dateOfBirth: '1961-06-02', district: 'CAS' },
  reflow: { number: 'A11Y-0005', givenName: 'Rui', familyName: 'Narrow', address: '9 Kerb Lane', postcode: 'DB1 1AC', dateOfBirth: '2000-11-11', district: 'CAS' },
} as const satisfies Record<string, AccessibilityElector>;

const HEADER = 'elector_number,given_name,family_name,address,postcode,date_of_birth,district';
// Any number; the same for every worker of the run.
const LOCK_ID = 0x4131_3179;

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csvRow = (e: AccessibilityElector) =>
  [e.number, e.givenName, e.familyName, e.address, e.postcode, e.dateOfBirth, e.district].map(csvField).join(',');

async function currentRoll(client: pg.Client): Promise<AccessibilityElector[]> {
  const { rows } = await client.query<{ n: string; g: string; f: string; a: string; p: string; d: string; c: string }>(
    `SELECT e.elector_number AS n, e.given_name AS g, e.family_name AS f, e.address_line AS a, e.postcode AS p,
            to_char(e.date_of_birth, 'YYYY-MM-DD') AS d, di.code AS c
       FROM elector e JOIN district di ON di.id = e.district_id ORDER BY e.elector_number`,
  );
  return rows.map((r) => ({ number: r.n, givenName: r.g, familyName: r.f, address: r.a, postcode: r.p, dateOfBirth: r.d, district: r.c }));
}

/** Today's roll as the CSV an officer would upload (read from the test database), plus `extra`. */
export async function rollCsv(extra: readonly AccessibilityElector[] = []): Promise<string> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return toCsv([...(await currentRoll(client)), ...extra]);
  } finally {
    await client.end();
  }
}

const toCsv = (electors: readonly AccessibilityElector[]) => `${HEADER}\n${electors.map(csvRow).join('\n')}\n`;

/** Adds every A11Y elector to the roll unless a worker did already; `staff` is an officer's or admin's page. */
export async function ensureAccessibilityElectors(staff: Page): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    const roll = await currentRoll(client);
    const missing = Object.values(A11Y_ELECTORS).filter((e) => !roll.some((r) => r.number === e.number));
    if (missing.length === 0) return;
    const session = (await (await staff.request.get('/api/session')).json()) as { csrfToken: string };
    const staged = await staff.request.post('/api/roll/imports', {
      data: toCsv([...roll, ...missing]),
      headers: { 'content-type': 'text/csv', 'x-csrf-token': session.csrfToken, origin: testBaseUrl() },
    });
    expect(staged.status(), await staged.text()).toBe(201);
    const preview = (await staged.json()) as { importId: string; counts: { additions: number; removals: number; moves: number; updates: number } };
    // Only additions: nobody else's elector may move, change or leave the roll.
    expect(preview.counts).toMatchObject({ additions: missing.length, removals: 0, moves: 0, updates: 0 });
    const applied = await apiPost(staff, `/roll/imports/${preview.importId}/apply`);
    expect(applied.status(), await applied.text()).toBe(200);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
