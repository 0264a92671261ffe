/**
 * Calls `body` for every item with at most `concurrency` calls in flight; the first failure stops
 * handing out new items and is thrown once the calls in flight have settled.
 */
export async function forEachConcurrently<T>(items: readonly T[], concurrency: number, body: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (!failure && next < items.length) {
      const index = next++;
      try {
        await body(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failure) throw failure.error;
}
