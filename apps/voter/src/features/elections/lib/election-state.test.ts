import { describe, expect, it } from 'vitest';
import { describeElectionState, electionHref, PHASE_TAG, residentPhase } from './election-state.ts';

const times = { opensAt: '2027-01-01T09:00:00.000Z', closesAt: '2027-01-06T18:00:00.000Z', closedAt: null };

describe('an election’s state in words, as residents meet it', () => {
  it('says when voting opens, until when it is open, and that the votes are counted or the result published', () => {
    expect(describeElectionState({ ...times, status: 'ready' })).toBe('Voting opens on 1 January 2027 at 09:00 and closes on 6 January 2027 at 18:00');
    expect(describeElectionState({ ...times, status: 'key-ceremony' })).toMatch(/^Voting opens on/);
    expect(describeElectionState({ ...times, status: 'open' })).toBe('Open for voting until 6 January 2027 at 18:00');
    const closed = { ...times, closedAt: '2027-01-06T18:00:00.000Z' };
    expect(describeElectionState({ ...closed, status: 'closed' })).toBe('Voting closed on 6 January 2027 at 18:00. The votes are being counted');
    expect(describeElectionState({ ...closed, status: 'tallied' })).toBe('Voting closed on 6 January 2027 at 18:00. The votes are being counted');
    expect(describeElectionState({ ...closed, status: 'published' })).toBe('Voting closed on 6 January 2027 at 18:00. The result is published');
    expect(describeElectionState({ ...times, status: 'halted' })).toBe('This election was stopped before voting opened');
  });

  it('gives the time an election actually closed, not its scheduled close, when an official closed it early', () => {
    const early = { ...times, closedAt: '2027-01-03T14:30:00.000Z' };
    expect(describeElectionState({ ...early, status: 'published' })).toBe('Voting closed early, on 3 January 2027 at 14:30. The result is published');
    expect(describeElectionState({ ...early, status: 'closed' })).not.toContain('6 January');
  });

  it('tags each phase and leads to the ballot only while the election is open', () => {
    expect(['ready', 'open', 'closed', 'tallied', 'published', 'halted'].map((s) => PHASE_TAG[residentPhase(s as 'open')].text)).toEqual([
      'Upcoming',
      'Open',
      'Closed — counting',
      'Closed — counting',
      'Result published',
      'Stopped',
    ]);
    expect(electionHref({ id: 'e1', status: 'open' })).toBe('/elections/e1/vote');
    expect(electionHref({ id: 'e1', status: 'published' })).toBe('/elections/e1');
    expect(electionHref({ id: 'e1', status: 'ready' })).toBe('/elections/e1');
  });
});
