#!/usr/bin/env tsx
/**
 * townhall-audit <log base URL> --state DIR [--log-key VKEY] [--witness VKEY]... [--quorum K]
 *
 * Exit 0: the log verified (summary on stdout). Exit 1: an inconsistency, with the evidence as
 * JSON on stderr and in DIR/evidence-<time>.json. Exit 2: usage, network or server errors.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditFailure, audit, evidenceJson } from './audit.ts';

const USAGE = 'usage: townhall-audit <log base URL, e.g. https://council.example/api/ledger/registry> --state DIR [--log-key VKEY] [--witness VKEY]... [--quorum K]';

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      state: { type: 'string' },
      'log-key': { type: 'string' },
      witness: { type: 'string', multiple: true },
      quorum: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (error) {
    // An unknown option or a missing value: say which, and how to call it (never a stack trace).
    process.stderr.write(`townhall-audit: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const baseUrl = positionals[0];
  if (!baseUrl || !values.state || positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const summary = await audit({
      baseUrl,
      stateDir: values.state,
      ...(values['log-key'] ? { logKey: values['log-key'] } : {}),
      ...(values.witness ? { witnessKeys: values.witness } : {}),
      ...(values.quorum ? { quorum: Number(values.quorum) } : {}),
    });
    process.stdout.write(
      [
        `OK ${summary.origin}`,
        `  size ${summary.size} (was ${summary.previousSize}; ${summary.newEntries} new entries mirrored and chained)`,
        `  root ${summary.rootHash} matches the checkpoint`,
        `  cosigned by ${summary.cosigners.length === 0 ? 'no witness' : summary.cosigners.join(', ')}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof AuditFailure) {
      const json = evidenceJson(error);
      process.stderr.write(`AUDIT FAILED (${error.kind}): ${error.message}\n${json}\n`);
      await mkdir(values.state, { recursive: true });
      await writeFile(join(values.state, `evidence-${new Date().toISOString().replaceAll(':', '-')}.json`), `${json}\n`);
      return 1;
    }
    process.stderr.write(`townhall-audit: ${(error as Error).message}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
