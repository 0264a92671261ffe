/**
 * Test helpers for the elections medium tests and the benchmarks: a demo election's draft, and the
 * key ceremony with trustees made by the test. The clients' flows themselves (trustees, voters, the
 * tally) are @townhall/client-flows.
 */
import { SessionResponse, toHexString, type ElectionDraft } from '@townhall/protocol';
import { runKeyCeremony as runCeremony, type ApiClient, type SoftwareTrustee } from '@townhall/client-flows';

export const hex = toHexString;

export function demoDraft(overrides: Partial<ElectionDraft> = {}): ElectionDraft {
  const now = Date.now();
  return {
    title: 'Mayor of Demo Borough',
    description: 'Choose one candidate.',
    contests: [
      {
        id: 'mayor',
        title: 'Mayor',
        options: ['ada', 'grace', 'alan', 'barbara', 'edsger'].map((id) => ({ id, label: id[0]!.toUpperCase() + id.slice(1) })),
        minSelections: 1,
        maxSelections: 1,
      },
    ],
    eligibleDistricts: ['CAS', 'NGT', 'RVS'],
    schedule: { opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 3600_000).toISOString() },
    ...overrides,
  };
}

/**
 * The key ceremony through the API with `trustees` software trustees, any `threshold` of whom can
 * decrypt: each is made by `newTrustee(i)` (a signed-in staff client with the trustee role for the
 * election); then the ceremony of @townhall/client-flows runs with them.
 */
export async function runKeyCeremony(
  officer: ApiClient,
  electionId: string,
  options: { trustees: number; threshold: number; newTrustee: (i: number) => Promise<ApiClient> },
): Promise<SoftwareTrustee[]> {
  const trustees: { client: ApiClient; staffId: string }[] = [];
  for (let i = 1; i <= options.trustees; i++) {
    const client = await options.newTrustee(i);
    const session = SessionResponse.parse(await client.json(client.get('/api/session')));
    if (session.principal.kind !== 'staff') throw new Error(`trustee ${i} is not signed in as staff`);
    trustees.push({ client, staffId: session.principal.staffId });
  }
  return runCeremony(officer, electionId, { threshold: options.threshold, trustees });
}
