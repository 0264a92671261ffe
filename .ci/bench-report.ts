// Writes one section of docs/benchmarks.md, leaving every other section as it is, so each
// workspace's `npm run bench` records its own results with the machine and the date.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const benchmarksFile = resolve(dirname(fileURLToPath(import.meta.url)), '../docs/benchmarks.md');

export function describeMachine(): string {
  const cpuList = cpus();
  const model = cpuList[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = (totalmem() / 2 ** 30).toFixed(1);
  return `${cpuList.length} × ${model}, ${memoryGiB} GiB, ${platform()} ${release()}, Node ${process.version}`;
}

/** Replace (or add) the section `id` with `markdown`, stamped with the machine and date. */
export function writeBenchSection(id: string, title: string, markdown: string): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const stamp = `_Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${describeMachine()}._`;
  const section = `${start}\n## ${title}\n\n${stamp}\n\n${markdown.trim()}\n${end}`;
  let text = existsSync(benchmarksFile)
    ? readFileSync(benchmarksFile, 'utf8')
    : '# Benchmarks\n\nWritten by `npm run bench`; each section is replaced by its own benchmark run.\n';
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  text = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(benchmarksFile, text);
}

/** A markdown table from a header row and data rows. */
export function markdownTable(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
