import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ElectionRoute } from './election.tsx';
import { VoteRoute } from './vote.tsx';

const ID = '7d3f1c2a-1b2c-4d5e-8f90-a1b2c3d4e5f6';
const council = {
  name: 'Demo Borough Council',
  electorCount: 12,
  districts: [
    { code: 'CAS', name: 'Castle', electorCount: 4 },
    { code: 'NGT', name: 'Northgate', electorCount: 4 },
    { code: 'RVS', name: 'Riverside', electorCount: 4 },
  ],
};

function detail(status: string, closedAt: string | null) {
  return {
    id: ID,
    title: 'Park consultation',
    status,
    opensAt: '2027-01-01T09:00:00.000Z',
    closesAt: '2027-01-06T18:00:00.000Z',
    closedAt,
    eligibleDistricts: ['CAS', 'RVS'],
    description: 'What should the park get first?',
    contests: [
      {
        id: 'park',
        title: 'Which improvement first?',
        options: [
          { id: 'trees', label: 'More trees' },
          { id: 'lights', label: 'Better lighting' },
        ],
        minSelections: 1,
        maxSelections: 1,
      },
    ],
    manifest: null,
    fingerprint: 'a'.repeat(64),
    logName: `election-${ID}`,
    electionKey: 'b'.repeat(64),
    issuerPublicKey: 'cc',
    openedAt: '2027-01-01T09:00:00.000Z',
  };
}

const tally = {
  status: 'published',
  closedAtSize: '40',
  countedBallots: 6,
  aggregate: null,
  partialDecryptions: [
    { trusteeIndex: 1, ledgerIndex: '41' },
    { trusteeIndex: 3, ledgerIndex: '42' },
  ],
  threshold: 2,
  result: [{ contestId: 'park', counts: [{ optionId: 'trees', count: 4 }, { optionId: 'lights', count: 2 }] }],
  aggregation: null,
};

function serveApi(routes: Record<string, unknown>) {
  const fetch = vi.fn(async (url: string) => (url in routes ? new Response(JSON.stringify(routes[url]), { status: 200 }) : new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No.', requestId: 'r' } }), { status: 404 })));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

function renderAt(path: string) {
  render(
    <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/elections/:electionId" element={<ElectionRoute />} />
          <Route path="/elections/:electionId/vote" element={<VoteRoute />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('an election’s page for residents', () => {
  it('shows a published result: the state in words, the counts as a chart and a table, turnout, and where to verify it', async () => {
    serveApi({ [`/api/elections/${ID}`]: detail('published', '2027-01-03T14:30:00.000Z'), [`/api/elections/${ID}/tally`]: tally, '/api/council': council });
    renderAt(`/elections/${ID}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Park consultation' })).toBeTruthy();
    expect(screen.getByTestId('election-state').textContent).toBe('Voting closed early, on 3 January 2027 at 14:30. The result is published.');
    expect(screen.getByTestId('election-state-tag').textContent).toBe('Result published');
    const table = await screen.findByRole('table', { name: 'Which improvement first?: votes for each answer' });
    const rows = within(table).getAllByRole('row').map((row) => within(row).queryAllByRole('cell').map((cell) => cell.textContent));
    expect(rows.slice(1)).toEqual([
      ['4', '66.7%'],
      ['2', '33.3%'],
    ]);
    expect(within(table).getAllByRole('rowheader').map((h) => h.textContent)).toEqual(['More trees', 'Better lighting']);
    // The chart draws the same numbers, each bar as long as its share of the largest.
    const bars = [...screen.getByTestId('bar-chart').querySelectorAll('rect')].map((rect) => rect.getAttribute('width'));
    expect(bars).toEqual(['100', '50']);
    expect(screen.getByTestId('bar-chart').getAttribute('aria-hidden')).toBe('true');
    // 6 ballots counted of the 8 electors in Castle and Riverside.
    const turnout = await screen.findByTestId('turnout');
    await within(turnout).findByText('75.0%');
    expect(turnout.textContent).toContain('Ballots counted6');
    expect(turnout.textContent).toContain('Electors who could vote8');
    expect(screen.getByRole('link', { name: 'Verify this election’s result' }).getAttribute('href')).toBe('/verify/');
    expect(screen.getByTestId('closed-at').textContent).toBe('3 January 2027 at 14:30Closed early: it was due to close on 6 January 2027 at 18:00');
    // No way to vote: it is over.
    expect(screen.queryByRole('button', { name: /vote/i })).toBeNull();
    expect(screen.queryAllByRole('link').some((link) => link.getAttribute('href')?.endsWith('/vote'))).toBe(false);
    expect(screen.getByRole('link', { name: 'Check a ballot you have cast' }).getAttribute('href')).toBe(`/elections/${ID}/check`);
  });

  it('says a closed election is being counted, with no result and no way to vote yet', async () => {
    const fetch = serveApi({ [`/api/elections/${ID}`]: detail('tallied', '2027-01-06T18:00:00.000Z'), '/api/council': council });
    renderAt(`/elections/${ID}`);
    expect((await screen.findByTestId('election-state')).textContent).toBe('Voting closed on 6 January 2027 at 18:00. The votes are being counted.');
    expect(screen.getByTestId('election-state-tag').textContent).toBe('Closed — counting');
    expect(screen.queryByTestId('result')).toBeNull();
    expect(screen.queryAllByRole('link').some((link) => link.getAttribute('href')?.endsWith('/vote'))).toBe(false);
    expect(fetch.mock.calls.some(([url]) => url.endsWith('/tally'))).toBe(false);
  });

  it('offers to vote while the election is open, until its close', async () => {
    serveApi({ [`/api/elections/${ID}`]: detail('open', null), '/api/council': council });
    renderAt(`/elections/${ID}`);
    expect((await screen.findByTestId('election-state')).textContent).toBe('Open for voting until 6 January 2027 at 18:00.');
    expect(screen.getByRole('button', { name: 'Vote in this election' }).getAttribute('href')).toBe(`/elections/${ID}/vote`);
  });

  it('sends a resident who opens the voting page of a published election to its page, without "you can vote again"', async () => {
    serveApi({
      [`/api/elections/${ID}`]: detail('published', '2027-01-06T18:00:00.000Z'),
      [`/api/elections/${ID}/tally`]: tally,
      '/api/council': council,
      '/api/session': { principal: { kind: 'resident', electorId: 'e', givenName: 'Amira', sessionId: 's' } },
      '/api/elections/mine': { elections: [] },
    });
    renderAt(`/elections/${ID}/vote`);
    expect(await screen.findByTestId('election-state')).toBeTruthy();
    expect(screen.queryByText(/vote again/)).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Voting progress' })).toBeNull();
    expect(screen.queryByRole('button', { name: /start/ })).toBeNull();
    expect(await screen.findByTestId('result')).toBeTruthy();
  });
});
