import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromBase64, fromHex, toBase64, toHex } from '../src/bytes.ts';
import { G, Point, TAG_SELECTION, disjunctiveEquations, holds } from '../src/group.ts';
import { fingerprintOf } from '../src/verify-election.ts';
import { makeBallot } from './prover.ts';
import { keyIdOf } from '../src/note.ts';
import type { CheckId } from '../src/report.ts';
import { MAX_SPOILS_PER_BALLOT_KEY } from '@townhall/protocol';
import { decoded, entryLines, failing, failuresOf, find, loadLines, reseal, setBody, verifyLines, withCeremony, type Line } from './tamper-support.ts';

// The tampering suite (issue 7): each named mutation of a real election record is rejected, and
// the report names the check that catches it. "raw" mutations edit the file; "resealed" ones
// also rewrite the chain, roots and log signatures as a dishonest operator holding the log key
// would, so the semantic check must catch them (and the witnesses' cosignatures no longer verify).

const flipHexChar = (text: string, at: number) => text.slice(0, at) + (text[at] === '0' ? '1' : '0') + text.slice(at + 1);

async function expectCaught(lines: Line[], checks: CheckId[]) {
  const report = await verifyLines(lines);
  expect(report.isValid).toBe(false);
  for (const check of checks) expect(failing(report), `expected ${check} to fail`).toContain(check);
  return report;
}

describe('the untouched record', () => {
  it('verifies, including after a no-op reseal (the helper itself changes nothing)', async () => {
    const report = await verifyLines(reseal(loadLines()));
    expect(failing(report)).toEqual([]);
    expect(report.isValid).toBe(true);
  });
});

