import { fireEvent, screen, within } from '@testing-library/react';
import type { AppointmentSummary } from '@townhall/protocol';
import { rememberCsrfToken } from '@townhall/web-ui';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithProviders as renderWith, serveFakeApi as serve } from '../../../test-support/fake-api.tsx';
import { AppointSomeone } from './appoint-someone.tsx';
import { AppointmentsSection } from './appointments-section.tsx';

const carer: AppointmentSummary = {
  id: 'a1',
  role: 'appointer',
  otherParty: 'Cara',
  purposes: ['manage-council-services', 'report-repairs'],
  endsOn: '2030-03-31',
  basis: 'resident',
  state: 'active',
  madeAt: '2026-11-01T10:00:00.000Z',
  ledger: { made: '30', accepted: '31', ended: null },
  uses: [{ at: '2026-11-05T10:00:00.000Z', purpose: 'report-repairs', action: 'Reported a leaking roof' }],
};
const mum: AppointmentSummary = {
  ...carer,
  id: 'a2',
  role: 'representative',
  otherParty: 'Mum',
  purposes: ['receive-correspondence'],
  state: 'waiting-for-acceptance',
  ledger: { made: '40', accepted: null, ended: null },
  uses: [],
};
const nextYear = new Date().getUTCFullYear() + 1;

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('AppointmentsSection', () => {
  it('puts each appointment on its side, with purposes, end date, ledger receipts and what was done under it', async () => {
    serve({ 'GET /api/account/appointments': () => Response.json({ appointments: [carer, mum] }) });
    renderWith(<AppointmentsSection />);
    // The card is the section its heading names (role queries over the whole page are slow in jsdom).
    const card = (await screen.findByText(', who can act for you')).closest('section')!;
    expect(card.closest('section[aria-labelledby="act-for-you-heading"]')).not.toBeNull();
    expect(card.textContent).toContain('Report and follow repairs to my home');
    expect(card.textContent).toContain('31 March 2030');
    expect(within(card).getByRole('link', { name: /Receipt for entry 31/ }).getAttribute('href')).toBe('/api/ledger/registry/receipt/31');
    expect(within(card).getByRole('table', { name: 'What Cara did for you' }).textContent).toContain('Reported a leaking roof');
    const mumCard = screen.getByText(', whom you act for').closest('section')!;
    expect(mumCard.closest('section[aria-labelledby="you-act-for-heading"]')).not.toBeNull();
    expect(mumCard.textContent).toContain('Waiting to be accepted');
  });

  it('accepts a pending appointment', async () => {
    const calls = serve({
      'GET /api/account/appointments': () => Response.json({ appointments: [mum] }),
      'POST /api/appointments/a2/accept': () => Response.json({ ...mum, state: 'active', ledger: { ...mum.ledger, accepted: '41' } }),
    });
    renderWith(<AppointmentsSection />);
    fireEvent.click(await screen.findByRole('button', { name: 'Accept the appointment from Mum' }));
    expect(await screen.findByText(/You accepted\. You can now act for Mum/)).toBeTruthy();
    expect(calls.map((c) => c.call)).toContain('POST /api/appointments/a2/accept');
  });

  it('ends an appointment only after asking', async () => {
    const calls = serve({
      'GET /api/account/appointments': () => Response.json({ appointments: [carer] }),
      'POST /api/appointments/a1/end': () => Response.json({ ...carer, state: 'ended', ledger: { ...carer.ledger, ended: '50' } }),
    });
    renderWith(<AppointmentsSection />);
    fireEvent.click(await screen.findByRole('button', { name: 'End the appointment with Cara' }));
    const question = screen.getByRole('group', { name: 'End the appointment with Cara?' });
    expect(question.textContent).toContain('Cara can no longer act for you, from now.');
    expect(calls.some((c) => c.call.endsWith('/end'))).toBe(false);
    fireEvent.click(within(question).getByRole('button', { name: 'Yes, end it' }));
    expect(await screen.findByText('The appointment with Cara has ended.')).toBeTruthy();
  });

  it('makes an appointment code to give to someone', async () => {
    serve({
      'GET /api/account/appointments': () => Response.json({ appointments: [] }),
      'POST /api/account/appointment-code': () => Response.json({ code: 'ABCD-EFGH-JKMN', expiresAt: '2026-12-01T11:00:00.000Z' }),
    });
    renderWith(<AppointmentsSection />);
    expect(await screen.findByText('Nobody can act for you.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Make an appointment code' }));
    expect(await screen.findByText('ABCD-EFGH-JKMN')).toBeTruthy();
  });
});

describe('AppointSomeone', () => {
  function fillIn() {
    fireEvent.change(screen.getByLabelText('Their appointment code'), { target: { value: 'abcd-efgh-jkmn' } });
    fireEvent.click(screen.getByLabelText(/^Report and follow repairs/));
    fireEvent.change(screen.getByLabelText('Day'), { target: { value: '31' } });
    fireEvent.change(screen.getByLabelText('Month'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('Year'), { target: { value: String(nextYear) } });
  }

  it('lists what is missing, each linked to its field', () => {
    const calls = serve({});
    renderWith(<AppointSomeone />);
    fireEvent.click(screen.getByRole('button', { name: 'Appoint them' }));
    expect(within(screen.getByRole('alert')).getAllByRole('link').map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Enter the appointment code your representative gave you', '#representative-code'],
      ['Select at least one thing they may do for you', '#purposes-manage-council-services'],
      ['Enter the end date', '#ends-on-day'],
    ]);
    expect(calls).toEqual([]);
  });

  it('puts a used or expired code’s refusal on the code field', async () => {
    serve({
      'POST /api/appointments': () =>
        Response.json(
          { error: { code: 'APPOINTMENT_CODE_INVALID', message: 'This appointment code is not valid.', requestId: 'r' } },
          { status: 400 },
        ),
    });
    renderWith(<AppointSomeone />);
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Appoint them' }));
    expect(
      (await screen.findByRole('link', { name: 'This appointment code is not valid.' })).getAttribute('href'),
    ).toBe('#representative-code');
  });

  it('appoints and names the representative, to check it is the right person', async () => {
    const calls = serve({ 'POST /api/appointments': () => Response.json({ ...carer, state: 'waiting-for-acceptance' }, { status: 201 }) });
    renderWith(<AppointSomeone />);
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Appoint them' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'You appointed Cara' })).toBeTruthy();
    expect(calls[0]!.body).toEqual({ representativeCode: 'ABCDEFGHJKMN', purposes: ['report-repairs'], endsOn: `${nextYear}-03-31` });
  });
});
