/** The verifier CLI as the benchmarks run it (a child process, timed, its report and progress kept), and what both benchmarks print. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { ProgressEvent, VerificationReport } from '../src/index.ts';

export const packageDir = fileURLToPath(new URL('..', import.meta.url));
/** The 5-voter record the tests use: the benchmarks' record when no larger one is at hand. */
export const FIXTURE = fileURLToPath(new URL('../test/fixtures/election-5-voters.record.jsonl', import.meta.url));

export const fmtLoad = () => loadavg().map((l) => l.toFixed(1)).join(' / ');
export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export interface Run {
  report: VerificationReport;
  events: (ProgressEvent & { ms: number })[];
  wallMs: number;
  cpuSeconds: number | null;
  peakRssBytes: number | null;
  exitCode: number | null;
}

/** The CLI in a child process under /usr/bin/time -v (GNU time: peak RSS of the whole process). */
export async function runCli(record: string, args: string[]): Promise<Run> {
  const hasTime = existsSync('/usr/bin/time');
  const command = [process.execPath, '--import', 'tsx', 'src/cli/main.ts', record, '--json', '--progress', 'json', ...args];
  const started = performance.now();
  const child = hasTime ? spawn('/usr/bin/time', ['-v', ...command], { cwd: packageDir }) : spawn(command[0]!, command.slice(1), { cwd: packageDir });
  const out: Buffer[] = [];
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
    // Echo the progress so a long run shows it is alive.
    for (const line of chunk.toString().split('\n')) if (line.startsWith('{"ms"') && /ballots checked|read"|passkey|MiB read/.test(line)) process.stderr.write(`${line.slice(0, 160)}\n`);
  });
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  const events = err.split('\n').filter((l) => l.startsWith('{"ms"')).map((l) => JSON.parse(l));
  const field = (name: string) => new RegExp(`${name}: ([0-9.]+)`).exec(err)?.[1];
  const rssKiB = field('Maximum resident set size \\(kbytes\\)');
  const user = field('User time \\(seconds\\)');
  const system = field('System time \\(seconds\\)');
  if (out.length === 0) throw new Error(`the CLI printed no report (exit ${exitCode}):\n${err.slice(-2000)}`);
  return {
    report: JSON.parse(Buffer.concat(out).toString()),
    events,
    wallMs,
    cpuSeconds: user && system ? Number(user) + Number(system) : null,
    peakRssBytes: rssKiB ? Number(rssKiB) * 1024 : null,
    exitCode,
  };
}
