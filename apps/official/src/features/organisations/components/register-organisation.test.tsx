import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RegisterOrganisation } from './register-organisation.tsx';

const registered = {
  id: '11111111-1111-4111-8111-111111111111',
  kind: 'contractor',
  legalName: 'Moat Plumbing Ltd',
  companyNumber: 'SC123456',
  charityNumber: null,
  address: '1 Yard Lane',
  status: 'active',
  currentMembers: 0,
  registeredIndex: '40',
  createdAt: '2026-12-01T10:30:00.000Z',
};
const invitation = {
  invitationId: 'inv-1',
  url: 'http://localhost:3000/organisation-invite/abc',
  expiresAt: '2026-12-04T10:30:00.000Z',
};

function serve(answer: (url: string, body: unknown) => Response) {
  const sent: { url: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body ?? '{}')) as unknown;
      sent.push({ url, body });
      return answer(url, body);
    }),
  );
  return sent;
}

function renderForm() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter>
        <RegisterOrganisation />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

function fillIn() {
  fireEvent.click(screen.getByLabelText('Contractor'));
  fireEvent.change(screen.getByLabelText('Legal name'), { target: { value: 'Moat Plumbing Ltd' } });
  fireEvent.change(screen.getByLabelText('Companies House number (if it has one)'), { target: { value: 'sc 123456' } });
  fireEvent.change(screen.getByLabelText('Address'), { target: { value: '1 Yard Lane' } });
  fireEvent.change(screen.getByLabelText('Their name'), { target: { value: 'Ada Boss' } });
}

/** The text of the hint and error message a field names in its aria-describedby. */
const descriptionOf = (field: HTMLElement) =>
  (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('RegisterOrganisation', () => {
  it('lists every missing answer, each linked to its field, and sends nothing', () => {
    const sent = serve(() => Response.json({}));
    renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Register and create the invitation link' }));
    const summary = screen.getByRole('alert');
    expect(within(summary).getAllByRole('link').map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['Select the kind of organisation', '#kind-business'],
      ['Enter the organisation’s legal name', '#legal-name'],
      ['Enter the organisation’s address', '#address'],
      ['Enter the name of its first administrator', '#administrator-name'],
    ]);
    expect(sent).toEqual([]);
  });

  it('shows the Companies House number format error against the field, as the API words it', () => {
    serve(() => Response.json({}));
    renderForm();
    fillIn();
    fireEvent.change(screen.getByLabelText('Companies House number (if it has one)'), { target: { value: '1234567' } });
    fireEvent.click(screen.getByRole('button', { name: 'Register and create the invitation link' }));
    const field = screen.getByLabelText('Companies House number (if it has one)');
    expect(descriptionOf(field)).toContain('Error: The Companies House number must be 8 characters');
  });

  it('puts the server’s VALIDATION_FAILED issues and a duplicate number on the number field', async () => {
    serve(() =>
      Response.json(
        {
          error: {
            code: 'CONFLICT',
            message: 'An organisation with this Companies House or charity number is registered already.',
            requestId: 'r1',
          },
        },
        { status: 409 },
      ),
    );
    renderForm();
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Register and create the invitation link' }));
    const link = await screen.findByRole('link', { name: /registered already/ });
    expect(link.getAttribute('href')).toBe('#company-number');
  });

  it('registers, then shows the first administrator’s one-time link with a copy button', async () => {
    const sent = serve((url) => Response.json(url.endsWith('/invitations') ? invitation : registered, { status: 201 }));
    renderForm();
    fillIn();
    fireEvent.click(screen.getByRole('button', { name: 'Register and create the invitation link' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Organisation registered' })).toBeTruthy();
    expect((screen.getByLabelText('Invitation link') as HTMLInputElement).value).toBe(invitation.url);
    expect(screen.getByText(/It will not be shown again/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Copy the link' })).toBeTruthy();
    expect(sent.map((s) => [s.url, s.body])).toEqual([
      [
        '/api/official/organisations',
        { kind: 'contractor', legalName: 'Moat Plumbing Ltd', companyNumber: 'SC123456', charityNumber: null, address: '1 Yard Lane' },
      ],
      [`/api/official/organisations/${registered.id}/invitations`, { displayName: 'Ada Boss' }],
    ]);
  });
});
