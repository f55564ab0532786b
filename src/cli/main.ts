// The only module that touches `process` (docs/design/engineering-rules.md).
import { ExitCode, ProblemsError } from '../errors'
import { invalidUtf8Offset } from '../input/utf8'
import type { Io } from '../io'
import { stoppedError } from '../pace'
import { run } from './program'

// The AWS SDK prints a multi-line Node-version notice on stderr the first time
// a client is created; on a failed run stderr is what Argo CD shows, so keep it
// to our own one-line problems unless the operator asks otherwise.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'

const controller = new AbortController()
// Argo CD sends SIGTERM to the process group when its deadline passes
// (docs/design/argocd-cmp-contract.md): abort in-flight calls and exit non-zero promptly.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    controller.abort(new Error(`received ${signal}`))
  })
}

const io: Io = {
  readStdin: async () => {
    const chunks: Buffer[] = []
    // A writer that never closes stdin must not outlive the deadline or
    // SIGTERM: on abort the stream is destroyed, which ends the loop with the
    // signal's reason.
    const stop = (): void => {
      process.stdin.destroy(controller.signal.reason as Error)
    }
    controller.signal.addEventListener('abort', stop, { once: true })
    try {
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    } catch (err) {
      if (controller.signal.aborted) throw stoppedError(controller.signal)
      throw err
    } finally {
      controller.signal.removeEventListener('abort', stop)
    }
    const bytes = Buffer.concat(chunks)
    const bad = invalidUtf8Offset(bytes)
    if (bad === -1) return bytes.toString('utf8')
    throw new ProblemsError([
      {
        code: 'INPUT_INVALID',
        message: `not valid UTF-8 (at byte ${String(bad)})`,
        location: { file: '<stdin>' },
      },
    ])
  },
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
}

// A reader that goes away early (`generate | head -c 10`) cut the output:
// that run failed, whatever it computed. Without the listener Node throws on
// EPIPE; the write callback below sees the same failure, whichever comes first.
function outputCut(err: NodeJS.ErrnoException): void {
  const code = err.code ?? 'write error'
  // EPIPE: the reader went away; anything else (ENOSPC on a full disk) is the write itself failing.
  const what =
    code === 'EPIPE'
      ? 'stdout was closed before all output was written'
      : 'not all output could be written to stdout'
  process.stderr.write(`error: IO_FAILED: ${what} (${code})\n`)
  process.exit(ExitCode.IO)
}
process.stdout.on('error', outputCut)

// Exit once stdout has drained: an SDK's keep-alive socket must not hold the
// process open after the work is done (Argo CD waits for the exit).
function exitAfterFlush(code: number): void {
  process.exitCode = code
  process.stdout.write('', (err) => {
    if (err === undefined || err === null) process.exit(code)
    else outputCut(err)
  })
}

run(process.argv.slice(2), io).then(
  (code) => {
    exitAfterFlush(code)
  },
  () => {
    // `run` reports its own failures; reaching here is a bug. Print nothing
    // that could hold a value.
    process.stderr.write(
      'error: INTERNAL: unexpected failure (this is a bug in argocd-secret-plugin)\n',
    )
    exitAfterFlush(ExitCode.INTERNAL)
  },
)
