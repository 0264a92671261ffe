import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ELECTION_PHASE_ENTRIES, ELECTION_TRANSITIONS } from './election-lifecycle.ts';
import { ElectionEntryBodies, ElectionStatus } from './elections.ts';

const transitions = Object.values(ELECTION_TRANSITIONS);

/**
 * The groups of entry types of an election log in order (elections.md §1), read off the table: from
 * `draft`, each status's own entries, then those of the transition that appends the next step.
 */
function logOrder(): { entries: readonly string[]; once: boolean }[] {
  const groups: { entries: readonly string[]; once: boolean }[] = [{ entries: ['LogCreated'], once: true }];
  for (let status: ElectionStatus = 'draft'; ; ) {
    const own: readonly string[] = ELECTION_PHASE_ENTRIES[status as keyof typeof ELECTION_PHASE_ENTRIES] ?? [];
    if (own.length > 0) groups.push({ entries: own, once: false });
    const next = transitions.find((t) => t.from === status && t.entries.length > 0);
    if (!next) return groups;
    groups.push({ entries: next.entries, once: true });
    status = next.to;
  }
}

describe('the election lifecycle table (elections.md §3)', () => {
  it('reaches every status from draft, and ends only in halted or published', () => {
    const reached = new Set<ElectionStatus>(['draft']);
    for (let grew = true; grew; ) {
      const before = reached.size;
      for (const t of transitions) if (reached.has(t.from)) reached.add(t.to);
      grew = reached.size > before;
    }
    expect([...reached].sort()).toEqual([...ElectionStatus.options].sort());
    const final = ElectionStatus.options.filter((status) => !transitions.some((t) => t.from === status));
    expect(final).toEqual(['halted', 'published']);
  });

  it('places every election entry type exactly once', () => {
    const placed = logOrder().flatMap((g) => g.entries).filter((type) => type !== 'LogCreated');
    expect([...placed].sort()).toEqual(Object.keys(ElectionEntryBodies).sort());
  });
});

/**
 * packages/verifier is a second implementation from the spec and keeps its own order (`RANK`, and
 * `ONCE` for the entries a log holds at most once); it must not import this table, so its source is
 * read instead.
 */
describe('the verifier’s election log order agrees with the lifecycle table', () => {
  const source = readFileSync(new URL('../../verifier/src/verify-election.ts', import.meta.url), 'utf8');
  const rankLiteral = /const RANK: Record<string, number> = \{([^}]*)\};/.exec(source)?.[1];
  const onceLiteral = /const ONCE = new Set\(\[([^\]]*)\]\);/.exec(source)?.[1];
  const rank = new Map([...(rankLiteral ?? '').matchAll(/(\w+): (\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  const once = new Set([...(onceLiteral ?? '').matchAll(/'(\w+)'/g)].map((m) => m[1]!));

  it('finds the verifier’s tables', () => {
    expect(rank.size).toBeGreaterThan(10);
    expect(once.size).toBeGreaterThan(5);
  });

  it('ranks the same entry types, rising from each group of the table to the next', () => {
    const groups = logOrder();
    expect([...rank.keys()].sort()).toEqual(groups.flatMap((g) => g.entries).sort());
    const ranks = groups.map((g) => g.entries.map((type) => rank.get(type)!));
    for (const [i, group] of ranks.entries()) {
      // A transition's entries are appended together, in the table's order.
      if (groups[i]!.once) expect(group).toEqual([...group].sort((a, b) => a - b));
      if (i > 0) expect(Math.min(...group)).toBeGreaterThan(Math.max(...ranks[i - 1]!));
    }
  });

  it('allows once exactly the entries of LogCreated and of the transitions', () => {
    expect([...once].sort()).toEqual(logOrder().filter((g) => g.once).flatMap((g) => g.entries).sort());
  });
});
