import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.ts';

describe('redactUrl', () => {
  it('keeps invitation tokens, elector numbers and searched names out of request logs', () => {
    const token = 'Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbiBwbGVhc2U';
    expect(redactUrl(`/api/staff/invitations/${token}`)).toBe('/api/staff/invitations/[redacted]');
    expect(redactUrl(`/api/staff/invitations/${token}/finish?x=1`)).toBe('/api/staff/invitations/[redacted]/finish?x=1');
    expect(redactUrl('/api/roll/electors/CAS-0001/reissue-card')).toBe('/api/roll/electors/[elector]/reissue-card');
    expect(redactUrl('/api/roll/electors?district=CAS&q=Patel&page=2')).toBe('/api/roll/electors?district=CAS&q=[redacted]&page=2');
  });

  it('leaves every other URL as it is', () => {
    for (const url of ['/api/staff/invitations', '/api/elections/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b/ballots/00ff', '/api/ledger/registry/entries?start=0&end=1']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});
