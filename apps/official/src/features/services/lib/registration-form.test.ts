import { describe, expect, it } from 'vitest';
import { emptyAnswers, errorsFromIssues, validateRegistration } from './registration-form.ts';

describe('errorsFromIssues', () => {
  it('puts each server issue on the field that answers it, in page order, one message per field', () => {
    const request = { redirectUris: ['https://a.example/cb'], postLogoutRedirectUris: ['https://a.example/bye'] };
    expect(
      errorsFromIssues(
        [
          { path: 'minimumAcr', message: 'Invalid option: expected one of …' },
          { path: 'jwks.keys.0.kty', message: 'Invalid option: expected one of "EC"|"OKP"|"RSA"' },
          { path: 'postLogoutRedirectUris.0', message: 'Invalid URL' },
          { path: 'redirectUris', message: 'are on more than one host' },
          { path: 'redirectUris.0', message: 'must use https (http only for localhost)' },
          { path: 'backchannelLogoutUri', message: 'must not have a fragment (#…)' },
        ],
        request,
      ),
    ).toEqual([
      { fieldId: 'redirect-uris', message: 'All the redirect URIs must be on one host name' },
      { fieldId: 'post-logout-redirect-uris', message: '“https://a.example/bye” is not a full web address: start it with https://' },
      { fieldId: 'backchannel-logout-uri', message: 'The back-channel logout URI must not have a fragment (#…)' },
      { fieldId: 'jwks', message: 'Key 1 must have a key type (“kty”) of EC, OKP or RSA' },
      { fieldId: 'minimum-acr', message: 'Select the minimum level of assurance' },
    ]);
  });

  it('puts the provider’s refusal of the whole registration on the field its metadata name names, or at the top', () => {
    expect(errorsFromIssues([{ path: '', message: 'invalid jwks: key 0 is not a valid EC key' }])).toEqual([
      { fieldId: 'jwks', message: 'Townhall ID refused this: invalid jwks: key 0 is not a valid EC key' },
    ]);
    expect(errorsFromIssues([{ path: '', message: 'client JSON Web Key Set is invalid' }])[0]?.fieldId).toBe('jwks');
    expect(errorsFromIssues([{ path: '', message: 'post_logout_redirect_uris must only contain web uris' }])[0]?.fieldId).toBe(
      'post-logout-redirect-uris',
    );
    expect(errorsFromIssues([{ path: '', message: 'something else is wrong' }])).toEqual([
      { fieldId: null, message: 'The service’s details were refused: something else is wrong' },
    ]);
    expect(errorsFromIssues([{ path: '(root)', message: 'Invalid input' }])[0]?.fieldId).toBeNull();
  });
});

describe('validateRegistration', () => {
  const answers = {
    ...emptyAnswers(),
    name: 'Parking permits',
    clientType: 'public' as const,
    minimumAcr: 'urn:townhall:acr:roll-poll-card' as const,
  };

  it('refuses redirect URIs on two hosts before sending them (pairwise identifiers are per host)', () => {
    const result = validateRegistration({ ...answers, redirectUris: 'https://parking.example/cb\nhttps://other.example/cb' });
    expect(result).toEqual({
      ok: false,
      errors: [{ fieldId: 'redirect-uris', message: 'All the redirect URIs must be on one host name' }],
    });
  });

  it('sends a public service’s answers as the protocol’s request, with the lines of a list trimmed and blank ones left out', () => {
    const result = validateRegistration({ ...answers, redirectUris: '  https://parking.example/cb \n\n', claims: ['address', 'name'] });
    expect(result).toEqual({
      ok: true,
      request: {
        name: 'Parking permits',
        redirectUris: ['https://parking.example/cb'],
        postLogoutRedirectUris: [],
        clientType: 'public',
        claims: ['name', 'address'],
        requiredClaims: [],
        minimumAcr: 'urn:townhall:acr:roll-poll-card',
        acceptsRepresentatives: false,
      },
    });
  });
});
