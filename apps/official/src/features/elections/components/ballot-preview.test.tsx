import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BallotPreview } from './ballot-preview.tsx';

describe('BallotPreview', () => {
  it('shows radios for one choice and checkboxes for several, with the voter’s hint, disabled', () => {
    render(
      <BallotPreview
        title="Parish poll"
        contests={[
          { id: 'chair', title: 'Chair', options: [{ id: 'a', label: 'Ada' }, { id: 'g', label: 'Grace' }], minSelections: 1, maxSelections: 1 },
          { id: 'council', title: 'Council', options: [{ id: 'x', label: 'X' }, { id: 'y', label: 'Y' }, { id: 'z', label: 'Z' }], minSelections: 0, maxSelections: 2 },
        ]}
      />,
    );
    expect(screen.getByRole('group', { name: 'Chair' }).textContent).toContain('Select one option.');
    expect(screen.getByRole('radio', { name: 'Ada' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('group', { name: 'Council' }).textContent).toContain('Select up to 2 options, or none.');
    expect(screen.getAllByRole('checkbox')).toHaveLength(3);
  });
});