describe('ballots', () => {
  it('a flipped bit in a ballot (raw): the chain and the checkpoint roots', async () => {
    const lines = loadLines();
    const at = find(lines, 'BallotCast', 2);
    const bytes = fromBase64(lines[at]!.bytes);
    bytes[bytes.length - 200]! ^= 0x01;
    lines[at]!.bytes = toBase64(bytes);
    await expectCaught(lines, ['ledger.chain', 'ledger.checkpoint-roots']);
  });

  it('a flipped bit in a ballot ciphertext (resealed): tracking code and proofs, and the witnesses', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'BallotCast', 2)]!, (b) => (b.ballot.contests[0].selections[1].ciphertext = flipHexChar(b.ballot.contests[0].selections[1].ciphertext, 70)));
    await expectCaught(reseal(lines), ['ballots.signatures', 'ballots.proofs', 'ledger.cosignatures']);
  });

  it('a flipped bit in a selection proof with a recomputed tracking code: the proof and the ballot signature', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'BallotCast', 0)]!, (b) => (b.ballot.contests[0].selections[0].proof = flipHexChar(b.ballot.contests[0].selections[0].proof, 130)));
    const report = await expectCaught(reseal(lines), ['ballots.proofs']);
    expect(failuresOf(report, 'ballots.proofs')[0]!.evidence).toMatchObject({ index: 20 });
  });

  it('a dropped ballot entry (resealed): the aggregate is no longer the sum of the counted set', async () => {
    const lines = loadLines();
    lines.splice(find(lines, 'BallotCast', 3), 1);
    await expectCaught(reseal(lines), ['tally.aggregate']);
  });

  it('a ballot after close (moved past ElectionClosed, resealed)', async () => {
    const lines = loadLines();
    const [ballot] = lines.splice(find(lines, 'BallotCast', 4), 1);
    lines.splice(find(lines, 'ElectionClosed') + 1, 0, ballot!);
    await expectCaught(reseal(lines), ['ballots.timing', 'election.sequence']);
  });

  it('a forged credential (random RSA signature, resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'BallotCast', 1)]!, (b) => (b.credential.signature = 'ab'.repeat(b.credential.signature.length / 2)));
    await expectCaught(reseal(lines), ['ballots.credentials']);
  });

  it('a credential presented under a second ballot key (copied, resealed): credential and ballot signatures fail', async () => {
    const lines = loadLines();
    const donor = decoded(lines[find(lines, 'BallotCast', 0)]!).body as { credential: { signature: string; messagePrefix: string } };
    setBody(lines[find(lines, 'BallotCast', 2)]!, (b) => {
      b.credential.signature = donor.credential.signature;
      b.credential.messagePrefix = donor.credential.messagePrefix;
    });
    await expectCaught(reseal(lines), ['ballots.credentials']);
  });

  it('a duplicated credential issuance (the same CredentialIssued twice, resealed)', async () => {
    const lines = loadLines();
    const at = find(lines, 'CredentialIssued', 1);
    lines.splice(at + 1, 0, structuredClone(lines[at]!));
    const report = await expectCaught(reseal(lines), ['credentials.issuance']);
    expect(failuresOf(report, 'credentials.issuance')[0]!.message).toMatch(/second credential for the same pseudonym/);
  });

  it('a duplicated ballot (the same BallotCast twice, resealed)', async () => {
    const lines = loadLines();
    const at = find(lines, 'BallotCast', 3);
    lines.splice(at + 1, 0, structuredClone(lines[at]!));
    await expectCaught(reseal(lines), ['ballots.uniqueness']);
  });

  it('a ciphertext and proof copied from another voter’s ballot (resealed)', async () => {
    const lines = loadLines();
    const donor = decoded(lines[find(lines, 'BallotCast', 0)]!).body as { ballot: unknown };
    setBody(lines[find(lines, 'BallotCast', 3)]!, (b) => (b.ballot = donor.ballot));
    await expectCaught(reseal(lines), ['ballots.uniqueness', 'ballots.signatures']);
  });

  it('a proof moved to another position (context binding, resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'BallotCast', 1)]!, (b) => {
      const [first, second] = b.ballot.contests[0].selections;
      [first.proof, second.proof] = [second.proof, first.proof];
    });
    await expectCaught(reseal(lines), ['ballots.proofs']);
  });

  it('a ballot whose proofs were made for another election (valid under its fingerprint, resealed)', async () => {
    const lines = loadLines();
    const defined = decoded(lines[find(lines, 'ElectionDefined')]!).body as { manifest: { contests: { id: string; options: { id: string }[] }[] } };
    const keyEntry = decoded(lines[find(lines, 'ElectionKeyPublished')]!).body as { electionKey: string };
    const K = Point.fromBytes(fromHex(keyEntry.electionKey));
    const otherFingerprint = fingerprintOf({ ...defined.manifest, title: 'Another election' });
    const ballot = makeBallot(otherFingerprint, K, defined.manifest.contests[0]!, 0);
    // Sanity: the proofs hold for the other election.
    const selection = ballot.contests[0]!.selections[0]!;
    const bytes = fromHex(selection.ciphertext);
    const equations = disjunctiveEquations(TAG_SELECTION, otherFingerprint, `ballot/mayor/${selection.optionId}`, K, Point.fromBytes(bytes.subarray(0, 32)), Point.fromBytes(bytes.subarray(32)), [0, 1], fromHex(selection.proof));
    expect(equations.every(holds)).toBe(true);
    setBody(lines[find(lines, 'BallotCast', 3)]!, (b) => (b.ballot = ballot));
    const report = await expectCaught(reseal(lines), ['ballots.proofs']);
    expect(failuresOf(report, 'ballots.proofs')[0]!.evidence).toMatchObject({ index: 23 });
  });

  it('a forged passkey assertion on a credential issuance (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'CredentialIssued', 2)]!, (b) => (b.assertion.signature = b.assertion.signature.slice(0, -4) + (b.assertion.signature.endsWith('AAAA') ? 'BBBB' : 'AAAA')));
    const report = await expectCaught(reseal(lines), ['credentials.issuance']);
    expect(failuresOf(report, 'credentials.issuance')[0]!.message).toMatch(/passkey assertion/);
  });

  it('a credential issued to a pseudonym that never enrolled (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'CredentialIssued', 0)]!, (b) => (b.pseudonym = 'ee'.repeat(32)));
    await expectCaught(reseal(lines), ['credentials.issuance']);
  });

  it('a credential in a district that is not eligible (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'CredentialIssued', 0)]!, (b) => (b.district = 'ZZZ'));
    await expectCaught(reseal(lines), ['credentials.issuance']);
  });

  it('a spoiled ballot whose revealed randomness does not open it (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'BallotSpoiled')]!, (b) => {
      const s = b.secrets.contests[0].selections;
      [s[0].value, s[4].value] = [s[4].value, s[0].value];
    });
    const report = await expectCaught(reseal(lines), ['ballots.spoiled']);
    // The values differ only if the two options were chosen differently; the failures name exactly those options.
    const messages = report.checks.find((c) => c.id === 'ballots.spoiled')!.failures.map((f) => f.message);
    expect(messages.length).toBe(2);
    for (const message of messages) expect(message).toMatch(/AUDIT_MISMATCH at [^/]+\/[^:]+: equation 1 does not hold/);
  });
});

