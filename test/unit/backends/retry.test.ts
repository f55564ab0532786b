import { retryAfterMs, retrying } from '../../../src/backends/retry'
import type { DebugEvent } from '../../../src/log'

const policy = (signal: AbortSignal) => {
  const events: DebugEvent[] = []
  return {
    events,
    options: {
      maxAttempts: 3,
      signal,
      log: (e: DebugEvent) => events.push(e),
      what: 'get x',
      baseMs: 1,
      capMs: 2,
    },
  }
}

test('retries while the judge asks, up to maxAttempts, and returns the last outcome', async () => {
  const { events, options } = policy(new AbortController().signal)
  let calls = 0
  const out = await retrying(
    () => Promise.resolve(++calls),
    (n) => (n < 10 ? { retry: true, reason: `n=${String(n)}` } : { retry: false }),
    options,
  )
  expect(out).toEqual({ result: 3, attempts: 3 })
  expect(events.map((e) => (e.kind === 'retry' ? e.reason : ''))).toEqual(['n=1', 'n=2'])
})

test('stops as soon as the judge keeps an outcome', async () => {
  const { options } = policy(new AbortController().signal)
  let calls = 0
  const out = await retrying(
    () => Promise.resolve(++calls),
    (n) => (n < 2 ? { retry: true, reason: 'again' } : { retry: false }),
    options,
  )
  expect(out).toEqual({ result: 2, attempts: 2 })
})

test('an abort during the pause ends the loop at once with the last outcome', async () => {
  const controller = new AbortController()
  const { options } = policy(controller.signal)
  let calls = 0
  const started = Date.now()
  const pending = retrying(
    () => Promise.resolve(++calls),
    () => ({ retry: true, reason: 'slow down', afterMs: 60_000 }),
    { ...options, capMs: 60_000 },
  )
  setTimeout(() => {
    controller.abort()
  }, 20)
  expect(await pending).toEqual({ result: 1, attempts: 1 })
  expect(Date.now() - started).toBeLessThan(1000)
})

test('Retry-After in seconds; anything else is ignored', () => {
  expect(retryAfterMs('2')).toBe(2000)
  expect(retryAfterMs(' 0 ')).toBe(0)
  expect(retryAfterMs('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined()
  expect(retryAfterMs(undefined)).toBeUndefined()
  expect(retryAfterMs(null)).toBeUndefined()
})
