// Runs work items with at most `concurrency` in flight, as the Pulumi engine's step executor does
// with --parallel workers: a worker takes the next item as soon as its previous one finishes.

export interface PoolOutcome {
  seconds: number;
  errors: { item: string; message: string }[];
}

/** Runs `work` over `items`, at most `concurrency` at once; a failure rejects, as Promise.all does. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** pool() that keeps going past failures, collecting them by item name, and times the whole run. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  name: (item: T) => string,
  work: (item: T) => Promise<unknown>,
): Promise<PoolOutcome> {
  const errors: PoolOutcome["errors"] = [];
  const started = performance.now();
  await pool(items, concurrency, async (item) => {
    try {
      await work(item);
    } catch (err) {
      errors.push({ item: name(item), message: err instanceof Error ? err.message : String(err) });
    }
  });
  return { seconds: (performance.now() - started) / 1000, errors };
}
