#!/usr/bin/env -S npx tsx
/**
 * Runs the demo service on its own, against a Townhall ID elsewhere:
 *   TOWNHALL_ID_ISSUER=https://townhall.example.gov.uk/oidc DEMO_CLIENT_ID=svc_… DEMO_PRIVATE_JWK='{"kty":"EC",…}' \
 *   PORT=3001 npm start -w @townhall/demo-service
 * (`npm start` of the whole project starts it in the API's process, registered for you.)
 */
import { startDemoService } from './demo-service.ts';

const usage = 'usage: TOWNHALL_ID_ISSUER=<issuer URL> DEMO_CLIENT_ID=<client id> DEMO_PRIVATE_JWK=<ES256 private JWK> [PORT=3001] [HOST=127.0.0.1] tsx src/cli.ts';
if (process.argv.includes('--help')) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const issuer = process.env.TOWNHALL_ID_ISSUER;
const clientId = process.env.DEMO_CLIENT_ID;
const jwk = process.env.DEMO_PRIVATE_JWK;
if (!issuer || !clientId || !jwk) {
  process.stderr.write(`missing configuration\n${usage}\n`);
  process.exit(2);
}
const running = await startDemoService({ issuer, clientId, privateKey: JSON.parse(jwk), port: Number(process.env.PORT ?? 3001), host: process.env.HOST });
process.stdout.write(`Garden waste subscription (demo service) at ${running.url}\n`);
