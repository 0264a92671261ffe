import { ApiError } from './api-client.ts';

/** `sign`: the passkey signs something the person approves (a contract revision), not a sign-in. */
export type Ceremony = 'create' | 'sign-in' | 'sign';

/**
 * A message a person can act on for a failed passkey ceremony: either the browser's WebAuthn call
 * failed (a DOMException, or @simplewebauthn/browser's WebAuthnError, which keeps its name) or the
 * API refused the result. The API's messages are written for people, so they are shown as they are
 * except where the page can say more.
 */
export function describePasskeyProblem(error: unknown, ceremony: Ceremony): string {
  if (error instanceof ApiError) {
    switch (error.code) {
      case 'NETWORK_ERROR':
        return 'The service could not be reached. Check your connection and try again.';
      case 'INVALID_RESPONSE':
        return 'The service is not working at the moment. Try again later.';
      case 'RATE_LIMITED':
        return 'Too many requests were made from your connection. Wait a minute and try again.';
      case 'CHALLENGE_EXPIRED':
        return 'The passkey request took too long and has expired. Try again.';
      default:
        return error.message;
    }
  }
  const name = error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
      if (ceremony === 'create') return 'No passkey was created: the request was cancelled or it timed out. Try again when you are ready.';
      if (ceremony === 'sign') return 'Nothing was signed: the request was cancelled or it timed out, or this device has no passkey of your account. Try again, or use the device where you created your passkey.';
      return 'You have not been signed in: the request was cancelled or it timed out, or this device has no passkey for this service. Try again, or use the device where you created your passkey.';
    case 'InvalidStateError':
      return 'This device already has a passkey for your account. Use another device, such as your phone or another computer.';
    case 'NotSupportedError':
    case 'SecurityError':
      return 'This browser or device cannot use passkeys here. Use an up-to-date browser such as Chrome, Edge, Firefox or Safari.';
    case 'AbortError':
      return 'The passkey request was stopped. Try again.';
    default:
      return 'Something went wrong with your passkey. Try again.';
  }
}
