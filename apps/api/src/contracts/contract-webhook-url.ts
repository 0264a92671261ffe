import ipaddr from 'ipaddr.js';
import { MAX_WEBHOOK_URL_LENGTH } from '@townhall/protocol';
import { AppError } from '../common/app-error.ts';
import type { AppConfig } from '../config/config.ts';

/**
 * Where the deployment may send a contractor's webhook (docs/protocol/contracts.md §14.1). The URL is
 * a server-side request forgery vector: whoever registers it chooses where our server connects. So
 * only HTTPS to public addresses, except plain HTTP to this machine's loopback in development and
 * test (a receiver on the developer's machine). This is the check at registration, on the URL as
 * typed; every delivery checks again, after DNS resolution, the address it actually connects to
 * (contract-webhook-sender.ts), so a name that later resolves to a private address is refused too.
 */
export interface WebhookNetworkPolicy {
  /** This machine (`localhost`, 127.0.0.1, ::1) may be called: development and test only. */
  isLoopbackAllowed: boolean;
}

export function webhookNetworkPolicy(config: Pick<AppConfig, 'environment'>): WebhookNetworkPolicy {
  return { isLoopbackAllowed: config.environment !== 'production' };
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** ipaddr.js's names of address ranges, as a person reads them; any other range is "reserved". */
const RANGE_WORDS: Record<string, string> = {
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  carrierGradeNat: 'carrier-grade NAT',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
};

const invalid = (problem: string) =>
  new AppError('WEBHOOK_URL_INVALID', `The endpoint address ${problem}.`, { issues: [{ path: 'url', message: problem }] });

/**
 * The URL as it will be stored and called (WHATWG-normalised: `https://Example.COM:443/x` becomes
 * `https://example.com/x`), or WEBHOOK_URL_INVALID naming the problem. Addresses written in odd
 * forms (`0x7f.1`, `2130706433`) are normalised by the URL parser before they are judged.
 */
export function checkWebhookUrl(text: string, policy: WebhookNetworkPolicy): string {
  if (!URL.canParse(text)) throw invalid('is not a web address: it must start with https://');
  const url = new URL(text);
  const isLoopbackHost = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol === 'http:') {
    if (!(policy.isLoopbackAllowed && isLoopbackHost)) throw invalid('must start with https:// (plain http is allowed only to localhost on a development machine)');
  } else if (url.protocol !== 'https:') {
    throw invalid('must start with https://');
  }
  if (url.username !== '' || url.password !== '') throw invalid('must not contain a user name or password: authenticate our requests by their signature instead');
  if (url.hash !== '') throw invalid('must not have a # part: it is never sent');
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) throw invalid(`must be ${MAX_WEBHOOK_URL_LENGTH} characters or fewer`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.isValid(host)) {
    // ipaddr's ranges: anything but plain public unicast (private, loopback, link-local and so the cloud
    // metadata address 169.254.169.254, carrier-grade NAT, multicast, unique-local, IPv4 inside IPv6…).
    const range = ipaddr.process(host).range();
    if (range !== 'unicast' && !(policy.isLoopbackAllowed && isLoopbackHost)) {
      throw invalid(`is a ${RANGE_WORDS[range] ?? 'reserved'} address, which our server does not call: use an address on the internet`);
    }
  } else if (!policy.isLoopbackAllowed && (host === 'localhost' || host.endsWith('.localhost'))) {
    throw invalid('names this machine, which our server does not call: use an address on the internet');
  }
  return url.href;
}
