/**
 * Go where the provider said next: back into it at /oidc/auth/…, from where it returns the person to
 * the service. A full page load, not the app's router: the next page is the provider's or the service's.
 * Anything but a web address (a `javascript:` URL) is refused rather than followed.
 */
export function leaveFor(redirectTo: string): void {
  const url = new URL(redirectTo, window.location.href);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`Refusing to go to a ${url.protocol} address`);
  window.location.assign(url.toString());
}
