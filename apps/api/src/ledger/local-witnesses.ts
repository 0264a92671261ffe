/**
 * `npm start` runs two witnesses in-process (state in <data dir>/witness-1 and -2, free ports) so
 * the consortium flow — checkpoints published only once cosigned — is there out of the box.
 * Real deployments configure other councils' witnesses with TOWNHALL_WITNESSES instead.
 */
import { join } from 'node:path';
import { startWitness, type RunningWitness } from '@townhall/witness';
import type { AppConfig } from '../config/config.ts';
import type { Database } from '../database/database.ts';
import { LedgerRepository } from './ledger.repository.ts';
import { LogKeyring, resolveLogSeed } from './log-key.ts';
import { originHost } from './ledger.service.ts';

export async function startLocalWitnesses(config: AppConfig, database: Database): Promise<{ config: AppConfig; running: RunningWitness[] }> {
  if (!config.ledger.localWitnesses) return { config, running: [] };
  const keyring = new LogKeyring(await resolveLogSeed(config.ledger.signingKey, new LedgerRepository(database)));
  // Every origin of this deployment, checked under the log key with the origin as key name: those
  // of the current public address, and those its logs were created with at an earlier address.
  const hosts = new Set([originHost(config.publicUrl), ...(await deploymentHosts(database))]);
  const logs = [...hosts].map((host) => ({ origin: `${host}/townhall/*`, verifierKey: keyring.verifierKey('townhall-log') }));
  const running: RunningWitness[] = [];
  for (const n of [1, 2]) {
    running.push(await startWitness({ stateDir: join(config.dataDir, `witness-${n}`), name: `local-witness-${n}`, logs }));
  }
  return {
    config: { ...config, ledger: { ...config.ledger, witnesses: [...config.ledger.witnesses, ...running.map((w) => ({ verifierKey: w.verifierKey, url: w.url }))] } },
    running,
  };
}

/** The hosts in the origins of this deployment's existing logs (`<host>/townhall/…`). */
export async function deploymentHosts(database: Database): Promise<string[]> {
  const logs = await new LedgerRepository(database).listLogs();
  return [...new Set(logs.map((log) => log.origin.split('/')[0]!))];
}