describe('tally and result', () => {
  it('a changed count in the result (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'ResultPublished')]!, (b) => (b.result[0].counts[0].count += 1));
    const report = await expectCaught(reseal(lines), ['tally.result']);
    expect(failuresOf(report, 'tally.result')[0]!.evidence).toMatchObject({ optionId: 'ada', published: 3, computed: 2 });
  });

  it('a wrong partial decryption (D + G, resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'PartialDecryption', 0)]!, (b) => (b.shares[0].share = toHex(Point.fromBytes(fromHex(b.shares[0].share)).add(G).toBytes())));
    await expectCaught(reseal(lines), ['tally.partial-decryptions', 'tally.result']);
  });

  it('a changed aggregate (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'TallyComputed')]!, (b) => (b.aggregate[0].beta = toHex(Point.fromBytes(fromHex(b.aggregate[0].beta)).add(G).toBytes())));
    await expectCaught(reseal(lines), ['tally.aggregate']);
  });
});

describe('definition and key ceremony', () => {
  it('a changed manifest (resealed): the fingerprint no longer matches', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'ElectionDefined')]!, (b) => (b.manifest.contests[0].maxSelections = 2));
    await expectCaught(reseal(lines), ['election.definition']);
  });

  it('an entry carrying another fingerprint (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'ElectionOpened')]!, (b) => (b.fingerprint = 'cd'.repeat(32)));
    await expectCaught(reseal(lines), ['election.sequence']);
  });

  it('a substituted election key (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'ElectionKeyPublished')]!, (b) => (b.electionKey = toHex(G.multiply(7n).toBytes())));
    await expectCaught(reseal(lines), ['ceremony.joint-key']);
  });

  it('a trustee commitment with a broken Schnorr proof (resealed)', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'TrusteeCommitted', 1)]!, (b) => (b.commitment = flipHexChar(b.commitment, 8 + 64 + 64 + 2)));
    await expectCaught(reseal(lines), ['ceremony.commitments']);
  });
});

