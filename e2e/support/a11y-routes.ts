/**
 * Every page of the three apps and the states in which the accessibility suite checks it, each state
 * assigned to the scenario (one test of tests/accessibility.spec.ts) that reaches it. A test compares
 * the pages with the routers (a11y-router-paths.ts); each scenario fails unless it checked every
 * state assigned to it, so a page or a state cannot drop out of the suite unnoticed.
 */
import type { AppName } from './a11y-router-paths.ts';

export type Scenario = 'visitor' | 'resident' | 'voting' | 'staff' | 'election' | 'verifier' | 'repairs' | 'verifier-contract';

export interface PageEntry {
  /** The router's pattern, relative to the app's base ('' is the index, '*' the not-found page). */
  path: string;
  /** State name → the scenario that checks the page in that state. */
  states: Record<string, Scenario>;
}

export const APP_BASES: Record<AppName, string> = { voter: '/', official: '/official/', verifier: '/verify/' };

export const A11Y_PAGES: Record<AppName, PageEntry[]> = {
  voter: [
    { path: '', states: { 'signed out': 'visitor', 'signed in as a resident': 'resident' } },
    { path: 'enrol', states: { empty: 'resident', 'with an error': 'resident', 'filled from the poll card link': 'resident' } },
    {
      path: 'enrol/check',
      states: { empty: 'resident', 'with an error': 'resident', 'date of birth with an error': 'resident', 'refused by the server': 'resident' },
    },
    { path: 'enrol/passkey', states: { ready: 'resident' } },
    { path: 'enrol/done', states: { 'account set up': 'resident' } },
    { path: 'sign-in', states: { 'signed out': 'visitor', 'with an error': 'visitor' } },
    { path: 'sign-out', states: { 'signed out': 'resident' } },
    { path: 'account', states: { 'signed in as a resident': 'resident' } },
    { path: 'oidc/interaction/:uid', states: { 'expired or from another browser': 'visitor' } },
    { path: 'organisation-invite/:token', states: { 'used or expired': 'visitor' } },
    { path: 'organisations/:organisationId', states: { 'unknown organisation': 'visitor' } },
    // Reached only by a member with an organisation or a resident with appointments: no scenario sets those up yet.
    { path: 'account/organisations/:organisationId', states: {} },
    { path: 'account/appoint', states: {} },
    // Repairs work of an association's and a contractor's staff (tests/repairs.spec.ts).
    { path: 'account/organisations/:organisationId/work', states: { 'association repairs': 'repairs', 'contractor work orders': 'repairs' } },
    {
      path: 'account/organisations/:organisationId/work/:orderId',
      states: { 'triage with errors': 'repairs', 'to accept': 'repairs', 'to check': 'repairs', confirmed: 'repairs' },
    },
    { path: 'account/organisations/:organisationId/payment-runs', states: { 'payments due': 'repairs', 'run made': 'repairs', 'bank file made': 'repairs' } },
    { path: 'account/organisations/:organisationId/webhook', states: { 'no webhook': 'repairs', 'with an error': 'repairs' } },
    { path: 'account/organisations/:organisationId/contracts/:contractId', states: { performance: 'repairs', 'approving with a passkey': 'repairs', 'approved with a passkey': 'repairs' } },
    // A tenant's repairs (tests/repairs.spec.ts). `repairs/report…` before `repairs/:orderId`, which would match it too.
    { path: 'repairs', states: { 'no repairs yet': 'repairs', 'one repair': 'repairs' } },
    { path: 'repairs/report', states: { 'with errors': 'repairs', 'not a tenant': 'repairs' } },
    { path: 'repairs/report/check', states: { 'check answers': 'repairs' } },
    { path: 'repairs/report/done', states: { confirmation: 'repairs' } },
    { path: 'repairs/:orderId', states: { reported: 'repairs', 'not found': 'repairs' } },
    { path: 'elections', states: { 'an open election': 'voting', 'closed and published elections': 'election', 'signed in as staff': 'staff' } },
    { path: 'elections/:electionId', states: { open: 'voting', 'result published': 'election' } },
    {
      path: 'elections/:electionId/vote',
      states: {
        start: 'voting',
        ballot: 'voting',
        'ballot with errors': 'voting',
        'check answers': 'voting',
        'sealed ballot': 'voting',
        'encryption checked': 'voting',
        confirmation: 'voting',
      },
    },
    {
      path: 'elections/:electionId/check',
      states: {
        empty: 'voting',
        'with an error': 'voting',
        'ballot found': 'voting',
        'ballot counted': 'election',
        'signed out': 'visitor',
        'unknown election': 'visitor',
      },
    },
    { path: '*', states: { 'not found': 'visitor' } },
  ],
  official: [
    { path: '', states: { 'signed out': 'visitor', 'signed in as an admin': 'staff', 'signed in as an officer': 'staff', 'signed in as a resident': 'resident' } },
    { path: 'sign-in', states: { 'signed out': 'visitor' } },
    { path: 'sign-out', states: { 'signed out': 'staff' } },
    { path: 'invite/:token', states: { 'used or expired': 'visitor', valid: 'staff', joined: 'staff' } },
    { path: 'roll/import', states: { empty: 'staff', 'with problems in the file': 'staff' } },
    { path: 'roll/imports/:importId', states: { preview: 'staff' } },
    { path: 'roll/electors', states: { 'first page': 'staff' } },
    { path: 'roll/electors/:electorNumber/reissue', states: { 'before re-issuing': 'staff' } },
    { path: 'roll/poll-cards', states: { 'choose a district': 'staff', 'confirm issuing': 'staff' } },
    { path: 'staff', states: { empty: 'staff', 'with errors': 'staff', 'invitation created': 'staff', 'an officer is refused': 'staff' } },
    { path: 'staff/actions', states: { list: 'staff' } },
    { path: 'services', states: { list: 'staff', 'confirm suspending': 'staff', 'service deleted': 'staff' } },
    { path: 'services/new', states: { empty: 'staff', 'with errors': 'staff', 'registered with a secret': 'staff' } },
    { path: 'services/:clientId/delete', states: { 'confirm deleting': 'staff', 'with an error': 'staff' } },
    { path: 'organisations', states: { list: 'staff' } },
    { path: 'organisations/new', states: { empty: 'staff', 'with errors': 'staff' } },
    { path: 'organisations/:organisationId/invite', states: {} },
    { path: 'appointments/power-of-attorney', states: { empty: 'staff', 'with errors': 'staff' } },
    { path: 'elections', states: { list: 'election' } },
    { path: 'elections/new', states: { empty: 'election', 'with errors': 'election' } },
    {
      path: 'elections/:electionId',
      states: {
        draft: 'election',
        'draft with trustees invited': 'election',
        'key ceremony': 'election',
        'ready to open': 'election',
        'confirm opening': 'election',
        open: 'election',
        'confirm closing': 'election',
        closed: 'election',
        decrypting: 'election',
        'result published': 'election',
      },
    },
    { path: 'elections/:electionId/edit', states: { 'change the draft': 'election' } },
    { path: 'trustee', states: { 'signed in as a trustee': 'election' } },
    {
      path: 'trustee/elections/:electionId',
      states: {
        'key ceremony, step 1': 'election',
        'key ceremony, passphrase errors': 'election',
        'after the ceremony': 'election',
        'decrypt with errors': 'election',
        decrypted: 'election',
        'result published': 'election',
      },
    },
    { path: '*', states: { 'not found': 'visitor' } },
  ],
  verifier: [
    { path: '', states: { start: 'verifier', 'with a file error': 'verifier' } },
    // A contract record's result (tests/verifier-app.spec.ts): every payment recorded beside its recomputation.
    {
      path: 'record',
      states: { 'no record loaded': 'verifier', 'verification result': 'verifier', 'contract verified': 'verifier-contract', 'contract not verified': 'verifier-contract' },
    },
    { path: 'record/ballot', states: { 'no record loaded': 'verifier', ready: 'verifier', 'with an error': 'verifier' } },
    { path: '*', states: { 'not found': 'verifier' } },
  ],
};

