import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';
import { CONTRACT_FIXTURE, FIXTURE, loadLines, reseal, setBody, withCeremony } from './tamper-support.ts';

describe('townhall-verify', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'townhall-verify-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => vi.restoreAllMocks());

  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    return { out: () => out.join(''), err: () => err.join('') };
  }

  it('prints the report as JSON with --json, progress on stderr, and exits 0 for a valid record', async () => {
    const io = capture();
    const status = await main([FIXTURE.pathname, '--json', '--workers', '0']);
    expect(status).toBe(0);
    const report = JSON.parse(io.out());
    expect(report).toMatchObject({ format: 'townhall/verification-report', isValid: true, entries: 31 });
    expect(report.result[0].counts.map((c: { count: number }) => c.count)).toEqual([2, 1, 2, 0, 0]);
    expect(io.err()).toMatch(/reading .*\n(.*\n)*.*read 31 entries/);
  });

  it('gives the same report with worker threads as without', async () => {
    const io = capture();
    expect(await main([FIXTURE.pathname, '--json', '--workers', '0'])).toBe(0);
    const alone = io.out();
    vi.restoreAllMocks();
    const threaded = capture();
    expect(await main([FIXTURE.pathname, '--json', '--workers', '2'])).toBe(0);
    expect(threaded.out()).toBe(alone);
    expect(threaded.err()).toMatch(/with 2 worker thread\(s\)/);
  });

  it('exits 1 and names the failing check in the human summary for a tampered record', async () => {
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(tampered, readFileSync(FIXTURE, 'utf8').replace(/— record-witness-2 [A-Za-z0-9+\/=]+\\n/g, ''));
    const io = capture();
    expect(await main([tampered, '--workers', '1'])).toBe(1);
    expect(io.out()).toMatch(/FAIL {2}ledger\.cosignatures/);
    expect(io.out()).toMatch(/NOT VERIFIED/);
  });

  it('saves its state with --state and resumes from it on the next run, with the same report', async () => {
    const state = join(dir, 'state.json');
    const io = capture();
    expect(await main([FIXTURE.pathname, '--json', '--workers', '0', '--state', state])).toBe(0);
    expect(existsSync(state)).toBe(true);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toMatchObject({ format: 'townhall/verifier-state', ledger: { entries: 31 } });
    const first = io.out();
    vi.restoreAllMocks();
    const again = capture();
    expect(await main([FIXTURE.pathname, '--json', '--workers', '0', '--state', state])).toBe(0);
    expect(again.err()).toMatch(/resuming after entry 30/);
    expect(again.out()).toBe(first);
  });

  it('prints the trustee-minimum warning before the checks and with the verdict, and carries it in --json', async () => {
    // A demonstration election whose manifest waived the minimum (1 of 3 trustees decrypt): the
    // record below was resealed, so it also fails, but the warning does not depend on the verdict.
    const waived = join(dir, 'waived.jsonl');
    writeFileSync(waived, withCeremony({ threshold: 1, trustees: 3, minimumWaived: true }).map((l) => JSON.stringify(l)).join('\n') + '\n');
    const io = capture();
    await main([waived, '--workers', '0']);
    const out = io.out();
    const warning = /WARNING \(TRUSTEE_MINIMUM_WAIVED\): DEMONSTRATION ONLY: .*one trustee alone can decrypt every ballot/g;
    expect(out.match(warning)).toHaveLength(2);
    expect(out.indexOf('WARNING')).toBeLessThan(out.indexOf('record.format'));
    expect(out).toMatch(/NOT VERIFIED: \d+ check\(s\) failed\. SEE ALSO THE WARNING:\nWARNING \(TRUSTEE_MINIMUM_WAIVED\)/);
    vi.restoreAllMocks();
    const json = capture();
    await main([waived, '--json', '--workers', '0']);
    expect(JSON.parse(json.out()).warnings).toEqual([{ code: 'TRUSTEE_MINIMUM_WAIVED', message: expect.stringMatching(/^DEMONSTRATION ONLY/) }]);
    // The real fixture (2 of 3) has none.
    vi.restoreAllMocks();
    const plain = capture();
    expect(await main([FIXTURE.pathname, '--workers', '0'])).toBe(0);
    expect(plain.out()).not.toMatch(/WARNING/);
  });

  it('downloads the record from a URL (streamed) and verifies it', async () => {
    const server = createServer((_request, response) => {
      response.setHeader('Content-Type', 'application/x-ndjson');
      response.end(readFileSync(FIXTURE));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const io = capture();
      const status = await main([`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/elections/x/record`, '--workers', '0']);
      expect(status).toBe(0);
      expect(io.out()).toMatch(/VERIFIED: every check that applies passed/);
      expect(io.out()).toMatch(/mayor: ada 2, grace 1, alan 2, barbara 0, edsger 0/);
    } finally {
      server.close();
    }
  });

  it('recognises a contract record by its first line and verifies it; a recomputed payment that differs fails with its figures', async () => {
    const io = capture();
    expect(await main([CONTRACT_FIXTURE.pathname, '--workers', '0'])).toBe(0);
    expect(io.out()).toMatch(/^Contract keep-repairs: 29 ledger entries/);
    expect(io.out()).toMatch(/PASS {2}contract\.payments +3 /);
    expect(io.out()).not.toMatch(/ballots\.|tally\./);
    expect(io.err()).toMatch(/\(a contract record\)/);

    const tampered = join(dir, 'contract-tampered.jsonl');
    const lines = loadLines(CONTRACT_FIXTURE);
    setBody(lines.filter((l) => l.kind === 'entry')[17]!, (b) => (b.lateReductionPence = 0));
    writeFileSync(tampered, reseal(lines).map((l) => JSON.stringify(l)).join('\n') + '\n');
    vi.restoreAllMocks();
    const failed = capture();
    expect(await main([tampered, '--json'])).toBe(1);
    const report = JSON.parse(failed.out());
    expect(report).toMatchObject({ isValid: false, contractId: 'keep-repairs' });
    expect(report.checks.find((c: { id: string }) => c.id === 'contract.payments').failures[0].evidence).toMatchObject({ index: 17, figure: 'lateReductionPence', recorded: 0, recomputed: 1533 });
    // --state resumes election records only.
    expect(await main([CONTRACT_FIXTURE.pathname, '--state', join(dir, 'contract-state.json')])).toBe(2);
  });

  it('exits 2 with usage for no argument, a bad --workers, and for an unreadable file', async () => {
    const io = capture();
    expect(await main([])).toBe(2);
    expect(await main([FIXTURE.pathname, '--workers', 'many'])).toBe(2);
    expect(await main([join(dir, 'missing.jsonl')])).toBe(2);
    expect(io.err()).toMatch(/usage: townhall-verify/);
    expect(io.err()).toMatch(/missing\.jsonl/);
  });
});
