import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRecord, verifyRecord } from '../src/index.ts';
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
