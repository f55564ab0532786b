import { runBounded } from '../../../src/backends/run-bounded'

describe('runBounded', () => {
  test('never runs more than the limit at once and runs every item once', async () => {
    let inFlight = 0
    let peak = 0
    const seen: number[] = []
    await runBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++
      peak = Math.max(peak, inFlight)
      await new Promise((r) => setTimeout(r, 5))
      seen.push(n)
      inFlight--
    })
    expect(peak).toBe(3)
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  test('an empty list resolves at once', async () => {
    const task = jest.fn(() => Promise.resolve())
    await runBounded([], 4, task)
    expect(task).not.toHaveBeenCalled()
  })
})
