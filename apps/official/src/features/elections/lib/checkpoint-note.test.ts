import { generateKeyPair, parseSignerKey, signCheckpoint } from '@townhall/ledger';
import { describe, expect, it } from 'vitest';
import { readCheckpointNote } from './checkpoint-note.ts';

describe('readCheckpointNote', () => {
  it('names the log key and every cosigner, in order', () => {
    const origin = 'example.org/townhall/election/1';
    const note = signCheckpoint({ origin, size: 42, rootHash: new Uint8Array(32).fill(1) }, [
      parseSignerKey(generateKeyPair(origin).signerKey),
      parseSignerKey(generateKeyPair('witness-a.example').signerKey),
    ]);
    expect(readCheckpointNote(note)).toEqual({ size: '42', rootHash: '01'.repeat(32), signers: [origin, 'witness-a.example'] });
  });

  it('refuses text that is not a signed checkpoint', () => {
    expect(readCheckpointNote('just text')).toBeNull();
  });
});