describe('ledger', () => {
  it('reordered entries (raw): the chain breaks at the first moved entry', async () => {
    const lines = loadLines();
    const a = find(lines, 'BallotCast', 0);
    [lines[a], lines[a + 1]] = [lines[a + 1]!, lines[a]!];
    const report = await expectCaught(lines, ['ledger.chain']);
    expect(failuresOf(report, 'ledger.chain')[0]!.message).toMatch(/CHAIN_BROKEN/);
  });

  it('reordered entries (resealed): the superseded ballot now counts instead of the revote', async () => {
    const lines = loadLines();
    const first = find(lines, 'BallotCast', 1);
    const revote = find(lines, 'BallotCast', 5);
    [lines[first], lines[revote]] = [lines[revote]!, lines[first]!];
    await expectCaught(reseal(lines), ['tally.aggregate', 'ledger.cosignatures']);
  });

  it('a file cut short (download interrupted): no end line, no checkpoint', async () => {
    const lines = loadLines();
    await expectCaught(lines.slice(0, find(lines, 'TallyComputed')), ['record.format', 'ledger.consistency']);
  });

  it('truncated entries (the last entries dropped, checkpoints kept)', async () => {
    const lines = loadLines();
    lines.splice(find(lines, 'PartialDecryption', 1), 2);
    await expectCaught(lines, ['record.format', 'ledger.checkpoint-roots']);
  });

  it('history rewritten with a valid chain and log signature but an inconsistent checkpoint: the witnesses', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'ElectionOpened')]!, (b) => (b.at = '2020-01-01T00:00:00.000Z'));
    const report = await expectCaught(reseal(lines), ['ledger.cosignatures']);
    expect(failing(report)).not.toContain('ledger.chain');
    expect(failing(report)).not.toContain('ledger.checkpoint-signatures');
  });

  it('a missing cosignature', async () => {
    const lines = loadLines();
    const last = lines.filter((l) => l.kind === 'checkpoint').at(-1)!;
    last.note = last.note.split('\n').filter((l: string) => !l.startsWith('— record-witness-2 ')).join('\n');
    const report = await expectCaught(lines, ['ledger.cosignatures']);
    expect(failuresOf(report, 'ledger.cosignatures')[0]!.evidence).toMatchObject({ required: 2, verified: 1 });
  });

  it('a wrong cosignature', async () => {
    const lines = loadLines();
    const last = lines.filter((l) => l.kind === 'checkpoint').at(-1)!;
    last.note = last.note.replace(/(— record-witness-1 )(\S+)/, (_: string, prefix: string, sig: string) => {
      const bytes = fromBase64(sig);
      bytes[bytes.length - 1]! ^= 1;
      return prefix + toBase64(bytes);
    });
    await expectCaught(lines, ['ledger.cosignatures']);
  });

  it('a substituted log key (the record names a key the checkpoints are not signed with)', async () => {
    const lines = loadLines();
    const keys = lines.find((l) => l.kind === 'keys')!;
    const origin = keys.electionLog.origin as string;
    const publicKey = ed25519.getPublicKey(new Uint8Array(32).fill(7));
    keys.electionLog.verifierKey = `${origin}+${toHex(keyIdOf(origin, 1, publicKey))}+${toBase64(concatBytes(Uint8Array.of(1), publicKey))}`;
    await expectCaught(lines, ['ledger.checkpoint-signatures']);
  });

  it('a substituted witness key (a witness the operator controls)', async () => {
    const lines = loadLines();
    const keys = lines.find((l) => l.kind === 'keys')!;
    const publicKey = ed25519.getPublicKey(new Uint8Array(32).fill(9));
    keys.witnessPolicy.witnesses[1] = `record-witness-2+${toHex(keyIdOf('record-witness-2', 4, publicKey))}+${toBase64(concatBytes(Uint8Array.of(4), publicKey))}`;
    await expectCaught(lines, ['ledger.cosignatures']);
  });

  it('a registry entry that is not in the registry checkpoint', async () => {
    const lines = loadLines();
    const registryEntry = lines.find((l) => l.kind === 'registry-entry')!;
    const bytes = fromBase64(registryEntry.bytes);
    bytes[bytes.length - 3]! ^= 1;
    registryEntry.bytes = toBase64(bytes);
    await expectCaught(lines, ['registry.inclusion']);
  });

  it('the roll left out of the record (no RollCommitted): eligibility cannot be shown', async () => {
    const lines = loadLines().filter((l) => !(l.kind === 'registry-entry' && decoded(l).type === 'RollCommitted'));
    const report = await expectCaught(lines, ['credentials.limits']);
    expect(failuresOf(report, 'credentials.limits')[0]!.message).toMatch(/no RollCommitted/);
  });

  it('an entry count that disagrees with the end line', async () => {
    const lines = loadLines();
    lines.find((l) => l.kind === 'end')!.entries = '99';
    await expectCaught(lines, ['record.format']);
  });

  it('a record line that announces another number of entries than the record has', async () => {
    const lines = loadLines();
    lines[0]!.entries = String(entryLines(lines).length + 1);
    const report = await expectCaught(lines, ['record.format']);
    expect(failuresOf(report, 'record.format')[0]).toMatchObject({ message: `the record line announces ${entryLines(lines).length + 1} entries, the record has ${entryLines(lines).length}` });
  });

  it('every entry of the fixture is an election-log entry in lifecycle order', () => {
    expect(entryLines(loadLines()).map((l) => decoded(l).type)).toEqual([
      'LogCreated', 'ElectionDefined', 'TrusteeCommitted', 'TrusteeCommitted', 'TrusteeCommitted',
      ...Array(6).fill('TrusteeShareSent'), 'ElectionKeyPublished', 'IssuerKeyPublished', 'ElectionOpened',
      ...Array(5).fill('CredentialIssued'), 'BallotSpoiled', ...Array(6).fill('BallotCast'),
      'ElectionClosed', 'TallyComputed', 'PartialDecryption', 'PartialDecryption', 'ResultPublished',
    ]);
  });
});

