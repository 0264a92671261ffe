import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CheckBallotRoute } from './check-ballot.tsx';

const ID = '7d3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const CODE = `bdd48321d517${'0'.repeat(52)}`;
const TWIN = `bdd48321d517${'1'.repeat(52)}`;
const election = {
  id: ID,
  title: 'Park consultation',
  status: 'open',
  opensAt: '2027-01-01T09:00:00.000Z',
  closesAt: '2027-01-06T18:00:00.000Z',
  closedAt: null,
  eligibleDistricts: ['CAS'],
  description: '',
  contests: [],
  manifest: null,
  fingerprint: 'a'.repeat(64),
  logName: null,
  electionKey: null,
  issuerPublicKey: null,
  openedAt: null,
};

function serveApi(matches: string[]) {
  const routes: Record<string, unknown> = {
    [`/api/elections/${ID}`]: election,
    [`/api/elections/${ID}/ballots?startsWith=bdd48321d517`]: { trackingCodes: matches },
    [`/api/elections/${ID}/ballots/${CODE}`]: { trackingCode: CODE, ledgerIndex: '12', castAt: '2027-01-02T10:00:00.000Z', receipt: null, counted: null },
  };
  const fetch = vi.fn(async (url: string) =>
    url in routes ? new Response(JSON.stringify(routes[url]), { status: 200 }) : new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No.', requestId: 'r' } }), { status: 404 }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function checkCode(typed: string) {
  render(
    <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
      <MemoryRouter initialEntries={[`/elections/${ID}/check`]}>
        <Routes>
          <Route path="/elections/:electionId/check" element={<CheckBallotRoute />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
  fireEvent.change(await screen.findByLabelText('Tracking code'), { target: { value: typed } });
  fireEvent.click(screen.getByRole('button', { name: 'Check' }));
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('check my ballot with the short tracking code from the "Ballot cast" panel', () => {
  it('finds the one ballot whose code starts with it and checks it', async () => {
    const fetch = serveApi([CODE]);
    await checkCode('BDD4-8321-D517');
    expect(await screen.findByRole('heading', { name: 'Your ballot is in the ledger' })).toBeTruthy();
    expect(screen.getByText(CODE)).toBeTruthy();
    expect(fetch).toHaveBeenCalledWith(`/api/elections/${ID}/ballots?startsWith=bdd48321d517`, expect.anything());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for more characters when two ballots share the short code', async () => {
    serveApi([CODE, TWIN]);
    await checkCode('bdd4 8321 d517');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('More than one ballot has a tracking code starting BDD4-8321-D517. Enter more of your tracking code');
    expect(screen.queryByRole('heading', { name: 'Your ballot is in the ledger' })).toBeNull();
  });

  it('says when no ballot has a code starting so, and still refuses a code too short to look up', async () => {
    serveApi([]);
    await checkCode('BDD4-8321-D517');
    expect((await screen.findByRole('alert')).textContent).toContain('There is no ballot with a tracking code starting BDD4-8321-D517 in this election');
    fireEvent.change(screen.getByLabelText(/Tracking code/), { target: { value: 'BDD4-8321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check' }));
    expect(await screen.findByText(/Enter all 12 characters of the tracking code you were shown/, { selector: 'a' })).toBeTruthy();
  });
});
