/**
 * "1 of 2 trustees needed has decrypted", "0 of 2 trustees needed have decrypted" (or "1 of the 2
 * trustees needed has decrypted"): the verb agrees with the number.
 */
export function trusteesDecrypted(done: number, needed: number | null, { withThe = false } = {}): string {
  return `${done} of ${withThe ? 'the ' : ''}${needed ?? '?'} trustees needed ${done === 1 ? 'has' : 'have'} decrypted`;
}

/** "1 ballot is counted", "6 ballots are counted". */
export function ballotsCounted(count: number | null): string {
  const n = count ?? 0;
  return n === 1 ? '1 ballot is counted' : `${n} ballots are counted`;
}
