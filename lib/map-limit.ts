// Bounded concurrency, for the tools (the audit, the inventory reading an account) and the runtime
// modules (the cost-monitoring library's DynamoDB batches) alike. Pure: no SDK, no I/O of its own.

/** Maps `items` through `fn` with at most `limit` calls in flight (at least one), keeping the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
