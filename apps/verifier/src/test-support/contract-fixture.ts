import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decoded, entryLines, reseal, setBody, type Line } from '../../../../packages/verifier/test/tamper-support.ts';

/** The verifier library's 3-job contract record (packages/verifier/test/fixtures/README.md). */
export const CONTRACT_FIXTURE_PATH = resolve(import.meta.dirname, '../../../../packages/verifier/test/fixtures/contract-3-jobs.record.jsonl');
export const contractFixtureText = (): string => readFileSync(CONTRACT_FIXTURE_PATH, 'utf8');

/** In the fixture: job 2's PaymentComputed is entry 17, priced with a late-delivery reduction of £15.33. */
export const CONTRACT_FIXTURE_FACTS = { contractId: 'keep-repairs', payments: 3, paymentRuns: 2, lateJobEntry: 17, lateReductionPence: 1_533 } as const;

/** The orders of the fixture's three PaymentComputed entries (8, 17, 24), in log order: ids change whenever the fixture is made again. */
export function contractFixturePaidOrders(): string[] {
  const lines = contractFixtureText()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Line);
  return entryLines(lines)
    .map((line) => decoded(line))
    .filter((entry) => entry.type === 'PaymentComputed')
    .map((entry) => (entry.body as { orderId: string }).orderId);
}

/**
 * The fixture with job 2's late reduction recorded as nothing, resealed with the library's tampering
 * suite (a dishonest operator holding the log key: the chain and the log's signatures verify, the
 * witnesses' cosignatures and the recomputed payment do not).
 */
export function tamperedContractText(): string {
  const lines = contractFixtureText()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Line);
  setBody(entryLines(lines)[CONTRACT_FIXTURE_FACTS.lateJobEntry]!, (body) => (body.lateReductionPence = 0));
  return `${reseal(lines).map((line) => JSON.stringify(line)).join('\n')}\n`;
}