/** The pattern's regular expression over a path relative to the app's base. */
function patternRegExp(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

/** The app and router pattern a URL's path lands on (the catch-all when nothing else matches). */
export function pageOf(pathname: string): { app: AppName; path: string } {
  const app: AppName = pathname.startsWith(APP_BASES.official) ? 'official' : pathname.startsWith(APP_BASES.verifier) ? 'verifier' : 'voter';
  const relative = pathname.slice(APP_BASES[app].length);
  const entries = A11Y_PAGES[app];
  const match = entries.find((e) => e.path !== '*' && patternRegExp(e.path).test(relative)) ?? entries.find((e) => e.path === '*');
  if (!match) throw new Error(`${pathname} matches no page of the ${app} app`);
  return { app, path: match.path };
}

export const stateKey = (app: AppName, path: string, state: string) => `${app} ${APP_BASES[app]}${path} — ${state}`;

/** Every (page, state) the registry assigns to `scenario`. */
export function statesOf(scenario: Scenario): string[] {
  const keys: string[] = [];
  for (const [app, entries] of Object.entries(A11Y_PAGES) as [AppName, PageEntry[]][]) {
    for (const entry of entries) {
      for (const [state, owner] of Object.entries(entry.states)) if (owner === scenario) keys.push(stateKey(app, entry.path, state));
    }
  }
  return keys.sort();
}
