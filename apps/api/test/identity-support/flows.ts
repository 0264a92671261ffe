import type { StaffRoleName } from '@townhall/protocol';
import { acceptInvitation, ApiClient, SoftwareAuthenticator } from '@townhall/client-flows';
import { RollService } from '../../src/roll/roll.service.ts';
import { StaffService } from '../../src/staff/staff.service.ts';
import { startTestApp } from '../support/test-app.ts';
import type { Dialect } from '../support/test-database.ts';

/** The relying party of the identity tests: `localhost` (IP addresses are not valid RP IDs). */
export const PUBLIC_URL = 'http://localhost:3999';

export type RunningApp = Awaited<ReturnType<typeof startTestApp>>;

export function startIdentityApp(dialect: Dialect, env: Record<string, string> = {}): Promise<RunningApp> {
  return startTestApp(dialect, { env: { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000', ...env } });
}

export async function newBrowser(app: RunningApp): Promise<{ client: ApiClient; authenticator: SoftwareAuthenticator }> {
  const client = new ApiClient(app.baseUrl, PUBLIC_URL);
  await client.session();
  return { client, authenticator: new SoftwareAuthenticator(PUBLIC_URL) };
}

/** Issues a (new) poll card through the service, as printing one would, and returns its code. */
export async function issueCard(app: RunningApp, electorNumber: string): Promise<string> {
  const { card } = await app.app.get(RollService).reissueCard(electorNumber);
  return card.activationCode;
}

/** A staff member made through the real invitation flow (invitation created by the service). */
export async function staffMember(app: RunningApp, role: StaffRoleName, displayName = `Test ${role}`, electionId = 'election-1') {
  const invitation = await app.app.get(StaffService).invite(role === 'trustee' ? { role, displayName, electionId } : { role, displayName }, null);
  const token = invitation.url.split('/').pop()!;
  const browser = await newBrowser(app);
  await acceptInvitation(browser.client, browser.authenticator, token);
  return { ...browser, token };
}
