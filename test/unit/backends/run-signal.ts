// Shared by the backend tests: a port call that hangs until the run's signal
// aborts, and the check that a backend words the deadline and SIGTERM apart.
import type { Lookup } from '../../../src/secrets/ref'

/** Resolves with `value` only when `signal` aborts (at once if it already has), as a hung server. */
export function untilAborted<T>(signal: AbortSignal, value: T): Promise<T> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(value)
    signal.addEventListener('abort', () => {
      resolve(value)
    })
  })
}

/**
 * Runs `lookupWith` once under a 20 ms deadline and once cancelled as by
 * SIGTERM, and expects TIMEOUT with `what` worded for each.
 */
export async function expectDeadlineAndSigterm(
  lookupWith: (signal: AbortSignal) => Promise<Lookup | undefined>,
  what: string,
): Promise<void> {
  expect(await lookupWith(AbortSignal.timeout(20))).toEqual({
    ok: false,
    failure: {
      code: 'TIMEOUT',
      message: `${what} did not finish before the run deadline (AVP_DEADLINE)`,
    },
  })
  const controller = new AbortController()
  const pending = lookupWith(controller.signal)
  controller.abort(new Error('SIGTERM'))
  expect(await pending).toEqual({
    ok: false,
    failure: { code: 'TIMEOUT', message: `${what} was cancelled: the plugin was asked to stop` },
  })
}
