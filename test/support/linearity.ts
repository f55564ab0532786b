/**
 * How much longer `work` takes each time its input doubles: about 2 for
 * linear work, about 4 for quadratic. Measured across a fourfold size step
 * (the per-doubling factor is the square root), each size timed a few times
 * with the fastest run kept, which filters out garbage collection. The time
 * is this process's CPU time, not the wall clock: on a busy machine other
 * processes stretch the wall clock, not our CPU time. The input is built
 * outside the timing.
 */
export function linearityRatio<T>(
  make: (size: number) => T,
  work: (input: T) => unknown,
  size: number,
  runs = 5,
): number {
  const small = fastest(make(size), work, runs)
  const large = fastest(make(size * 4), work, runs)
  // Below a millisecond, timer resolution dominates: treat it as a millisecond.
  return Math.sqrt(Math.max(large, 1) / Math.max(small, 1))
}

function fastest<T>(input: T, work: (input: T) => unknown, runs: number): number {
  let best = Infinity
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage()
    work(input)
    const used = process.cpuUsage(start)
    best = Math.min(best, (used.user + used.system) / 1000)
  }
  return best
}
