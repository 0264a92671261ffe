const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/London' });

/** "20 May 2026 at 13:05", in UK time (GOV.UK style writes dates in full). */
export function formatDateTime(iso: string): string {
  return dateTime.format(new Date(iso));
}
