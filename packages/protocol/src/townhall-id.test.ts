import { describe, expect, it } from 'vitest';
import { ServiceRegistrationRequest } from './townhall-id.ts';

const valid = { name: 'Parking permits', redirectUris: ['https://parking.example.gov.uk/callback'], clientType: 'public', claims: ['name'] } as const;

function issuesOf(input: unknown) {
  const parsed = ServiceRegistrationRequest.safeParse(input);
  expect(parsed.success).toBe(false);
  return parsed.error!.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('a service registration', () => {
  it('accepts an https redirect URI, and http only on this machine', () => {
    expect(ServiceRegistrationRequest.safeParse(valid).success).toBe(true);
    expect(ServiceRegistrationRequest.safeParse({ ...valid, redirectUris: ['http://localhost:4000/callback'] }).success).toBe(true);
    expect(issuesOf({ ...valid, redirectUris: ['http://parking.example.gov.uk/callback'] })).toEqual(['redirectUris.0: must use https (http only for localhost)']);
  });

  it('refuses redirect URIs that are no URL at all with an issue, not an exception', () => {
    for (const uri of ['', 'not a url', 'https://', '//parking.example.gov.uk/callback']) {
      const issues = issuesOf({ ...valid, redirectUris: [uri] });
      expect(issues.length).toBeGreaterThan(0);
      expect(issues.every((issue) => issue.startsWith('redirectUris.0: '))).toBe(true);
    }
  });

  it('refuses a fragment, and a required claim the service may not ask for', () => {
    expect(issuesOf({ ...valid, redirectUris: ['https://parking.example.gov.uk/callback#x'] })).toEqual(['redirectUris.0: must not have a fragment (#…)']);
    expect(issuesOf({ ...valid, requiredClaims: ['birthdate'] })).toEqual(['requiredClaims: birthdate is required but not among the claims the service may ask for']);
  });
});
