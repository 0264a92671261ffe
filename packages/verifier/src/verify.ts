import type { ElectionRecord } from './record.ts';
import { ReportBuilder, type VerificationReport } from './report.ts';
import { verifyElection } from './verify-election.ts';
import { verifyLedger } from './verify-ledger.ts';

export type Progress = (step: string) => void;

/** Runs every check of the record and returns the report; never throws for a bad record. */
export async function verifyRecord(record: ElectionRecord, onProgress: Progress = () => {}): Promise<VerificationReport> {
  const report = new ReportBuilder();
  report.count('record.format');
  for (const problem of record.problems) report.fail('record.format', `line ${problem.line}: ${problem.message}`, { line: problem.line });
  if (!record.header) report.fail('record.format', 'the record line (format, version, election) is missing');
  if (!record.end) report.fail('record.format', 'the end line is missing: the record is truncated');
  else if (record.end.entries !== String(record.entries.length) || record.end.checkpoints !== record.checkpoints.length || record.end.registryEntries !== record.registryEntries.length) {
    report.fail('record.format', 'the record has a different number of lines than its end line announces', {
      announced: { entries: record.end.entries, checkpoints: record.end.checkpoints, registryEntries: record.end.registryEntries },
      found: { entries: record.entries.length, checkpoints: record.checkpoints.length, registryEntries: record.registryEntries.length },
    });
  }
  const fields = { electionId: record.header?.electionId ?? null, entries: record.entries.length };
  if (!record.keys) {
    report.fail('record.format', 'the keys line is missing: nothing can be checked against the log and witness keys');
    return report.build({ ...fields, result: null });
  }
  onProgress('ledger: entries, chain, checkpoints, cosignatures');
  const ledger = verifyLedger(record, report);
  onProgress('election: definition, ceremony, credentials, ballots, tally');
  const result = await verifyElection(record, ledger.entries, ledger.registry, report);
  onProgress('done');
  return report.build({ ...fields, result });
}
