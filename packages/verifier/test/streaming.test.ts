import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createThreadPool } from '../src/node.ts';
import { inProcessPool, poolOfWorkers, type ProofPool } from '../src/pool.ts';
import { parseRecord, verifyRecord, verifyRecordSource, type ProgressEvent, type VerifierState } from '../src/index.ts';
import { parseCheckpoint, parseNote } from '../src/note.ts';
import { decoded, failing, failuresOf, find, loadLines, reseal, setBody, type Line } from './tamper-support.ts';

// The streaming path (verifyRecordSource): same report as the in-memory path, whatever the pool,
// resumable from a saved state, and strict about what a resumed run may assume.

const text = (lines: Line[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const bytesOf = (value: string) => new TextEncoder().encode(value);
/** A byte stream in small chunks, as a download arrives. */
const stream = (value: string, size = 1000) => Readable.from(Array.from({ length: Math.ceil(value.length / size) }, (_, i) => bytesOf(value.slice(i * size, (i + 1) * size))));

/** The record as the server would have served it when the log had `size` entries (record.md §1). */
function prefixRecord(size: number): Line[] {
  const lines = loadLines();
  const kept = lines.filter((l) => {
    if (l.kind === 'entry') return Number(l.index) < size;
    if (l.kind === 'checkpoint') return parseCheckpoint(parseNote(l.note).text).size <= BigInt(size);
    return true;
  });
  const end = kept.find((l) => l.kind === 'end')!;
  end.entries = String(size);
  end.checkpoints = kept.filter((l) => l.kind === 'checkpoint').length;
  const header = kept.find((l) => l.kind === 'record')!;
  if (header.entries !== undefined) header.entries = String(size);
  return kept;
}

/** The state a run leaves, through JSON as a file would keep it. */
const saved = (state: VerifierState): VerifierState => JSON.parse(JSON.stringify(state));

describe('verifyRecordSource (record.md §4, streamed)', { timeout: 60_000 }, () => {
  const pool = createThreadPool(2);
  afterAll(() => pool.close());

  it('gives the report of verifyRecord(parseRecord(…)) byte for byte, with or without worker threads', async () => {
    const record = text(loadLines());
    const inMemory = JSON.stringify(await verifyRecord(await parseRecord(record)));
    const events: ProgressEvent[] = [];
    const streamed = await verifyRecordSource(stream(record), { onProgress: (e) => events.push(e) });
    const threaded = await verifyRecordSource(Readable.toWeb(stream(record)) as ReadableStream<Uint8Array>, { pool });
    expect(JSON.parse(inMemory).isValid).toBe(true);
    expect(JSON.stringify(streamed.report)).toBe(inMemory);
    expect(JSON.stringify(threaded.report)).toBe(inMemory);
    expect(events.some((e) => e.check === 'ballots.proofs' && e.done === 6)).toBe(true);
  });

  it('names the ballot whose proof fails inside a worker, and the report does not depend on the pool', async () => {
    const lines = loadLines();
    // The lowest byte of branch 0's response z (bytes 96–127 of the proof): the Fiat–Shamir check
    // still passes, only the group equations (the batched MSM, then one by one) catch it.
    setBody(lines[find(lines, 'BallotCast', 0)]!, (b) => (b.ballot.contests[0].selections[0].proof = b.ballot.contests[0].selections[0].proof.replace(/^(.{193})(.)/, (_: string, head: string, c: string) => head + (c === '0' ? '1' : '0'))));
    setBody(lines[find(lines, 'BallotCast', 4)]!, (b) => (b.signature = 'ab'.repeat(64)));
    const record = text(reseal(lines));
    const alone = await verifyRecordSource(stream(record));
    const threaded = await verifyRecordSource(stream(record), { pool });
    expect(failing(threaded.report)).toEqual(expect.arrayContaining(['ballots.proofs', 'ballots.signatures']));
    expect(failuresOf(threaded.report, 'ballots.proofs')[0]).toMatchObject({ message: expect.stringMatching(/^ballot at entry 20: equation \d+ does not hold/), evidence: { index: 20 } });
    // Ballot 20's bytes changed (tracking code and signature no longer match); ballot 24's signature is forged.
    expect(failuresOf(threaded.report, 'ballots.signatures').map((f) => [f.evidence?.index, f.message.replace(/^entry \d+: /, '')])).toEqual([
      [20, 'the ballot-key signature does not verify'],
      [20, "the tracking code is not the ballot's digest"],
      [24, 'the ballot-key signature does not verify'],
    ]);
    expect(JSON.stringify(threaded.report)).toBe(JSON.stringify(alone.report));
  });

  it('reports the entries read out of those the record line announces, and accepts a record that announces none', async () => {
    const lines = loadLines();
    const count = lines.filter((l) => l.kind === 'entry').length;
    // Progress is reported every 1,000 entries: a long run of entries as in a large record.
    const many = [...lines.slice(0, 2), ...Array.from({ length: 1000 }, (_, i) => ({ kind: 'entry', index: String(i), bytes: lines.find((l) => l.kind === 'entry')!.bytes })), { kind: 'end', entries: '1000', checkpoints: 0, registryEntries: 0 }];
    many[0] = { ...many[0]!, entries: '1000' };
    const events: ProgressEvent[] = [];
    await verifyRecordSource(text(many), { onProgress: (e) => events.push(e) });
    expect(events.find((e) => e.check === 'ledger.entries')).toMatchObject({ done: 1000, total: 1000 });
    // A record made before the record line announced its entries is still a valid record.
    expect(lines[0]!.entries).toBe(String(count));
    expect((await verifyRecordSource(text(lines))).report.isValid).toBe(true);
    delete lines[0]!.entries;
    expect((await verifyRecordSource(text(lines))).report.isValid).toBe(true);
  });

  it('reports a download cut off in the middle of a line under record.format', async () => {
    const record = text(loadLines());
    const cut = record.slice(0, record.indexOf('"kind":"checkpoint"') + 200);
    const { report } = await verifyRecordSource(stream(cut));
    expect(report.isValid).toBe(false);
    const messages = failuresOf(report, 'record.format').map((f) => f.message);
    expect(messages).toContain('the end line is missing: the record is truncated');
    expect(messages.some((m) => /cut short/.test(m))).toBe(true);
  });

  it('stops, rather than report on fewer ballots, when a worker dies', async () => {
    const dying = poolOfWorkers(1, () => {
      let fail: (error: Error) => void = () => {};
      return { post: () => setTimeout(() => fail(new Error('worker exited with code 1'))), onMessage: () => {}, onError: (listener) => (fail = listener), terminate: async () => {} };
    });
    await expect(verifyRecordSource(text(loadLines()), { pool: dying })).rejects.toThrow('worker exited with code 1');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    await expect(verifyRecordSource(stream(text(loadLines())), { signal: controller.signal })).rejects.toThrow('stopped by the user');
  });
});

describe('resuming from a saved state', { timeout: 60_000 }, () => {
  it('checks only the new entries and gives the report of a full run, byte for byte (over two resumptions)', async () => {
    const full = await verifyRecordSource(text(loadLines()));
    const first = await verifyRecordSource(text(prefixRecord(16)));
    expect(first.report.isValid).toBe(true);
    expect(first.state.ledger.entries).toBe(16);
    const second = await verifyRecordSource(text(prefixRecord(22)), { resume: saved(first.state) });
    expect(second.report.isValid).toBe(true);
    expect(JSON.stringify(second.report)).toBe(JSON.stringify((await verifyRecordSource(text(prefixRecord(22)))).report));
    const events: ProgressEvent[] = [];
    const third = await verifyRecordSource(text(loadLines()), { resume: saved(second.state), onProgress: (e) => events.push(e) });
    expect(JSON.stringify(third.report)).toBe(JSON.stringify(full.report));
    expect(JSON.stringify(third.state)).toBe(JSON.stringify(full.state));
    // Ballots 20 and 21 were checked before: only the four after them went through the proofs again.
    expect(events.filter((e) => e.check === 'ballots.proofs').at(-1)!.done).toBe(4);
  });

  /** A pool on this thread that counts the passkey assertions it is asked to verify. */
  function countingPool(): ProofPool & { assertions: number } {
    const inner = inProcessPool();
    const pool = { ...inner, assertions: 0, verifyAssertions: (job: Parameters<ProofPool['verifyAssertions']>[0]) => ((pool.assertions += job.items.length), inner.verifyAssertions(job)) };
    return pool;
  }
  const credentialsIn = (lines: Line[], size: number) => lines.filter((l) => l.kind === 'entry' && Number(l.index) < size && decoded(l).type === 'CredentialIssued').length;

  it('verifies each passkey assertion once over resumed runs, unless the enrolled key it verified with changed', async () => {
    const all = credentialsIn(loadLines(), Infinity);
    const before = credentialsIn(loadLines(), 16);
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(all);
    const fresh = countingPool();
    const full = await verifyRecordSource(text(loadLines()), { pool: fresh });
    expect(fresh.assertions).toBe(all);
    expect(full.state.election!.credentials.every((c) => typeof c.verifiedWith === 'string')).toBe(true);

    const first = countingPool();
    const prefix = await verifyRecordSource(text(prefixRecord(16)), { pool: first });
    expect(first.assertions).toBe(before);
    const resumedPool = countingPool();
    const resumed = await verifyRecordSource(text(loadLines()), { pool: resumedPool, resume: saved(prefix.state) });
    expect(resumedPool.assertions).toBe(all - before);
    expect(JSON.stringify(resumed.report)).toBe(JSON.stringify(full.report));

    // A saved mark for another key (as if the registry now showed another passkey): verified again.
    const state = saved(full.state);
    state.election!.credentials[1]!.verifiedWith = '00'.repeat(16);
    const again = countingPool();
    const rerun = await verifyRecordSource(text(loadLines()), { pool: again, resume: state });
    expect(again.assertions).toBe(1);
    expect(rerun.report.isValid).toBe(true);
    expect(rerun.state.election!.credentials[1]!.verifiedWith).toBe(full.state.election!.credentials[1]!.verifiedWith);
  });

  it('verifies and reports a failed passkey assertion again on every resumed run', async () => {
    const lines = loadLines();
    setBody(lines[find(lines, 'CredentialIssued', 2)]!, (b) => (b.assertion.signature = b.assertion.signature.slice(0, -4) + (b.assertion.signature.endsWith('AAAA') ? 'BBBB' : 'AAAA')));
    const record = text(reseal(lines));
    const first = await verifyRecordSource(record);
    const failure = failuresOf(first.report, 'credentials.issuance');
    expect(failure).toHaveLength(1);
    expect(first.state.election!.credentials.filter((c) => c.verifiedWith === undefined).map((c) => c.index)).toEqual([failure[0]!.evidence!.index]);
    const pool = countingPool();
    const resumed = await verifyRecordSource(record, { pool, resume: saved(first.state) });
    expect(pool.assertions).toBe(1);
    expect(failuresOf(resumed.report, 'credentials.issuance')).toEqual(failure);
  });

  it('catches a history rewritten before the saved point (valid chain, re-signed checkpoints): ledger.consistency', async () => {
    const { state } = await verifyRecordSource(text(prefixRecord(22)));
    const lines = loadLines();
    setBody(lines[find(lines, 'ElectionOpened')]!, (b) => (b.at = '2020-01-01T00:00:00.000Z'));
    const resumed = await verifyRecordSource(text(reseal(lines)), { resume: saved(state) });
    expect(resumed.report.isValid).toBe(false);
    expect(failing(resumed.report)).toContain('ledger.consistency');
    expect(failuresOf(resumed.report, 'ledger.consistency')[0]).toMatchObject({ message: expect.stringMatching(/^RESUME_PREFIX_MISMATCH/), evidence: { size: '22', expected: state.ledger.root } });
    // The state does not move on over a rewritten history: the next run still compares with the honest root.
    expect(resumed.state).toEqual(saved(state));
  });

  it('catches a record shorter than the one checked before', async () => {
    const { state } = await verifyRecordSource(text(loadLines()));
    const { report } = await verifyRecordSource(text(prefixRecord(22)), { resume: saved(state) });
    expect(failuresOf(report, 'ledger.consistency').map((f) => f.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^RESUME_PREFIX_MISMATCH: the record has 22 entries, fewer than the 31/)]));
  });

  it('refuses a state saved for another election', async () => {
    const { state } = await verifyRecordSource(text(prefixRecord(22)));
    const lines = loadLines();
    lines[0]!.electionId = '00000000-0000-4000-8000-000000000000';
    await expect(verifyRecordSource(text(lines), { resume: saved(state) })).rejects.toThrow(/saved state is for election/);
  });
});
