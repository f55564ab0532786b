// The only module that touches `process` (docs/design/engineering-rules.md).
import { ExitCode } from '../errors'
import type { Io } from '../io'
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
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  },
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
}

// Exit once stdout has drained: an SDK's keep-alive socket must not hold the
// process open after the work is done (Argo CD waits for the exit).
function exitAfterFlush(code: number): void {
  process.exitCode = code
  process.stdout.write('', () => process.exit(code))
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