describe('spoiled ballots (elections.md §6, issue #15)', () => {
  const spoiledBody = (lines: Line[]) => decoded(lines[find(lines, 'BallotSpoiled')]!).body as { trackingCode: string; ballot: any; credential: any; secrets: any; signature: string };
  const messages = (report: Awaited<ReturnType<typeof verifyLines>>, check: CheckId) => failuresOf(report, check).map((f) => f.message);

  /** A BallotCast of the spoiled ballot, by the spoiling key (its signature is the spoil's: an operator cannot sign for a voter). */
  function castOfSpoiled(lines: Line[]): Line {
    const spoiled = spoiledBody(lines);
    const cast = structuredClone(lines[find(lines, 'BallotCast', 5)]!);
    setBody(cast, (b) => {
      b.trackingCode = spoiled.trackingCode;
      b.ballot = spoiled.ballot;
      b.credential = spoiled.credential;
    });
    return cast;
  }

  it('the untouched record: every spoil is signed by a credentialed ballot key, within the limit, and never cast', async () => {
    const report = await verifyLines(loadLines());
    expect(failing(report)).toEqual([]);
    expect(report.warnings).toEqual([]);
    const spoiled = spoiledBody(loadLines());
    expect(spoiled.credential.ballotPublicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(spoiled.signature).toMatch(/^[0-9a-f]{128}$/);
  });

  it('a spoiled ballot cast afterwards, counted as its key’s last ballot (resealed): ballots.spoiled', async () => {
    const lines = loadLines();
    lines.splice(find(lines, 'ElectionClosed'), 0, castOfSpoiled(lines));
    const report = await expectCaught(reseal(lines), ['ballots.spoiled']);
    expect(messages(report, 'ballots.spoiled')).toContain('entry 26: a cast ballot that was spoiled (opened in public) at entry 19');
  });

  it('a ballot cast and then spoiled (the spoil moved after it, resealed): ballots.spoiled', async () => {
    const lines = loadLines();
    const cast = castOfSpoiled(lines);
    const [spoil] = lines.splice(find(lines, 'BallotSpoiled'), 1);
    lines.splice(find(lines, 'ElectionClosed'), 0, cast, spoil!);
    const report = await expectCaught(reseal(lines), ['ballots.spoiled']);
    expect(messages(report, 'ballots.spoiled')).toContain('entry 26: a spoiled ballot that was cast at entry 25');
  });

  it.each([
    ['spoiled first', false, 'entry 20: a cast ballot with a ciphertext of the ballot spoiled (opened in public) at entry 19'],
    ['cast first (the spoil moved after it)', true, 'entry 20: a spoiled ballot with a ciphertext of a cast ballot'],
  ])('a counted ballot that reuses one ciphertext of a spoiled ballot, %s (resealed): ballots.spoiled', async (_name, castFirst, expected) => {
    const lines = loadLines();
    const ciphertext = spoiledBody(lines).ballot.contests[0].selections[2].ciphertext;
    setBody(lines[find(lines, 'BallotCast', 0)]!, (b) => (b.ballot.contests[0].selections[2].ciphertext = ciphertext));
    if (castFirst) {
      const [spoil] = lines.splice(find(lines, 'BallotSpoiled'), 1);
      lines.splice(find(lines, 'BallotCast', 0) + 1, 0, spoil!);
    }
    const report = await expectCaught(reseal(lines), ['ballots.spoiled']);
    expect(messages(report, 'ballots.spoiled')).toContain(expected);
  });

  it('an anonymous spoil (no credential, no signature: the old format, resealed): election.sequence', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'BallotSpoiled')]!, (b) => {
      delete b.credential;
      delete b.signature;
    });
    const report = await expectCaught(reseal(lines), ['election.sequence']);
    expect(messages(report, 'election.sequence')[0]).toMatch(/entry 19 \(BallotSpoiled\) does not match its schema: credential: .*signature: /);
  });

  it('a spoil with a forged credential (random RSA signature, resealed): ballots.credentials', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'BallotSpoiled')]!, (b) => (b.credential.signature = 'ab'.repeat(b.credential.signature.length / 2)));
    const report = await expectCaught(reseal(lines), ['ballots.credentials']);
    expect(messages(report, 'ballots.credentials')).toContain("entry 19: the spoiled ballot's credential (RSA-PSS) does not verify");
  });

  it('a spoil whose ballot-key signature does not verify (resealed): ballots.signatures', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'BallotSpoiled')]!, (b) => (b.signature = flipHexChar(b.signature, 10)));
    const report = await expectCaught(reseal(lines), ['ballots.signatures']);
    expect(messages(report, 'ballots.signatures')).toContain('entry 19: the ballot-key signature of the spoil does not verify');
  });

  it('a ballot key that presents another voter’s credential when it spoils than when it casts (resealed): ballots.uniqueness and ballots.credentials', async () => {
    const lines = loadLines();
    const donor = decoded(lines[find(lines, 'BallotCast', 1)]!).body as { credential: { signature: string; messagePrefix: string } };
    setBody(lines[find(lines, 'BallotSpoiled')]!, (b) => {
      b.credential.signature = donor.credential.signature;
      b.credential.messagePrefix = donor.credential.messagePrefix;
    });
    const report = await expectCaught(reseal(lines), ['ballots.uniqueness', 'ballots.credentials']);
    expect(messages(report, 'ballots.uniqueness')).toContain('entry 20: a ballot key presents a second credential');
  });

  it(`more spoils by one ballot key than the limit (${MAX_SPOILS_PER_BALLOT_KEY}; the spoil repeated, resealed): ballots.spoiled`, async () => {
    const lines = loadLines();
    const at = find(lines, 'BallotSpoiled');
    lines.splice(at + 1, 0, ...Array.from({ length: MAX_SPOILS_PER_BALLOT_KEY }, () => structuredClone(lines[at]!)));
    const report = await expectCaught(reseal(lines), ['ballots.spoiled']);
    expect(messages(report, 'ballots.spoiled')).toContain(`entry ${19 + MAX_SPOILS_PER_BALLOT_KEY}: the ballot key's spoil number ${MAX_SPOILS_PER_BALLOT_KEY + 1}, beyond the ${MAX_SPOILS_PER_BALLOT_KEY} an election allows`);
    expect(messages(report, 'ballots.spoiled').filter((m) => /beyond the/.test(m))).toHaveLength(1);
  });
});

