import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { RenderError } from '../errors'
import { invalidUtf8Offset } from '../input/utf8'
import { stderrTail } from './stderr-tail'
import { feedInput, type ToolInput } from './tool-input'

/** One run of a render tool (helm, kustomize, kubectl). */
export interface ToolRun {
  /** Absolute path of the binary (see find-tool.ts). */
  readonly file: string
  readonly args: readonly string[]
  /** Names the step in messages, e.g. `helm template`. */
  readonly label: string
  readonly cwd: string
  /** The complete environment: build it with `toolEnv` (allow-list, no credentials). */
  readonly env: Readonly<Record<string, string>>
  readonly signal: AbortSignal
  /** Epoch ms by which the tool must have finished. */
  readonly deadlineAt: number
  readonly maxStdoutBytes?: number
  /** Applied to stderr before it is quoted, e.g. to name a temp file by its source. */
  readonly rewriteStderr?: (text: string) => string
  /** Data the tool reads from stdin or FIFOs, written while it runs (tool-input.ts). */
  readonly input?: ToolInput
}

/** Argo CD's default gRPC limit bounds the whole manifest response (docs/design/argocd-cmp-contract.md). */
export const MAX_STDOUT_BYTES = 100 * 1024 * 1024
/** Argo CD waits 5 s between SIGTERM and SIGKILL (docs/design/argocd-cmp-contract.md); we wait less. */
const KILL_GRACE_MS = 2000
const STDERR_KEEP_BYTES = 16 * 1024

type Stop = 'timeout' | 'cancelled' | 'overflow'

/**
 * Runs a tool as an argv array (never a shell), with an empty stdin unless
 * `input` feeds it, in its own process group so a timeout can stop it and
 * everything it started (helm plugins, kustomize's helm). Resolves with stdout; any failure rejects with a
 * one-line `RenderError` quoting the tail of stderr.
 */
export function runTool(run: ToolRun): Promise<string> {
  return new Promise((resolve, reject) => {
    const remaining = run.deadlineAt - Date.now()
    if (run.signal.aborted || remaining <= 0) {
      reject(stopError(run, run.signal.aborted ? stopOf(run.signal) : 'timeout'))
      return
    }
    const child = spawn(run.file, [...run.args], {
      cwd: run.cwd,
      env: run.env,
      stdio: 'pipe',
      detached: true,
    })
    const feeding = feedInput(child.stdin, run.input ?? {})
    const chunks: Buffer[] = []
    let outBytes = 0
    let errBuf = Buffer.alloc(0)
    let stop: Stop | undefined
    let settled = false
    const timers: NodeJS.Timeout[] = []

    const kill = (reason: Stop): void => {
      if (stop !== undefined) return
      stop = reason
      killGroup(child, 'SIGTERM')
      timers.push(
        setTimeout(() => {
          killGroup(child, 'SIGKILL')
        }, KILL_GRACE_MS),
      )
    }
    const onAbort = (): void => {
      kill(stopOf(run.signal))
    }
    const finish = (error: RenderError | undefined): void => {
      if (settled) return
      settled = true
      for (const t of timers) clearTimeout(t)
      feeding.stop()
      // Whatever of a stopped tool's group is still alive goes now.
      if (stop !== undefined) killGroup(child, 'SIGKILL')
      run.signal.removeEventListener('abort', onAbort)
      liveChildren.delete(child)
      if (error !== undefined) {
        reject(error)
        return
      }
      const out = Buffer.concat(chunks)
      const bad = invalidUtf8Offset(out)
      if (bad === -1) resolve(out.toString('utf8'))
      else
        reject(
          new RenderError(`${run.label} printed bytes that are not UTF-8 (at byte ${String(bad)})`),
        )
    }

    liveChildren.add(child)
    ensureExitHook()
    run.signal.addEventListener('abort', onAbort, { once: true })
    timers.push(
      setTimeout(() => {
        kill('timeout')
      }, remaining),
    )
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length
      if (outBytes > (run.maxStdoutBytes ?? MAX_STDOUT_BYTES)) kill('overflow')
      else if (stop === undefined) chunks.push(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      errBuf = Buffer.concat([errBuf, chunk])
      if (errBuf.length > STDERR_KEEP_BYTES) errBuf = errBuf.subarray(-STDERR_KEEP_BYTES)
    })
    child.on('error', (err: NodeJS.ErrnoException) => {
      finish(spawnError(run, err.code))
    })
    child.on('exit', () => {
      // A grandchild that left the group could hold the pipes open forever.
      timers.push(
        setTimeout(() => {
          destroyPipes(child)
        }, 1000),
      )
    })
    child.on('close', (code, signal) => {
      if (stop !== undefined) {
        finish(stopError(run, stop))
        return
      }
      if (code === 0) {
        finish(undefined)
        return
      }
      const tail = stderrTail(errBuf.toString('utf8'), run.rewriteStderr)
      const how =
        code === null ? `was killed by ${String(signal)}` : `failed with exit code ${String(code)}`
      finish(
        new RenderError(`${run.label} ${how}${tail === '' ? ' (no error output)' : `: ${tail}`}`),
      )
    })
  })
}

function stopOf(signal: AbortSignal): Stop {
  const reason: unknown = signal.reason
  // AbortSignal.timeout() aborts with a DOMException, which is not an Error in every realm.
  const name = typeof reason === 'object' && reason !== null && 'name' in reason ? reason.name : ''
  return name === 'TimeoutError' ? 'timeout' : 'cancelled'
}

function stopError(run: ToolRun, stop: Stop): RenderError {
  switch (stop) {
    case 'timeout':
      return new RenderError(
        `${run.label} did not finish before the run deadline (AVP_DEADLINE) and was stopped`,
      )
    case 'cancelled':
      return new RenderError(`${run.label} was cancelled: the plugin was asked to stop`)
    case 'overflow':
      return new RenderError(
        `${run.label} printed more than ${String((run.maxStdoutBytes ?? MAX_STDOUT_BYTES) / 1048576)} MiB (Argo CD's message size limit) and was stopped`,
      )
  }
}

function spawnError(run: ToolRun, code: string | undefined): RenderError {
  const name = path.basename(run.file)
  if (code === 'ENOENT') return new RenderError(`${name} is not installed or not on PATH`)
  if (code === 'EACCES') return new RenderError(`${name} (${run.file}) is not executable`)
  return new RenderError(`${run.label} could not be started (${code ?? 'unknown error'})`)
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is already gone.
  }
}

function destroyPipes(child: ChildProcess): void {
  child.stdout?.destroy()
  child.stderr?.destroy()
}

/**
 * Children run in their own process group, so Argo CD's SIGTERM to our group
 * does not reach them. The CLI aborts its signal on SIGTERM (which stops them
 * above); this hook is the backstop if the process exits first.
 */
const liveChildren = new Set<ChildProcess>()
let exitHookInstalled = false

function ensureExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const child of liveChildren) killGroup(child, 'SIGKILL')
  })
}
