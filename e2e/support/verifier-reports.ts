/**
 * The same record verified outside the browser, for comparison with the web app's downloaded
 * report: by the CLI (`townhall-verify --json`, as an observer runs it) and by the library in
 * this Node process.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseRecord, verifyRecord, type VerificationReport } from '@townhall/verifier';

const repoRoot = resolve(import.meta.dirname, '../..');
export const FIXTURE_RECORD = join(repoRoot, 'packages/verifier/test/fixtures/election-5-voters.record.jsonl');

/** In the fixture (packages/verifier/test/fixtures/README.md): entry 20 is a counted ballot, entry 21 one its voter replaced. */
export const FIXTURE_BALLOTS = {
  counted: '2c37d7644b3c5abe3369ed14089fe72d0eabe47e153ca68f9273bef8943b43f9',
  superseded: 'b17ff1392bffefb53116e2e53047dca90b5fa1dc1d362743949d54dd79866845',
} as const;

/**
 * A tampered copy: the published count of the first option raised by one (the ResultPublished
 * entry re-encoded, so it still decodes but neither the chain nor the tally agree).
 */
export function writeTamperedRecord(directory: string): string {
  const lines = readFileSync(FIXTURE_RECORD, 'utf8').trimEnd().split('\n');
  const tampered = lines.map((line) => {
    const parsed = JSON.parse(line) as { kind: string; index?: string; bytes?: string };
    if (parsed.kind !== 'entry') return line;
    const bytes = Buffer.from(parsed.bytes!, 'base64');
    if (bytes.readUInt16BE(15) !== 0x020d) return line; // ResultPublished (ledger.md §2)
    const body = bytes.subarray(54).toString('utf8').replace(/"count":(\d+)/, (_, n: string) => `"count":${Number(n) + 1}`);
    const bodyBytes = Buffer.from(body, 'utf8');
    const header = Buffer.from(bytes.subarray(0, 54));
    header.writeUInt32BE(bodyBytes.length, 50);
    return JSON.stringify({ ...parsed, bytes: Buffer.concat([header, bodyBytes]).toString('base64') });
  });
  const path = join(directory, 'tampered.record.jsonl');
  writeFileSync(path, `${tampered.join('\n')}\n`);
  return path;
}

export async function reportFromCli(recordPath: string): Promise<{ report: VerificationReport; exitCode: number }> {
  const cli = join(repoRoot, 'packages/verifier/src/cli/main.ts');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, recordPath, '--json'], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
    return { report: JSON.parse(stdout) as VerificationReport, exitCode: 0 };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string };
    if (failure.code === 1 && failure.stdout) return { report: JSON.parse(failure.stdout) as VerificationReport, exitCode: 1 };
    throw error;
  }
}

export async function reportFromLibrary(recordPath: string): Promise<VerificationReport> {
  return verifyRecord(await parseRecord(readFileSync(recordPath, 'utf8')));
}
