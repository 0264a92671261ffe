import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { normaliseTrackingCode, trackingCodeError, TrackingCodeInput } from './form-fields.tsx';

describe('tracking codes', () => {
  it('accepts codes typed with spaces, dashes and capitals', () => {
    expect(normaliseTrackingCode(' CCE2-197c 5385 ')).toBe('cce2197c5385');
  });

  it('asks for all 64 characters, saying how many were entered', () => {
    expect(trackingCodeError('a'.repeat(64))).toBeNull();
    expect(trackingCodeError('a'.repeat(63))).toBe('Enter the full tracking code: 64 letters (a to f) and numbers; you entered 63 characters');
    expect(trackingCodeError(`${'a'.repeat(63)}g`)).not.toBeNull();
  });

  it('labels the field, describes it by its hint and, when there is one, its error', () => {
    const onChange = vi.fn();
    const { rerender } = render(<TrackingCodeInput id="code" hint="The full code" error={undefined} value="" onChange={onChange} />);
    const input = screen.getByLabelText('Tracking code');
    expect(input.getAttribute('aria-describedby')).toBe('code-hint');
    expect(input.className).toContain('th-code');
    rerender(<TrackingCodeInput id="code" hint="The full code" error="Enter the full tracking code" value="abc" onChange={onChange} />);
    expect(screen.getByLabelText('Tracking code').getAttribute('aria-describedby')).toBe('code-hint code-error');
    expect(screen.getByText('Enter the full tracking code')).toBeTruthy();
    expect(screen.getByLabelText('Tracking code').className).toContain('govuk-input--error');
  });
});
