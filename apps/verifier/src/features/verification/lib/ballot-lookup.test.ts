import { describe, expect, it } from 'vitest';
import { FIXTURE, fixtureText, receiptFor } from '../../../test-support/record-fixture.ts';
import { checkReceipt, findBallot, parseReceiptText, type BallotReceiptFile } from './ballot-lookup.ts';
import { indexRecordText } from './record-facts.ts';

async function loadFixture() {
  const text = fixtureText();
  return { text, index: indexRecordText(text) };
}

describe('record facts of the 5-voter fixture', () => {
  it('counts electors, credentials, voters, ballots, audits and the counted set as the record holds them', async () => {
    const { index } = await loadFixture();
    expect(index.facts).toMatchObject({
      title: 'Mayor of Demo Borough',
      eligibleElectors: 19,
      credentialsIssued: 5,
      ballotsCast: 6,
      voters: 5,
      spoiledBallots: 1,
      countedBallots: 5,
      isClosed: true,
      isTallied: true,
    });
    expect(index.facts.contests[0]!.options.map((o) => o.id)).toEqual(['ada', 'grace', 'alan', 'barbara', 'edsger']);
  });
});

describe('tracking code lookup', () => {
  it('finds a counted ballot, a superseded one, an audited one, and says when a code is not in the record', async () => {
    const { index } = await loadFixture();
    expect(findBallot(index, FIXTURE.counted.trackingCode)).toEqual({ found: true, trackingCode: FIXTURE.counted.trackingCode, index: 20, counted: 'counted' });
    expect(findBallot(index, FIXTURE.superseded.trackingCode)).toMatchObject({ found: true, index: 21, counted: 'superseded' });
    expect(findBallot(index, FIXTURE.spoiled.trackingCode)).toMatchObject({ found: false, reason: 'spoiled', spoiledAt: 19 });
    expect(findBallot(index, '0'.repeat(64))).toMatchObject({ found: false, reason: 'not-in-record' });
  });

  it('finds a ballot by the short code its voter was shown (the first 12 digits), and asks for more when two codes start alike', async () => {
    const { index } = await loadFixture();
    const short = FIXTURE.counted.trackingCode.slice(0, 12);
    expect(findBallot(index, short)).toEqual({ found: true, trackingCode: FIXTURE.counted.trackingCode, index: 20, counted: 'counted' });
    expect(findBallot(index, FIXTURE.spoiled.trackingCode.slice(0, 12))).toMatchObject({ found: false, reason: 'spoiled', trackingCode: FIXTURE.spoiled.trackingCode });
    expect(findBallot(index, short.replace(/^./, (d) => (d === '0' ? '1' : '0')))).toMatchObject({ found: false, reason: 'not-in-record' });
    // A second ballot whose code starts with the same 12 digits (2^-48 by chance: added to the index here).
    const twin = `${short}${'f'.repeat(52)}`;
    index.ballots.set(twin, { index: 99, ballotPublicKey: 'another key' });
    expect(findBallot(index, short)).toEqual({ found: false, reason: 'ambiguous', trackingCode: short, matches: 2 });
    expect(findBallot(index, FIXTURE.counted.trackingCode.slice(0, 20))).toMatchObject({ found: true, index: 20 });
  });

  it('says "not closed" for a record cut before the close', async () => {
    const { text } = await loadFixture();
    // A prefix of the log up to entry 25 (before ElectionClosed), as a record made while voting is open would be.
    const lines = text.trim().split('\n').filter((line) => {
      const parsed = JSON.parse(line) as { kind: string; index?: string };
      return parsed.kind !== 'entry' || Number(parsed.index) <= 25;
    });
    const index = indexRecordText(lines.join('\n'));
    expect(findBallot(index, FIXTURE.counted.trackingCode)).toMatchObject({ found: true, counted: 'not-closed' });
    expect(index.facts.countedBallots).toBeNull();
  });
});

describe('receipt check against the record (offline)', () => {
  it('verifies a receipt made by the ledger package for a ballot in the record', async () => {
    const { text, index } = await loadFixture();
    const receipt = parseReceiptText(JSON.stringify(await receiptFor(text, FIXTURE.counted.index)))!;
    expect(receipt).not.toBeNull();
    expect(checkReceipt(index, receipt)).toEqual({
      found: true,
      trackingCode: FIXTURE.counted.trackingCode,
      index: 20,
      counted: 'counted',
      receipt: { isValid: true, problems: [], checkpointSize: '21' },
    });
  });

  it('names each problem of a receipt that disagrees with the record', async () => {
    const { text, index } = await loadFixture();
    const good = (await receiptFor(text, FIXTURE.counted.index)) as BallotReceiptFile;
    const flipHash = (proof: string) => proof.replace(/\nindex 20\n(.)/, (_, c: string) => `\nindex 20\n${c === 'A' ? 'B' : 'A'}`);
    const cases: [string, Partial<BallotReceiptFile>, RegExp][] = [
      ['leaf hash of another entry', { leafHash: 'ab'.repeat(32) }, /leaf hash is not the hash of the record’s entry/],
      ['other position', { ledgerIndex: '7' }, /puts the ballot at ledger entry 7/],
      ['proof path tampered', { proof: flipHash(good.proof!) }, /does not lead to its checkpoint’s root/],
      ['no proof', { proof: null }, /no inclusion proof/],
      ['other log key', { ledger: { ...good.ledger!, log: good.ledger!.log.replace(/.$/, 'x') } }, /other ledger keys/],
    ];
    for (const [name, change, problem] of cases) {
      const result = checkReceipt(index, { ...good, ...change });
      expect(result.found && result.receipt?.isValid, name).toBe(false);
      expect(result.found && result.receipt?.problems.join(' '), name).toMatch(problem);
    }
  });

  it('rejects files that are not receipts', () => {
    expect(parseReceiptText('not json')).toBeNull();
    expect(parseReceiptText(JSON.stringify({ format: 'townhall/election-record' }))).toBeNull();
  });
});
