import { isRetryableCode, isRetryableStatus } from '../../../../src/backends/vault/errors'
import { VaultTransportError, type VaultResponse } from '../../../../src/backends/vault/port-types'
import { backoffMs, withRetries } from '../../../../src/backends/vault/retry'
import type { DebugEvent } from '../../../../src/log'

describe('classification', () => {
  test.each([
    [429, true],
    [412, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, false],
    [400, false],
    [403, false],
    [404, false],
    [200, false],
  ])('status %i retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable)
  })

  test.each([
    ['ECONNREFUSED', true],
    ['ECONNRESET', true],
    ['TIMEOUT', true],
    ['ETIMEDOUT', true],
    ['EAI_AGAIN', true],
    ['ABORTED', false],
    ['ENOTFOUND', false],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', false],
    ['UNKNOWN', false],
  ])('%s retryable: %s', (code, retryable) => {
    expect(isRetryableCode(code)).toBe(retryable)
  })
})

describe('withRetries', () => {
  const events: DebugEvent[] = []
  const options = (signal = new AbortController().signal) => ({
    maxAttempts: 4,
    signal,
    log: (e: DebugEvent) => events.push(e),
    what: 'reading secret/data/app',
    baseMs: 1,
    capMs: 4,
  })
  beforeEach(() => {
    events.length = 0
  })

  function scripted(...steps: (number | string)[]): {
    op: () => Promise<VaultResponse>
    calls: () => number
  } {
    let calls = 0
    return {
      op: () => {
        const step = steps[Math.min(calls++, steps.length - 1)]
        return typeof step === 'number'
          ? Promise.resolve({ status: step, body: {} })
          : Promise.reject(new VaultTransportError(step ?? 'UNKNOWN'))
      },
      calls: () => calls,
    }
  }

  test.each([[429], [500], [503], [412]])(
    'retries %i and returns the success that follows',
    async (status) => {
      const s = scripted(status, status, 200)
      await expect(withRetries(s.op, options())).resolves.toEqual({ status: 200, body: {} })
      expect(s.calls()).toBe(3)
      expect(events.filter((e) => e.kind === 'retry')).toHaveLength(2)
    },
  )

  test.each([[400], [403], [404]])('never retries %i', async (status) => {
    const s = scripted(status, 200)
    await expect(withRetries(s.op, options())).resolves.toEqual({ status, body: {} })
    expect(s.calls()).toBe(1)
  })

  test('gives up after maxAttempts and returns the last answer', async () => {
    const s = scripted(429)
    await expect(withRetries(s.op, options())).resolves.toEqual({ status: 429, body: {} })
    expect(s.calls()).toBe(4)
  })

  test('retries connection errors, then throws the last one', async () => {
    const s = scripted('ECONNREFUSED')
    await expect(withRetries(s.op, options())).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    expect(s.calls()).toBe(4)
  })

  test('does not retry a TLS failure', async () => {
    const s = scripted('SELF_SIGNED_CERT_IN_CHAIN', 200)
    await expect(withRetries(s.op, options())).rejects.toMatchObject({
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    })
    expect(s.calls()).toBe(1)
  })

  test('an abort during the backoff stops at once', async () => {
    const controller = new AbortController()
    const s = scripted(503)
    const pending = withRetries(s.op, {
      ...options(controller.signal),
      baseMs: 60_000,
      capMs: 60_000,
      random: () => 1,
    })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' })
  })

  test('backoff is full jitter under an exponential, capped ceiling', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, { random: () => 1 }))).toEqual([
      250, 500, 1000, 2000, 4000, 4000,
    ])
    expect(backoffMs(3, { random: () => 0 })).toBe(0)
    expect(backoffMs(2, { random: () => 0.5 })).toBe(250)
  })
})
