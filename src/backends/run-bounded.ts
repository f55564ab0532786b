/**
 * Runs `task` over `items` with at most `limit` tasks in flight, in order of
 * `items`, and resolves when all have settled. Tasks report their own
 * failures; a rejection here is a bug and propagates.
 */
export async function runBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T
      await task(item)
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker)
  await Promise.all(workers)
}
