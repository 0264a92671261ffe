import { startRegistration, type PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/browser';
import { RegistrationOptionsResponse, SessionResponse, type EnrolmentStartRequest } from '@townhall/protocol';
import { apiSend } from '@townhall/web-ui';

export type RegistrationOptions = RegistrationOptionsResponse['options'];

/** Checks the poll card (code + postcode or date of birth) and gets the passkey challenge. */
export async function startEnrolment(claim: EnrolmentStartRequest): Promise<RegistrationOptions> {
  return (await apiSend('POST', '/enrolment/start', claim, RegistrationOptionsResponse)).options;
}

/** Creates the passkey on this device (or a phone) and claims the roll entry; the browser is then signed in. */
export async function createPasskeyAndEnrol(options: RegistrationOptions): Promise<SessionResponse> {
  const response = await startRegistration({ optionsJSON: options as unknown as PublicKeyCredentialCreationOptionsJSON });
  return apiSend('POST', '/enrolment/finish', { response }, SessionResponse);
}