describe('trustee minimum (k ≥ 2 of n ≥ 3, elections.md §2)', () => {
  it.each([
    [{ threshold: 1, trustees: 3 }, /^the threshold is 1: one trustee alone could decrypt every ballot; an election needs k ≥ 2/],
    [{ threshold: 2, trustees: 2 }, /^2 trustees hold the election key; an election needs at least 3/],
  ])('a manifest below the minimum without minimumWaived (%o, fingerprints recomputed, resealed): election.definition', async (ceremony, expected) => {
    const report = await expectCaught(withCeremony(ceremony), ['election.definition']);
    expect(failuresOf(report, 'election.definition').map((f) => f.message)).toEqual([expect.stringMatching(expected)]);
    expect(report.warnings).toEqual([]);
  });

  it.each([
    [{ threshold: 1, trustees: 3, minimumWaived: true }, /^DEMONSTRATION ONLY: .*The threshold is 1: one trustee alone can decrypt every ballot/],
    [{ threshold: 2, trustees: 2, minimumWaived: true }, /^DEMONSTRATION ONLY: .*Only 2 trustees hold the election key; a real election has at least 3/],
    [{ threshold: 1, trustees: 1, minimumWaived: true }, /one trustee alone can decrypt every ballot.*Only 1 trustee holds the election key/],
  ])('a manifest below the minimum with minimumWaived (%o, resealed): no election.definition failure, a warning with the verdict', async (ceremony, expected) => {
    const report = await verifyLines(withCeremony(ceremony));
    expect(failing(report)).not.toContain('election.definition');
    expect(report.warnings).toEqual([{ code: 'TRUSTEE_MINIMUM_WAIVED', message: expect.stringMatching(expected) }]);
  });

  it('minimumWaived on an election that meets the minimum: nothing to warn about', async () => {
    const report = await verifyLines(withCeremony({ threshold: 2, trustees: 3, minimumWaived: true }));
    expect(failing(report)).not.toContain('election.definition');
    expect(report.warnings).toEqual([]);
  });
});
