import { describe, expect, it } from 'vitest';
import { AppError } from '../common/app-error.ts';
import { checkWebhookUrl, webhookNetworkPolicy } from './contract-webhook-url.ts';

const production = webhookNetworkPolicy({ environment: 'production' });
const development = webhookNetworkPolicy({ environment: 'development' });
const test = webhookNetworkPolicy({ environment: 'test' });

/** The refusal's code and the problem it names, or the URL as stored. */
function judge(url: string, policy = production): string {
  try {
    return checkWebhookUrl(url, policy);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('WEBHOOK_URL_INVALID');
    expect((error as AppError).status).toBe(422);
    return `refused: ${(error as AppError).details.issues![0]!.message}`;
  }
}

describe('checkWebhookUrl', () => {
  it('accepts an https address on the internet, normalised as it will be called', () => {
    expect(judge('https://hooks.example.com/townhall?team=7')).toBe('https://hooks.example.com/townhall?team=7');
    expect(judge('HTTPS://Hooks.Example.COM:443/x')).toBe('https://hooks.example.com/x');
    expect(judge('https://93.184.215.14:8443/in')).toBe('https://93.184.215.14:8443/in');
  });

  it('refuses what is not https, except http to this machine in development and test', () => {
    expect(judge('http://hooks.example.com/')).toMatch(/^refused: must start with https:\/\//);
    expect(judge('ftp://hooks.example.com/')).toMatch(/^refused: must start with https:\/\//);
    expect(judge('hooks.example.com/in')).toMatch(/^refused: is not a web address/);
    for (const host of ['localhost', '127.0.0.1', '[::1]']) {
      expect(judge(`http://${host}:8080/in`, production)).toMatch(/^refused: must start with https/);
      expect(judge(`http://${host}:8080/in`, development)).toBe(`http://${host}:8080/in`);
      expect(judge(`http://${host}:8080/in`, test)).toBe(`http://${host}:8080/in`);
    }
    // Plain http to another loopback address or name is still refused: only the three usual names.
    expect(judge('http://127.0.0.2/in', development)).toMatch(/^refused: must start with https/);
  });

  it('refuses credentials, a fragment and an address over the length limit', () => {
    expect(judge('https://user:pass@hooks.example.com/')).toMatch(/user name or password/);
    expect(judge('https://token@hooks.example.com/')).toMatch(/user name or password/);
    expect(judge('https://hooks.example.com/in#part')).toMatch(/# part/);
    const path = 'a'.repeat(2000 - 'https://hooks.example.com/'.length);
    expect(judge(`https://hooks.example.com/${path}`)).toBe(`https://hooks.example.com/${path}`);
    expect(judge(`https://hooks.example.com/${path}a`)).toMatch(/2000 characters or fewer/);
  });

  it('refuses private, loopback, link-local (metadata), unspecified and mapped addresses in any spelling', () => {
    const refused: Record<string, RegExp> = {
      'https://10.0.0.1/': /private address/,
      'https://192.168.1.20/': /private address/,
      'https://172.16.0.1/': /private address/,
      'https://169.254.169.254/latest/meta-data/': /link-local address/,
      'https://100.64.0.1/': /carrier-grade NAT address/,
      'https://0.0.0.0/': /unspecified address/,
      'https://127.0.0.1/': /loopback address/,
      'https://0x7f.1/': /loopback address/,
      'https://2130706433/': /loopback address/,
      'https://[::1]/': /loopback address/,
      'https://[fd00::1]/': /unique-local address/,
      'https://[fe80::1]/': /link-local address/,
      'https://[::ffff:10.0.0.1]/': /private address/,
      'https://[::ffff:169.254.169.254]/': /link-local address/,
      'https://192.0.2.1/': /reserved address/,
      'https://224.0.0.1/': /multicast address/,
      'https://localhost/': /names this machine/,
      'https://api.localhost/': /names this machine/,
    };
    for (const [url, problem] of Object.entries(refused)) expect(judge(url), url).toMatch(problem);
    // In development and test, loopback is allowed (a receiver on the developer's machine); the rest is not.
    expect(judge('https://127.0.0.1:9443/', test)).toBe('https://127.0.0.1:9443/');
    expect(judge('https://localhost/', development)).toBe('https://localhost/');
    expect(judge('https://10.0.0.1/', test)).toMatch(/private address/);
    expect(judge('https://169.254.169.254/', development)).toMatch(/link-local address/);
  });
});
