/**
 * Ordering attacks on an election record: how often an observer who reads only the public record
 * names the right voter (pseudonym) for a ballot key from where the entries stand in the log
 * (docs/protocol/elections.md §5.1, docs/threat-model.md "Linking credentials to ballots").
 * The simulation knows the truth (which pseudonym holds which ballot key), so each attack's success
 * rate is measured, not argued.
 *
 * The attacks, each a simple rule an observer could apply to the record:
 * - `nearest-preceding`: the CredentialIssued entry just before the ballot key's first use;
 * - `nearest-preceding-unclaimed`: the same, skipping pseudonyms already given to an earlier key;
 * - `nearest-following`: the CredentialIssued entry just after the first use (a credential entry
 *   that is delayed lands after the ballot);
 * - `same-epoch`: CredentialIssued entries that stand together form an epoch; a key first used
 *   between two epochs is matched, in order, with the members of the next one (the k-th new key with
 *   the k-th member), which wins outright if the members kept their arrival order.
 * Ballots carry no district (the credential is blind), so a same-district rule has nothing to match
 * a ballot with: it cannot narrow an epoch further and is the same-epoch rule.
 */
import { decodeEntry } from '@townhall/ledger';

export interface RecordEntry {
  index: number;
  type: string;
  body: Record<string, unknown>;
}

export interface AttackOutcome {
  attack: 'nearest-preceding' | 'nearest-preceding-unclaimed' | 'nearest-following' | 'same-epoch';
  /** Ballot keys the attack named the right pseudonym for. */
  correct: number;
  ballotKeys: number;
  rate: number;
}

/** The election log's entries from a record file's text (its `entry` lines, record.md). */
export function recordEntries(recordText: string): RecordEntry[] {
  const entries: RecordEntry[] = [];
  for (const line of recordText.split('\n')) {
    if (!line.startsWith('{"kind":"entry"')) continue;
    const { index, bytes } = JSON.parse(line) as { index: string; bytes: string };
    const entry = decodeEntry(new Uint8Array(Buffer.from(bytes, 'base64')));
    entries.push({ index: Number(index), type: entry.type, body: entry.body as Record<string, unknown> });
  }
  return entries;
}

/** A ballot key's first use: its first BallotCast or BallotSpoiled entry. */
function firstUses(entries: readonly RecordEntry[]): { ballotPublicKey: string; position: number }[] {
  const seen = new Set<string>();
  const uses: { ballotPublicKey: string; position: number }[] = [];
  entries.forEach((entry, position) => {
    if (entry.type !== 'BallotCast' && entry.type !== 'BallotSpoiled') return;
    const key = (entry.body.credential as { ballotPublicKey?: string } | undefined)?.ballotPublicKey;
    if (!key || seen.has(key)) return;
    seen.add(key);
    uses.push({ ballotPublicKey: key, position });
  });
  return uses;
}

/**
 * Runs every attack. `truth` maps each ballot public key (hex) to the pseudonym of the voter who
 * holds it; only keys in `truth` are scored.
 */
export function linkageAttacks(entries: readonly RecordEntry[], truth: ReadonlyMap<string, string>): AttackOutcome[] {
  const pseudonymAt = (position: number) => (entries[position]?.type === 'CredentialIssued' ? (entries[position]!.body.pseudonym as string) : undefined);
  const credentialPositions = entries.flatMap((e, position) => (e.type === 'CredentialIssued' ? [position] : []));
  const uses = firstUses(entries).filter((u) => truth.has(u.ballotPublicKey));

  // Epochs: maximal runs of adjacent CredentialIssued entries.
  const epochs: number[][] = [];
  for (const position of credentialPositions) {
    const last = epochs.at(-1);
    if (last && last.at(-1) === position - 1) last.push(position);
    else epochs.push([position]);
  }

  const guesses: Record<AttackOutcome['attack'], (string | undefined)[]> = {
    'nearest-preceding': [],
    'nearest-preceding-unclaimed': [],
    'nearest-following': [],
    'same-epoch': [],
  };
  const claimed = new Set<string>();
  const rankInGap = new Map<number, number>();
  for (const use of uses) {
    const before = credentialPositions.filter((p) => p < use.position);
    guesses['nearest-preceding'].push(pseudonymAt(before.at(-1) ?? -1));
    const unclaimed = before.reverse().map(pseudonymAt).find((p) => p !== undefined && !claimed.has(p));
    if (unclaimed) claimed.add(unclaimed);
    guesses['nearest-preceding-unclaimed'].push(unclaimed);
    guesses['nearest-following'].push(pseudonymAt(credentialPositions.find((p) => p > use.position) ?? -1));
    const next = epochs.findIndex((epoch) => epoch[0]! > use.position);
    const rank = rankInGap.get(next) ?? 0;
    rankInGap.set(next, rank + 1);
    const epoch = epochs[next];
    guesses['same-epoch'].push(epoch ? pseudonymAt(epoch[Math.min(rank, epoch.length - 1)]!) : undefined);
  }

  return (Object.keys(guesses) as AttackOutcome['attack'][]).map((attack) => {
    const correct = uses.filter((use, i) => guesses[attack][i] === truth.get(use.ballotPublicKey)).length;
    return { attack, correct, ballotKeys: uses.length, rate: uses.length === 0 ? 0 : correct / uses.length };
  });
}

/** The attack that named the most voters. */
export function bestAttack(outcomes: readonly AttackOutcome[]): AttackOutcome {
  return outcomes.reduce((best, o) => (o.rate > best.rate ? o : best));
}
