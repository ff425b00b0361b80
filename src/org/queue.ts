/**
 * The account job queue: runs `work` for every item with at most `concurrency` at once and stops
 * starting new ones once `signal` aborts. `work` settles its own item (records a failure as a
 * result), so one account's failure never stops the others; a `work` that throws is a bug and
 * rejects the run rather than losing the item silently.
 */
export interface QueueOutcome<I> {
  /** Items whose job never started because the run was interrupted. */
  notStarted: I[];
}

export async function runQueue<I>(
  items: readonly I[],
  concurrency: number,
  work: (item: I) => Promise<void>,
  signal?: AbortSignal,
): Promise<QueueOutcome<I>> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++] as I;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return { notStarted: items.slice(next) };
}
