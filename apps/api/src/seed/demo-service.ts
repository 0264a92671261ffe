/**
 * `npm start` with the demo seed also runs a small council service, "Garden waste subscription"
 * (apps/demo-service), that signs residents in through Townhall ID: started in this process on its own
 * port, registered under a fixed client id with its own key (kept like the deployment's other keys), so
 * a newcomer can sign in to it with the demo resident's passkey and see the release on their account.
 */
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startDemoService, type RunningDemoService } from '@townhall/demo-service';
import type { AppConfig } from '../config/config.ts';
import { AppError } from '../common/app-error.ts';
import { logger } from '../common/logger.ts';
import { DeploymentSecretsRepository } from '../identity/deployment-secrets.repository.ts';
import { signingJwkFromScalar } from '../oidc/oidc-keys.ts';
import { OidcProviderService } from '../oidc/oidc-provider.service.ts';
import { OidcServicesService } from '../oidc/oidc-services.service.ts';

export const DEMO_SERVICE_CLIENT_ID = 'demo-garden-waste';

/** The demo service, running; null when an administrator deleted it (its client id is never used again). */
export async function startDemoServiceFor(app: NestExpressApplication, config: AppConfig, host: string): Promise<RunningDemoService | null> {
  const secret = await app.get(DeploymentSecretsRepository, { strict: false }).getOrCreate('demo-service-key');
  const privateKey = await signingJwkFromScalar(secret);
  const { d: _private, ...publicKey } = privateKey;
  const issuer = app.get(OidcProviderService, { strict: false }).issuer;
  const running = await startDemoService({ issuer, clientId: DEMO_SERVICE_CLIENT_ID, privateKey, port: config.demoServicePort, host });
  try {
    await app.get(OidcServicesService, { strict: false }).ensureRegistered(DEMO_SERVICE_CLIENT_ID, {
      name: 'Garden waste subscription (demo)',
      redirectUris: [`${running.url}/callback`],
      postLogoutRedirectUris: [`${running.url}/signed-out`],
      backchannelLogoutUri: `${running.url}/backchannel-logout`,
      clientType: 'confidential',
      authMethod: 'private_key_jwt',
      jwks: { keys: [publicKey as never] },
      claims: ['name', 'address', 'age_over_18', 'townhall:roll'],
      requiredClaims: ['townhall:roll'],
      minimumAcr: 'urn:townhall:acr:roll-poll-card',
      acceptsRepresentatives: true,
    });
  } catch (error) {
    await running.close();
    if (error instanceof AppError && error.code === 'SERVICE_DELETED') {
      logger.warn({ clientId: DEMO_SERVICE_CLIENT_ID }, 'the demo council service was deleted by an administrator: not started');
      return null;
    }
    throw error;
  }
  return running;
}
