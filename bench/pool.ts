// Runs work items with at most `concurrency` in flight, as the Pulumi engine's step executor does
// with --parallel workers: a worker takes the next item as soon as its previous one finishes.

export interface PoolOutcome {
  seconds: number;
  errors: { item: string; message: string }[];
}

export async function runPool<T>(items: readonly T[], concurrency: number, name: (item: T) => string, work: (item: T) => Promise<unknown>): Promise<PoolOutcome> {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  const errors: PoolOutcome["errors"] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (err) {
        errors.push({ item: name(item), message: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { seconds: (performance.now() - started) / 1000, errors };
}
