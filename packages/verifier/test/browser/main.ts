// Verifies the fixture in the browser, the proofs in module Web Workers, and shows the report.
import { verifyRecordSource } from '../../src/index.ts';
import { createWebWorkerPool } from '../../src/web-workers.ts';

const output = document.getElementById('report')!;
const pool = createWebWorkerPool(2);
try {
  const response = await fetch('./record.jsonl');
  const { report } = await verifyRecordSource(response.body!, { pool });
  output.textContent = JSON.stringify(report);
} catch (error) {
  output.textContent = `error: ${(error as Error).stack ?? error}`;
} finally {
  await pool.close();
  output.dataset.done = 'true';
}
