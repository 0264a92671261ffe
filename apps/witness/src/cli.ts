#!/usr/bin/env tsx
/**
 * townhall-witness serve --state DIR --port N [--host H] [--name NAME] --log <origin>=<verifier key>...
 * townhall-witness key --state DIR [--name NAME]
 */
import { parseArgs } from 'node:util';
import { loadOrCreateWitnessKey } from './witness-key.ts';
import { parseLogArgument, startWitness } from './witness-server.ts';

const USAGE = `usage:
  townhall-witness serve --state DIR [--port N] [--host H] [--name NAME] --log <origin>=<log verifier key> [--log ...]
  townhall-witness key --state DIR [--name NAME]

An origin ending in * witnesses every origin with that prefix (e.g. example.org/townhall/*).`;

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    options: {
      state: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      name: { type: 'string', default: 'townhall-witness' },
      log: { type: 'string', multiple: true, default: [] },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let values: ReturnType<typeof parseOptions>['values'];
  try {
    ({ values } = parseOptions(rest));
  } catch (error) {
    // An unknown option or a missing value: say which, and how to call it (never a stack trace).
    process.stderr.write(`townhall-witness: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.state || (command !== 'serve' && command !== 'key')) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === 'key') {
    process.stdout.write(`${(await loadOrCreateWitnessKey(values.state, values.name)).verifierKey}\n`);
    return 0;
  }
  const logs = values.log.map(parseLogArgument);
  if (logs.length === 0) {
    process.stderr.write(`a witness needs at least one --log\n${USAGE}\n`);
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
  const witness = await startWitness({ stateDir: values.state, port, host: values.host, name: values.name, logs });
  process.stdout.write(`townhall-witness listening on ${witness.url}\nverifier key: ${witness.verifierKey}\n`);
  const stop = () => void witness.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`townhall-witness: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
