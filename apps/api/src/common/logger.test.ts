import { describe, expect, it } from 'vitest';
import { redactUrl } from './logger.ts';

describe('redactUrl', () => {
  it('keeps invitation tokens, elector numbers and searched names out of request logs', () => {
    const token = 'Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbiBwbGVhc2U';
    expect(redactUrl(`/api/staff/invitations/${token}`)).toBe('/api/staff/invitations/[redacted]');
    expect(redactUrl(`/api/staff/invitations/${token}/finish?page=1`)).toBe('/api/staff/invitations/[redacted]/finish?page=1');
    expect(redactUrl('/api/roll/electors/CAS-0001/reissue-card')).toBe('/api/roll/electors/[elector]/reissue-card');
    expect(redactUrl('/api/roll/electors?district=CAS&q=Patel&page=2')).toBe('/api/roll/electors?district=CAS&q=[redacted]&page=2');
  });

  it('redacts the apps\' pages too: an invitation link, a poll card link, an elector\'s page, a search', () => {
    const token = 'Q2hhbmdlIG1lIHRvIGEgcmVhbCB0b2tlbiBwbGVhc2U';
    expect(redactUrl(`/official/invite/${token}`)).toBe('/official/invite/[redacted]');
    expect(redactUrl(`/OFFICIAL/Invite/${token}?x=1`)).toBe('/OFFICIAL/Invite/[redacted]?x=[redacted]');
    expect(redactUrl(`/api/staff%2Finvitations%2F${token}`)).toBe('/api/staff%2Finvitations%2F[redacted]');
    expect(redactUrl('/enrol?code=ABCD-EFGH-JKMN-PQRS')).toBe('/enrol?code=[redacted]');
    expect(redactUrl('/enrol/check?code=ABCDEFGHJKMNPQRS&page=2')).toBe('/enrol/check?code=[redacted]&page=2');
    expect(redactUrl('/enrol?ABCD-EFGH-JKMN-PQRS')).toBe('/enrol?[redacted]');
    expect(redactUrl('/official/roll/electors/CAS-0001/reissue')).toBe('/official/roll/electors/[elector]/reissue');
    expect(redactUrl('/official/roll/electors?district=CAS&q=Patel')).toBe('/official/roll/electors?district=CAS&q=[redacted]');
    // A public parameter keeps only a plain value.
    expect(redactUrl('/api/ledger/registry/entries?start=0?code=ABCD-EFGH-JKMN-PQRS')).toBe('/api/ledger/registry/entries?start=[redacted]');
    expect(redactUrl(`Cannot GET /api/staff/invitations/${token}/nope?code=X`)).toBe('Cannot GET /api/staff/invitations/[redacted]/nope?code=[redacted]');
  });

  it('leaves every other URL as it is', () => {
    for (const url of ['/api/staff/invitations', '/api/elections/1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b/ballots/00ff', '/api/ledger/registry/entries?start=0&end=1', '/official/staff/actions?page=3', '/enrol', '/verify/']) {
      expect(redactUrl(url)).toBe(url);
    }
  });
});
