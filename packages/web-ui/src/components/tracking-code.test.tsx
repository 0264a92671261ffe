import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ambiguousTrackingCodeError, isFullTrackingCode, normaliseTrackingCode, trackingCodeError, TrackingCodeInput } from './form-fields.tsx';

describe('tracking codes', () => {
  it('accepts codes typed with spaces, dashes and capitals', () => {
    expect(normaliseTrackingCode(' CCE2-197c 5385 ')).toBe('cce2197c5385');
  });

  it('takes the 12-character code a voter is shown, the full 64 characters, or any length between', () => {
    expect(trackingCodeError(normaliseTrackingCode('BDD4-8321-D517'))).toBeNull();
    expect(trackingCodeError('a'.repeat(64))).toBeNull();
    expect(trackingCodeError('a'.repeat(40))).toBeNull();
    expect(isFullTrackingCode('a'.repeat(64))).toBe(true);
    expect(isFullTrackingCode('a'.repeat(12))).toBe(false);
  });

  it('says what is wrong with a code it cannot take, and how many characters were entered', () => {
    expect(trackingCodeError('')).toBe('Enter your tracking code');
    expect(trackingCodeError('abcd1234')).toBe('Enter all 12 characters of the tracking code you were shown, like BDD4-8321-D517; you entered 8 characters');
    expect(trackingCodeError(`${'a'.repeat(11)}g`)).toBe('A tracking code has only the numbers 0 to 9 and the letters A to F');
    expect(trackingCodeError('a'.repeat(65))).toBe('A tracking code has at most 64 characters; you entered 65 characters');
  });

  it('asks for more characters when the start of a code matches two ballots', () => {
    expect(ambiguousTrackingCodeError('bdd48321d517')).toMatch(/^More than one ballot has a tracking code starting BDD4-8321-D517\. Enter more of your tracking code/);
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
