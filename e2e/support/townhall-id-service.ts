/**
 * A council service of a test's own that signs people in with Townhall ID: the reference relying
 * party (apps/demo-service, openid-client) started in the test's worker on a free port with a new
 * ES256 key, registered by a council administrator through the officials' "Register a service" page,
 * as a service's developers and the council would do it. The e2e server's own demo service
 * (`demo-garden-waste`) asks for a fixed set of claims; a test that needs others starts one of these.
 */
import { generateKeyPairSync } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { startDemoService, type RunningDemoService } from '@townhall/demo-service';
import { findFreePort } from './free-port.ts';
import { testBaseUrl } from './test-database.ts';

export interface ServiceRegistration {
  name: string;
  /** The scopes the service asks for at sign-in, e.g. `openid profile townhall:org`. */
  scope: string;
  /** The claims it may ask for, as the registration form words them ("Their name", …). */
  claims: string[];
  /** The minimum level of assurance, as the form words it. */
  minimumLevel: RegExp;
}

/**
 * Registers and starts the service; `staff` is a council administrator's page (signed in), left on
 * the registration's confirmation. Close the service at the end of the test.
 */
export async function startRegisteredService(staff: Page, registration: ServiceRegistration): Promise<RunningDemoService> {
  const url = `http://localhost:${await findFreePort()}`;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = 'e2e-service-key';
  await staff.getByRole('navigation', { name: 'Staff pages' }).getByRole('link', { name: 'Townhall ID services' }).click();
  await staff.getByRole('link', { name: 'Register a service' }).click();
  await staff.getByLabel('Name of the service').fill(registration.name);
  await staff.getByLabel('Redirect URIs').fill(`${url}/callback`);
  await staff.getByLabel('Sign-out return URIs (optional)').fill(`${url}/signed-out`);
  await staff.getByLabel('A server that can keep a key or a secret').check();
  await staff.getByLabel('With its own keys (recommended)').check();
  const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', use: 'sig' }] };
  await staff.getByLabel('Its public keys (a JWK Set)').fill(JSON.stringify(jwks));
  const claims = staff.getByRole('group', { name: 'What may it ask people to share?' });
  for (const claim of registration.claims) await claims.getByLabel(claim, { exact: true }).check();
  await staff.getByLabel(registration.minimumLevel).check();
  await staff.getByRole('button', { name: 'Register the service' }).click();
  await expect(staff.getByRole('heading', { level: 1, name: 'Service registered' })).toBeVisible();
  const clientId = (await staff.locator('.govuk-panel .th-code').textContent())?.trim() ?? '';
  expect(clientId).not.toBe('');
  return startDemoService({
    issuer: `${testBaseUrl()}/oidc`,
    clientId,
    privateKey: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256' },
    port: Number(new URL(url).port),
    publicUrl: url,
    scope: registration.scope,
    name: registration.name,
  });
}

