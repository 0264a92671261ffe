import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KeyFileWorking } from './key-file-working.tsx';

describe('KeyFileWorking', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('announces what is happening once and counts the seconds outside the live region', () => {
    render(<KeyFileWorking>Sealing your key file.</KeyFileWorking>);
    expect(screen.getByRole('status').textContent).toContain('Sealing your key file.');
    act(() => vi.advanceTimersByTime(3000));
    expect(screen.getByText('Working… 3 s').getAttribute('aria-hidden')).toBe('true');
    expect(screen.getByRole('status').textContent).not.toContain('3 s');
  });
});
