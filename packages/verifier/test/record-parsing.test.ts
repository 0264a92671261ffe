import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecord, verifyRecord, verifyRecordSource } from '../src/index.ts';
import { FIXTURE } from './tamper-support.ts';

const text = readFileSync(FIXTURE, 'utf8');

async function* chunks(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('parseRecord (docs/protocol/record.md §2)', () => {
  it('reads the same record from a stream of small byte chunks as from the whole text', async () => {
    const whole = await parseRecord(text);
    const streamed = await parseRecord(chunks(new TextEncoder().encode(text), 7));
    expect(streamed.problems).toEqual([]);
    expect(streamed.entries.length).toBe(whole.entries.length);
    expect(streamed.entries.map((e) => e.bytes)).toEqual(whole.entries.map((e) => e.bytes));
    expect(streamed.checkpoints).toEqual(whole.checkpoints);
    expect(streamed.registryEntries.length).toBe(6);
  });

  it.each([
    ['a line that is not JSON', (lines: string[]) => lines.splice(5, 0, '{not json')],
    ['an unknown kind', (lines: string[]) => lines.splice(5, 0, '{"kind":"surprise"}')],
    ['entry bytes that are not base64', (lines: string[]) => (lines[3] = lines[3]!.replace(/"bytes":"/, '"bytes":"*'))],
    ['the record line not first', (lines: string[]) => lines.push(lines.shift()!)],
    ['a line after the end line', (lines: string[]) => lines.push(lines[3]!)],
  ])('reports %s under record.format, with the line number', async (_name, mutate) => {
    const lines = text.trimEnd().split('\n');
    mutate(lines);
    const report = await verifyRecord(await parseRecord(lines.join('\n') + '\n'));
    const check = report.checks.find((c) => c.id === 'record.format')!;
    expect(report.isValid).toBe(false);
    expect(check.status).toBe('fail');
    expect(check.failures[0]!.message).toMatch(/line \d+|record line|end line/);
  });

  it('refuses a record without keys: nothing can be checked against them', async () => {
    const lines = text.trimEnd().split('\n').filter((l) => !l.startsWith('{"kind":"keys"'));
    const report = await verifyRecord(await parseRecord(lines.join('\n')));
    expect(report.isValid).toBe(false);
    expect(report.checks.find((c) => c.id === 'record.format')!.failures.map((f) => f.message)).toContain('the keys line is missing: nothing can be checked against the log and witness keys');
  });
});

describe('one file per record (record.md §2: lines in their order, each once)', () => {
  const lines = () => text.trimEnd().split('\n');
  const positions = (all: string[], kind: string) => all.flatMap((l, i) => (JSON.parse(l).kind === kind ? [i] : []));
  const swap = (all: string[], a: number, b: number) => ([all[a], all[b]] = [all[b]!, all[a]!]);
  const repeat = (all: string[], at: number) => all.splice(at + 1, 0, all[at]!);
  /** The record and end lines made to announce what the file now holds (so only the order rules can tell). */
  function recount(all: string[]): void {
    const parsed = all.map((l) => (l === '' ? { kind: '' } : JSON.parse(l)));
    const count = (kind: string) => parsed.filter((l) => l.kind === kind).length;
    const end = parsed.findIndex((l) => l.kind === 'end');
    all[end] = JSON.stringify({ ...parsed[end], entries: String(count('entry')), checkpoints: count('checkpoint'), registryEntries: count('registry-entry') });
    all[0] = JSON.stringify({ ...parsed[0], entries: String(count('entry')) });
  }

  it.each([
    ['a checkpoint line repeated', (all: string[]) => repeat(all, positions(all, 'checkpoint')[3]!)],
    ['two checkpoint lines swapped', (all: string[]) => swap(all, positions(all, 'checkpoint')[2]!, positions(all, 'checkpoint')[3]!)],
    ['a registry-entry line repeated', (all: string[]) => repeat(all, positions(all, 'registry-entry')[1]!)],
    ['two registry-entry lines swapped', (all: string[]) => swap(all, positions(all, 'registry-entry')[0]!, positions(all, 'registry-entry')[1]!)],
    ['the registry-checkpoint line repeated', (all: string[]) => repeat(all, positions(all, 'registry-checkpoint')[0]!)],
    ['an entry line after the checkpoint lines', (all: string[]) => all.splice(positions(all, 'checkpoint').at(-1)!, 0, ...all.splice(positions(all, 'entry').at(-1)!, 1))],
    ['an entry line repeated', (all: string[]) => repeat(all, positions(all, 'entry')[20]!)],
    ['a blank line', (all: string[]) => all.splice(5, 0, '')],
  ])('fails record.format for %s, read whole or streamed', async (_name, mutate) => {
    const all = lines();
    mutate(all);
    recount(all);
    const file = all.join('\n') + '\n';
    expect(file).not.toBe(text);
    for (const report of [await verifyRecord(await parseRecord(file)), (await verifyRecordSource(file)).report]) {
      const check = report.checks.find((c) => c.id === 'record.format')!;
      expect(report.isValid).toBe(false);
      expect(check.status).toBe('fail');
      expect(check.failures[0]!.message).toMatch(/^line \d+: |^entry line \d+ says index/);
    }
  });

  it('the fixture itself is canonical', async () => {
    expect((await verifyRecord(await parseRecord(text))).checks.find((c) => c.id === 'record.format')!.status).toBe('pass');
    expect((await verifyRecordSource(text)).report.checks.find((c) => c.id === 'record.format')!.status).toBe('pass');
  });
});
