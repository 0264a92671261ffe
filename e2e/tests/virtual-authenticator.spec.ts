import { expect, test } from '../support/fixtures.ts';

// Checks the helper the identity tests will use: a passkey made in the page lands in the virtual
// authenticator as a discoverable credential for this origin's relying-party id.
test('the virtual authenticator creates a discoverable, user-verified passkey', async ({
  page,
  virtualAuthenticator,
}) => {
  await page.goto('/');
  const created = await page.evaluate(async () => {
    const credential = (await navigator.credentials.create({
      publicKey: {
        challenge: crypto.getRandomValues(new Uint8Array(32)),
        rp: { name: 'Townhall e2e' },
        user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'elector', displayName: 'Elector' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      },
    })) as PublicKeyCredential | null;
    return { type: credential?.type, id: credential?.id };
  });
  expect(created.type).toBe('public-key');

  const stored = await virtualAuthenticator.credentials();
  expect(stored).toHaveLength(1);
  expect(stored[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });

  await virtualAuthenticator.setUserVerified(false);
  const refused = await page.evaluate(async () => {
    try {
      await navigator.credentials.get({
        publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), userVerification: 'required' },
      });
      return 'signed in';
    } catch (error) {
      return (error as DOMException).name;
    }
  });
  expect(refused).toBe('NotAllowedError');
});
