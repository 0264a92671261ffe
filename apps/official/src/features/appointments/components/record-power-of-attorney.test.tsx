import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecordPowerOfAttorney } from './record-power-of-attorney.tsx';

const NO_ELECTOR = 'There is no elector with that number on the roll.';
const nextYear = new Date().getUTCFullYear() + 1;

function serve(answer: () => Response) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_url: string, init?: RequestInit) => {
      sent.push(JSON.parse(String(init?.body ?? '{}')));
      return answer();
    }),
  );
  return sent;
}

function renderForm() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <RecordPowerOfAttorney />
    </QueryClientProvider>,
  );
}

function fillIn() {
  fireEvent.change(screen.getByLabelText('Donor’s elector number'), { target: { value: 'RVS-0001' } });
  fireEvent.change(screen.getByLabelText('Attorney’s elector number'), { target: { value: 'RVS-0002' } });
  fireEvent.change(screen.getByLabelText('Reference of the registered document'), { target: { value: 'lpa-7000-1234' } });
  fireEvent.click(screen.getByLabelText(/^Manage my council services/));
  fireEvent.change(screen.getByLabelText('Day'), { target: { value: '31' } });
  fireEvent.change(screen.getByLabelText('Month'), { target: { value: '3' } });
  fireEvent.change(screen.getByLabelText('Year'), { target: { value: String(nextYear) } });
}

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('RecordPowerOfAttorney', () => {
  it('lists what is missing, linking purposes and the end date to their first inputs', () => {
    const sent = serve(() => Response.json({}));
    renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Record the power of attorney' }));
    const links = within(screen.getByRole('alert')).getAllByRole('link');
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      '#donor-elector-number',
      '#attorney-elector-number',
      '#document-reference',
      '#purposes-manage-council-services',
      '#ends-on-day',
    ]);
    expect(sent).toEqual([]);
  });

  it('says an end date is not a real date', () => {
    serve(() => Response.json({}));
    renderForm();
    fillIn();
    fireEvent.change(screen.getByLabelText('Day'), { target: { value: '31' } });
    fireEvent.change(screen.getByLabelText('Month'), { target: { value: '2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record the power of attorney' }));
    expect(within(screen.getByRole('alert')).getByRole('link').textContent).toContain('The end date must be a real date');
  });

  it('records it and says the attorney must accept it', async () => {
    const sent = serve(() =>
      Response.json(
        {
          id: 'a1',
          role: 'recorder',
          otherParty: 'Sam',
          purposes: ['manage-council-services'],
          endsOn: `${nextYear}-03-31`,
          basis: 'lasting-power-of-attorney',
          state: 'waiting-for-acceptance',
          madeAt: '2026-12-01T10:30:00.000Z',
          ledger: { made: '77', accepted: null, ended: null },
          uses: [],
        },
        { status: 201 },
      ),
    );
    renderForm();
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Record the power of attorney' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Power of attorney recorded' })).toBeTruthy();
    expect(screen.getByText(/when the attorney, Sam, accepts it/)).toBeTruthy();
    expect(sent).toEqual([
      {
        donorElectorNumber: 'RVS-0001',
        attorneyElectorNumber: 'RVS-0002',
        documentReference: 'LPA-7000-1234',
        purposes: ['manage-council-services'],
        endsOn: `${nextYear}-03-31`,
      },
    ]);
  });

  it('puts an unknown elector number on the donor field', async () => {
    serve(() =>
      Response.json({ error: { code: 'NOT_FOUND', message: NO_ELECTOR, requestId: 'r' } }, { status: 404 }),
    );
    renderForm();
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Record the power of attorney' }));
    expect((await screen.findByRole('link', { name: NO_ELECTOR })).getAttribute('href')).toBe('#donor-elector-number');
  });
});
