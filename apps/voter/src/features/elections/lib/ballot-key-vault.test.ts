// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { generateBallotKeyPair, toHex } from '@townhall/crypto';
import { BallotKeyVaultRecord, WRAPPED_BALLOT_KEY_BYTES } from '@townhall/protocol';
import { BallotKeyVaultError, newVaultSalt, openBallotKey, sealBallotKey, type VaultContext } from './ballot-key-vault.ts';
import type { StoredVotingKey } from './voting-key.ts';

// docs/protocol/key-ceremony-and-credentials.md §6: sealing and opening a ballot-key vault record, and
// the named ways a record must fail to open (another election, altered bytes, another passkey output).

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

function votingKey(signatureBytes = 384): StoredVotingKey {
  const keys = generateBallotKeyPair();
  const messagePrefix = toHex(random(32));
  return { secretKey: toHex(keys.secretKey), publicKey: toHex(keys.publicKey), messagePrefix, signature: toHex(random(signatureBytes)) };
}

const context = (): VaultContext => ({
  electionId: '6f1c2b9e-3d4a-4c5b-8e7f-0a1b2c3d4e5f',
  fingerprint: random(32),
  credentialId: random(32),
  salt: newVaultSalt(),
  prfOutput: random(32),
});

/** The record with one hex digit of `wrappedKey` changed at byte `index` (negative: from the end). */
function flipByte(record: BallotKeyVaultRecord, index: number): BallotKeyVaultRecord {
  const bytes = record.wrappedKey.match(/../g)!;
  const at = index < 0 ? bytes.length + index : index;
  bytes[at] = (parseInt(bytes[at]!, 16) ^ 0x01).toString(16).padStart(2, '0');
  return { ...record, wrappedKey: bytes.join('') };
}

async function expectTampered(promise: Promise<unknown>) {
  await expect(promise).rejects.toBeInstanceOf(BallotKeyVaultError);
  await expect(promise).rejects.toMatchObject({ reason: 'tampered' });
}

describe('ballot-key vault records', () => {
  it('open with the same passkey output in the same election to exactly the key that was sealed', async () => {
    const key = votingKey();
    const ctx = context();
    const record = await sealBallotKey(key, ctx);
    expect(BallotKeyVaultRecord.parse(record)).toEqual(record);
    expect(await openBallotKey(record, ctx)).toEqual(key);
  });

  it('fit the wire limits for the smallest and largest issuer keys, and never repeat their bytes', async () => {
    for (const signatureBytes of [256, 512]) {
      const record = await sealBallotKey(votingKey(signatureBytes), context());
      const bytes = record.wrappedKey.length / 2;
      expect(bytes).toBeGreaterThanOrEqual(WRAPPED_BALLOT_KEY_BYTES.min);
      expect(bytes).toBeLessThanOrEqual(WRAPPED_BALLOT_KEY_BYTES.max);
    }
    const key = votingKey();
    const ctx = context();
    expect((await sealBallotKey(key, ctx)).wrappedKey).not.toBe((await sealBallotKey(key, ctx)).wrappedKey);
  });

  it('wrong election: a record does not open in another election (id or fingerprint)', async () => {
    const ctx = context();
    const record = await sealBallotKey(votingKey(), ctx);
    await expectTampered(openBallotKey(record, { ...ctx, electionId: '6f1c2b9e-3d4a-4c5b-8e7f-0a1b2c3d4e60' }));
    await expectTampered(openBallotKey(record, { ...ctx, fingerprint: random(32) }));
  });

  it('tampered record: changed ciphertext, iv, tag, salt or credential id, or a truncated record, does not open', async () => {
    const ctx = context();
    const record = await sealBallotKey(votingKey(), ctx);
    await expectTampered(openBallotKey(flipByte(record, 0), ctx)); // iv
    await expectTampered(openBallotKey(flipByte(record, 20), ctx)); // ciphertext
    await expectTampered(openBallotKey(flipByte(record, -1), ctx)); // tag
    await expectTampered(openBallotKey({ ...record, wrappedKey: record.wrappedKey.slice(0, -2) }, ctx));
    // The server may hand back another salt or passkey id: the AD (and the PRF output) no longer match.
    await expectTampered(openBallotKey({ ...record, salt: toHex(newVaultSalt()) }, ctx));
    await expectTampered(openBallotKey({ ...record, credentialId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, ctx));
  });

  it('wrong PRF output: another passkey, or the same passkey at another salt, does not open it', async () => {
    const ctx = context();
    const record = await sealBallotKey(votingKey(), ctx);
    await expectTampered(openBallotKey(record, { ...ctx, prfOutput: random(32) }));
    const flipped = new Uint8Array(ctx.prfOutput);
    flipped[31]! ^= 0x80;
    await expectTampered(openBallotKey(record, { ...ctx, prfOutput: flipped }));
  });

  it('swapped between electors: another elector’s record for the same election does not open', async () => {
    const mine = context();
    const theirs = { ...mine, credentialId: random(32), salt: newVaultSalt(), prfOutput: random(32) };
    const theirRecord = await sealBallotKey(votingKey(), theirs);
    await expectTampered(openBallotKey(theirRecord, mine));
  });

  it('refuses a record whose public key is not the secret key’s, even though it decrypts', async () => {
    const ctx = context();
    const record = await sealBallotKey({ ...votingKey(), publicKey: votingKey().publicKey }, ctx);
    await expectTampered(openBallotKey(record, ctx));
  });

  it('says the passkey gave no PRF output rather than that the record was changed', async () => {
    const ctx = context();
    const record = await sealBallotKey(votingKey(), ctx);
    await expect(openBallotKey(record, { ...ctx, prfOutput: new Uint8Array(0) })).rejects.toMatchObject({ reason: 'no-prf' });
  });
});
