/**
 * Child process for ballot-crash.medium.test.ts: runs the API on the database of DATABASE_URL and
 * casts the prepared ballots of BALLOTS_FILE through its own HTTP endpoint from 16 concurrent
 * clients, printing `ack <tracking code> <ledger index> <leaf hash>` only once the API has answered
 * (the ballot is then acknowledged to the voter). The parent kills it with SIGKILL at a random moment.
 */
import { readFileSync } from 'node:fs';
import { CastBallotResponse } from '@townhall/protocol';
import { logger } from '../src/common/logger.ts';
import { startTestApp } from './support/test-app.ts';
import { PUBLIC_URL } from './identity-support/flows.ts';

logger.level = 'silent';
const { electionId, ballots } = JSON.parse(readFileSync(process.env.BALLOTS_FILE!, 'utf8')) as { electionId: string; ballots: string[] };
const app = await startTestApp('postgres', {
  env: { TOWNHALL_PUBLIC_URL: PUBLIC_URL, TOWNHALL_RATE_LIMIT_PER_MINUTE: '100000', TOWNHALL_ALLOW_FEWER_TRUSTEES: 'true' },
  testDatabase: { config: { kind: 'postgres', url: process.env.DATABASE_URL! }, drop: async () => {} },
});
process.stdout.write('ready\n');

let next = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next < ballots.length) {
      const body = ballots[next++]!;
      const response = await fetch(`${app.baseUrl}/api/elections/${electionId}/ballots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (response.status !== 200 && response.status !== 201) throw new Error(`cast answered ${response.status}: ${await response.text()}`);
      const answer = CastBallotResponse.parse(await response.json());
      process.stdout.write(`ack ${answer.trackingCode} ${answer.ledgerIndex} ${answer.leafHash}\n`);
    }
  }),
);
process.stdout.write('done\n');
// Keep running until killed, as a server would.
setInterval(() => {}, 1000);
