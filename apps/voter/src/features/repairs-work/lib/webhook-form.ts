import { MAX_WEBHOOK_URL_LENGTH, type WebhookDelivery, type WebhookEventType } from '@townhall/protocol';
import { ApiError, type FieldError } from '@townhall/web-ui';

/** The endpoint address field (the register and the change forms each have one; never both at once). */
export const WEBHOOK_URL_ID = 'webhook-url';

/**
 * The address as typed, checked for what a person can fix at once; whether our server may call it
 * (https, not a private address) is the server's answer, WEBHOOK_URL_INVALID, shown on the same field.
 */
export function validateWebhookUrl(text: string): { ok: true; url: string } | { ok: false; error: FieldError } {
  const url = text.trim();
  const error = (message: string) => ({ ok: false as const, error: { fieldId: WEBHOOK_URL_ID, message } });
  if (url === '') return error('Enter the address of your endpoint');
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return error(`The address must be ${MAX_WEBHOOK_URL_LENGTH.toLocaleString('en-GB')} characters or fewer`);
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return error('Enter a web address that starts with https://, like https://hooks.example.com/townhall');
  return { ok: true, url };
}

/** The server's refusal of the address, on its field; null for any other failure (shown as a problem banner). */
export function urlErrorOf(failure: unknown): FieldError | null {
  if (!(failure instanceof ApiError)) return null;
  if (failure.code === 'WEBHOOK_URL_INVALID') return { fieldId: WEBHOOK_URL_ID, message: failure.message };
  const issue = failure.code === 'VALIDATION_FAILED' ? failure.issues.find((i) => i.path === 'url') : undefined;
  return issue ? { fieldId: WEBHOOK_URL_ID, message: `The address ${issue.message}` } : null;
}

export const WEBHOOK_EVENT_WORDS: Record<WebhookEventType, string> = {
  'order.triaged': 'New work order',
  'order.rejected': 'Work rejected',
  'order.confirmed': 'Work confirmed',
};

/** A delivery's state as a tag: sent, waiting for its first attempt (or for the webhook to be resumed), retrying, given up. */
export function deliveryTag(delivery: WebhookDelivery, isPaused: boolean): { text: string; className: string } {
  if (delivery.status === 'delivered') return { text: 'Delivered', className: 'govuk-tag--green' };
  if (delivery.status === 'failed') return { text: 'Failed', className: 'govuk-tag--red' };
  if (isPaused) return { text: 'Held', className: 'govuk-tag--grey' };
  return delivery.attempts === 0 ? { text: 'Sending', className: 'govuk-tag--blue' } : { text: 'Retrying', className: 'govuk-tag--yellow' };
}
