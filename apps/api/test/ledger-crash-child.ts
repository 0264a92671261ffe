/**
 * Child process for ledger-crash.medium.test.ts: appends to the registry log of DATABASE_URL from
 * several concurrent writers, each append also writing an index row, and prints
 * `ack <index> <leaf hash> <row name>` only once the append has resolved (committed).
 * The parent kills it with SIGKILL at a random moment.
 */
import { loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/database/database.ts';
import { LedgerRepository } from '../src/ledger/ledger.repository.ts';
import { LedgerService, REGISTRY_LOG } from '../src/ledger/ledger.service.ts';

const config = loadConfig({ ...process.env, TOWNHALL_LOG_LEVEL: 'silent', TOWNHALL_LOCAL_WITNESSES: 'false' });
const database = await openDatabase(config);
const ledger = new LedgerService(new LedgerRepository(database), config);
await ledger.onModuleInit();
process.stdout.write('ready\n');

const writers = Number(process.env.CRASH_WRITERS ?? 16);
await Promise.all(
  Array.from({ length: writers }, async (_, writer) => {
    for (let n = 0; ; n++) {
      const name = `crash-${process.pid}-${writer}-${n}`;
      const { appended } = await ledger.append(REGISTRY_LOG, async (tx) => {
        await tx.deploymentSecret.create({ data: { name, value: new Uint8Array([writer]) } });
        return { entries: [{ type: 'Enrolled', body: { row: name } }], result: null };
      });
      process.stdout.write(`ack ${appended[0]!.index} ${appended[0]!.leafHash} ${name}\n`);
    }
  }),
);
