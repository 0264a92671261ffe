import { QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { createQueryClient, rememberCsrfToken } from '@townhall/web-ui';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { confirmationError, DeleteService } from './delete-service.tsx';
import { ServiceList } from './service-list.tsx';
import { serviceSummary } from './service-summary-fixture.ts';

const garden = serviceSummary();

/** The API as these pages meet it: the list, and DELETE answered by `deleteAnswer` (the requests are recorded). */
function serveServices(deleteAnswer: () => Response = () => new Response(null, { status: 204 })) {
  const deletes: string[] = [];
  let services = [garden];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'DELETE') {
        deletes.push(url);
        const answer = deleteAnswer();
        if (answer.status === 204) services = [];
        return answer;
      }
      return Response.json({ services });
    }),
  );
  return deletes;
}

/** The delete page of `clientId`, with the services list it returns to. */
function renderDeletePage(clientId = garden.clientId) {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <MemoryRouter initialEntries={[`/services/${clientId}/delete`]}>
        <Routes>
          <Route path="/services/:clientId/delete" element={<DeleteService clientId={clientId} />} />
          <Route path="/services" element={<ServiceList />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

const nameField = () => screen.getByLabelText('To confirm, type the name of the service');
const deleteButton = () => screen.getByRole('button', { name: 'Delete the service' });
const errorSummary = () => within(document.querySelector<HTMLElement>('.govuk-error-summary')!);

beforeEach(() => rememberCsrfToken('token'));
afterEach(() => {
  vi.unstubAllGlobals();
  rememberCsrfToken(null);
});

describe('DeleteService', () => {
  it('says what deleting does, that it cannot be undone, and that suspending pauses a service instead', async () => {
    serveServices();
    renderDeletePage();
    expect(await screen.findByRole('heading', { level: 1, name: 'Delete Garden waste subscription' })).toBeTruthy();
    const page = document.body.textContent!;
    expect(page).toContain('svc_garden');
    expect(page).toContain('every sign-in and token it holds stops working at once');
    expect(page).toContain('the public registry log records that it was deleted');
    expect(page).toContain('its client ID is never used again');
    expect(page).toContain('You cannot undo this.');
    expect(page).toContain('a suspended service can be reinstated');
    expect(screen.getByRole('link', { name: 'suspend it from the list of services' }).getAttribute('href')).toBe('/services');
    expect(deleteButton().className).toContain('govuk-button--warning');
    expect(screen.getByRole('link', { name: 'Cancel' }).getAttribute('href')).toBe('/services');
  });

  it('deletes nothing until the name is typed: the error summary links to the field, which says what is wrong', async () => {
    const deletes = serveServices();
    renderDeletePage();
    await screen.findByRole('heading', { level: 1 });

    fireEvent.click(deleteButton());
    const summaryLink = errorSummary().getByRole('link', { name: 'Enter the name of the service, Garden waste subscription, to delete it' });
    expect(summaryLink.getAttribute('href')).toBe('#confirm-service-name');
    expect(nameField().getAttribute('aria-describedby')).toContain('confirm-service-name-error');
    expect(document.title).toMatch(/^Error: /);

    fireEvent.change(nameField(), { target: { value: 'Garden waste' } });
    fireEvent.click(deleteButton());
    expect(errorSummary().getByRole('link').textContent).toBe('The name you entered does not match. Enter Garden waste subscription exactly as it is shown');
    expect(deletes).toEqual([]);
  });

  it('deletes once the name matches, then shows the services list with a success banner', async () => {
    const deletes = serveServices();
    renderDeletePage();
    await screen.findByRole('heading', { level: 1 });
    fireEvent.change(nameField(), { target: { value: ' Garden waste subscription ' } });
    fireEvent.click(deleteButton());

    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('Garden waste subscription is deleted. It can no longer sign anyone in with Townhall ID.');
    expect(banner.textContent).toContain('recorded in the public registry log');
    expect(deletes).toEqual(['/api/services/svc_garden']);
    expect(screen.getByRole('heading', { level: 1, name: 'Services using Townhall ID' })).toBeTruthy();
    await waitFor(() => expect(screen.getByText(/No services are registered yet/)).toBeTruthy());
  });

  it('shows the server’s refusal in the error summary and stays on the page', async () => {
    const gone = { error: { code: 'SERVICE_DELETED', message: 'This service was deleted. A deleted service cannot be changed or brought back: register a new service instead.', requestId: 'r' } };
    serveServices(() => Response.json(gone, { status: 410 }));
    renderDeletePage();
    await screen.findByRole('heading', { level: 1 });
    fireEvent.change(nameField(), { target: { value: 'Garden waste subscription' } });
    fireEvent.click(deleteButton());
    await waitFor(() => expect(errorSummary().getByText(gone.error.message)).toBeTruthy());
    expect(screen.getByRole('heading', { level: 1, name: 'Delete Garden waste subscription' })).toBeTruthy();
  });

  it('says so when the service is not in the register (deleted already, or never there)', async () => {
    serveServices();
    renderDeletePage('svc_gone');
    expect(await screen.findByRole('heading', { level: 1, name: 'There is no such service' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Delete the service' })).toBeNull();
  });
});

describe('confirmationError', () => {
  it('accepts the exact name, with spaces around it, and nothing else', () => {
    expect(confirmationError('Parking permits', 'Parking permits')).toBeNull();
    expect(confirmationError('  Parking permits\n', 'Parking permits')).toBeNull();
    expect(confirmationError('parking permits', 'Parking permits')).toMatch(/does not match/);
    expect(confirmationError('Parking', 'Parking permits')).toMatch(/does not match/);
    expect(confirmationError('   ', 'Parking permits')).toMatch(/^Enter the name/);
  });
});
