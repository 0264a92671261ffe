// Shared test fixtures: a small election with a deterministic key.
import { createSeededRandom, multiplyBase, randomScalar, type BallotManifest } from '../src/index.ts';

export const fixtureRng = createSeededRandom('townhall test fixtures');
export const secretKey = randomScalar(fixtureRng);
export const electionKey = multiplyBase(secretKey);
export const fingerprint = new Uint8Array(32).map((_, i) => i + 1);
export const otherFingerprint = new Uint8Array(32).map((_, i) => 255 - i);

export const manifest: BallotManifest = {
  contests: [
    {
      id: 'mayor',
      title: 'Mayor',
      minSelections: 1,
      maxSelections: 1,
      options: [
        { id: 'ada', label: 'Ada' },
        { id: 'grace', label: 'Grace' },
        { id: 'alan', label: 'Alan' },
      ],
    },
    {
      id: 'parks',
      title: 'Parks budget priorities',
      minSelections: 0,
      maxSelections: 2,
      options: [
        { id: 'trees', label: 'Trees' },
        { id: 'benches', label: 'Benches' },
        { id: 'lighting', label: 'Lighting' },
      ],
    },
  ],
};

export const choices = { mayor: ['grace'], parks: ['trees', 'lighting'] };
