import { loadConfig, ConfigError } from './config/config.ts';
import { openDatabase } from './database/database.ts';
import { seedDemo } from './seed/seed.ts';
import { describeDemoElection, seedDemoElection } from './seed/demo-election.ts';
import { describeDemoConsortium, seedDemoConsortium } from './seed/demo-consortium.ts';
import { createApp } from './app.ts';
import { logger } from './common/logger.ts';
import { deploymentHosts, startLocalWitnesses } from './ledger/local-witnesses.ts';
import { originHost } from './ledger/ledger.service.ts';
import { startControlSocket } from './system/control-socket.ts';
import { StaffRepository } from './staff/staff.repository.ts';
import { issueAdminInvitation } from './staff/staff.service.ts';
import { startDemoServiceFor } from './seed/demo-service.ts';

async function main(): Promise<void> {
  const loaded = loadConfig();
  const database = await openDatabase(loaded);
  const witnesses = await startLocalWitnesses(loaded, database);
  const config = witnesses.config;
  if (database.migrated.length > 0) logger.info({ migrations: database.migrated }, 'migrations applied');
  if (config.seedDemo) {
    const seeded = await seedDemo(database.prisma);
    if (seeded.councilCreated || seeded.electorsCreated > 0) logger.info(seeded, 'demo council seeded');
  }
  const app = await createApp(config, database);
  app.enableShutdownHooks();
  // The demo election runs its ceremony through the app's services, before the health check answers.
  await app.init();
  const demoElection = config.seedDemo ? await seedDemoElection(app, database.prisma, { dataDir: config.dataDir }) : null;
  // A demo organisation an official suspended or closed, or a roll without the demo tenant, leaves the demo consortium out; it never stops a start.
  const demoConsortium = config.seedDemo
    ? await seedDemoConsortium(app, database.prisma).catch((error: unknown) => {
        logger.warn({ err: error }, 'demo repairs consortium not seeded');
        return null;
      })
    : null;
  await app.listen(config.port, config.host);
  const demoService = config.seedDemo ? await startDemoServiceFor(app, config, config.host) : null;
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  // Passkeys are bound to the public URL's host name, so that is the address to open.
  const base = config.port === 0 ? `http://localhost:${port}` : config.publicUrl;
  const where = config.database.kind === 'pglite' ? `embedded PGlite in ${config.database.dataDir}` : 'Postgres (DATABASE_URL)';
  logger.info({ url: base, database: where }, 'Townhall is running');
  const demo = demoElection ? describeDemoElection(demoElection, base) : [];
  // Started before at another address: its logs keep their origins, and passkeys stay bound to the old host name.
  const earlierHosts = (await deploymentHosts(database)).filter((host) => host !== originHost(config.publicUrl));
  const moved = earlierHosts.length === 0 ? [] : [
    '',
    `  NOTE: this deployment's ledger logs were created at ${earlierHosts.join(', ')}; it now runs at ${originHost(config.publicUrl)}.`,
    '  The logs keep their origins (anyone can still verify them). Passkeys were made for the host name they were created on:',
    '  if that name changed, residents and staff sign in again with a new card or invitation (docs/operations.md, "Changing the public address").',
  ];
  const lines = [
    '',
    `Townhall is running (${where})`,
    ...(config.serveApps
      ? [`  Vote (residents):        ${base}/`, `  Election officials:      ${base}/official/`, `  Verify an election:      ${base}/verify/`]
      : ['  Apps: run `npm run dev` for the Vite dev servers (this process serves the API only)']),
    `  API:                     ${base}/api  (health: ${base}/api/health, OpenAPI: ${base}/api/docs)`,
    `  Ledger:                  ${base}/api/ledger  (witness policy: ${config.ledger.witnesses.length === 0 ? 'NONE, checkpoints are not cosigned' : `${config.ledger.witnessQuorum ?? Math.floor(config.ledger.witnesses.length / 2) + 1} of ${config.ledger.witnesses.length}`})`,
    ...witnesses.running.map((w, i) => `  Local witness ${i + 1}:         ${w.url}  (${w.verifierKey})`),
    ...demo,
    ...(demoConsortium ? describeDemoConsortium(demoConsortium, base) : []),
    ...(demoService ? [`  Demo council service:    ${demoService.url}  (signs residents in with Townhall ID, ${base}/oidc)`] : []),
    ...moved,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  // `npm run admin:invite` asks this process instead of opening its database (control-socket.ts).
  const control = await startControlSocket(config.dataDir, (command) =>
    issueAdminInvitation(app.get(StaffRepository, { strict: false }), base, { name: command.name, force: command.force }),
  );
  const stop = async () => {
    await control.close();
    await demoService?.close();
    await app.close();
    await Promise.all(witnesses.running.map((w) => w.close()));
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    logger.fatal({ err: error }, 'Townhall failed to start');
  }
  process.exit(1);
});
