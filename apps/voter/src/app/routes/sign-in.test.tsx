import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { createQueryClient } from '@townhall/web-ui';
import { MemoryRouter } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignInRoute } from './sign-in.tsx';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the sign-in page', () => {
  it('has no empty box to type in, even where the browser offers passkey autofill: one button signs in', async () => {
    // A browser with passkey autofill (conditional UI), as Chrome and Safari are.
    vi.stubGlobal('PublicKeyCredential', Object.assign(function PublicKeyCredential() {}, { isConditionalMediationAvailable: async () => true }));
    const fetch = vi.fn(async () => new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No.', requestId: 'r' } }), { status: 404 }));
    vi.stubGlobal('fetch', fetch);
    render(
      <QueryClientProvider client={createQueryClient({ retryDelay: () => 1 })}>
        <MemoryRouter initialEntries={['/sign-in']}>
          <SignInRoute />
        </MemoryRouter>
      </QueryClientProvider>,
    );
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeTruthy();
    // Long enough for an autofill check and request to have begun.
    await new Promise((done) => setTimeout(done, 50));
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.queryByLabelText('Choose a passkey')).toBeNull();
    expect(screen.getByRole('button', { name: 'Sign in with a passkey' })).toBeTruthy();
    expect(screen.getByText(/Your browser asks you to choose the passkey/)).toBeTruthy();
    // Nothing was asked of the browser or the server before the resident pressed the button.
    expect(fetch).not.toHaveBeenCalled();
  });
});
