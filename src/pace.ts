import { setImmediate as nextTurn } from 'node:timers/promises'
import { ExitCode, ProblemsError } from './errors'

/**
 * Keeps CPU-bound work (parsing, walking, printing thousands of documents)
 * inside the run's deadline and responsive to SIGTERM. Work calls `step()`
 * between documents: every few milliseconds it gives the event loop a turn,
 * so a SIGTERM handler or the deadline timer can fire, then stops the run if
 * either has. Without it a 19 MB input ran to the end and printed its output
 * after Argo CD had asked the plugin to stop.
 */
export interface Pace {
  /** `yieldNow` gives the event loop a turn whatever the time since the last one. */
  step(yieldNow?: boolean): Promise<void>
}

/** How long work runs between two turns of the event loop. */
const SLICE_MS = 20

/** A pace for one run: stops when `signal` aborts or `deadlineAt` (epoch ms) passes. */
export function paceFor(signal: AbortSignal, deadlineAt: number): Pace {
  let sliceStart = Date.now()
  return {
    async step(yieldNow = false) {
      if (yieldNow || Date.now() - sliceStart >= SLICE_MS) {
        await nextTurn()
        sliceStart = Date.now()
      }
      if (signal.aborted || Date.now() >= deadlineAt) throw stoppedError(signal)
    },
  }
}

/** The one problem a stopped run reports. */
export function stoppedError(signal: AbortSignal): ProblemsError {
  const reason: unknown = signal.reason
  const name = typeof reason === 'object' && reason !== null && 'name' in reason ? reason.name : ''
  const message =
    signal.aborted && name !== 'TimeoutError'
      ? 'the plugin was asked to stop (SIGTERM or SIGINT)'
      : 'the run did not finish before its deadline (AVP_DEADLINE)'
  return new ProblemsError([{ code: 'TIMEOUT', message }], ExitCode.STOPPED)
}
