// The only file that runs the `sops` binary. It runs as an argv array (no
// shell) with the run's signal, an allow-listed environment and stdin closed;
// the cleartext is read from its stdout and never touches disk.
import { execFile } from 'node:child_process'
import { findTool } from '../../render/find-tool'

export type SopsOutcome =
  | { readonly kind: 'ok'; readonly stdout: string }
  /** `stderr` is for classifying only (errors.ts); it is never printed. */
  | { readonly kind: 'failed'; readonly exitCode: number | undefined; readonly stderr: string }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'spawn-error'; readonly code: string }
  /** No `sops` on the sidecar's PATH. */
  | { readonly kind: 'missing' }

export interface SopsRun {
  /** Absolute path of the encrypted file (already confined to the repository). */
  readonly file: string
  readonly inputType: 'yaml' | 'json'
  readonly env: Readonly<Record<string, string>>
  readonly signal: AbortSignal
}

/** Our narrow view of sops: decrypt one file to JSON. Never rejects. */
export type SopsPort = (run: SopsRun) => Promise<SopsOutcome>

/** A secrets file is small; this bounds a hostile one. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024

/**
 * The port on the `sops` found on the sidecar's PATH (looked up once, on the
 * first file), run as `sops decrypt --input-type … --output-type json -- FILE`.
 */
export function createSopsPort(env: Readonly<Record<string, string | undefined>>): SopsPort {
  let finding: Promise<string | undefined> | undefined
  return async (run) => {
    finding ??= findTool('sops', env)
    const binary = await finding
    return binary === undefined ? { kind: 'missing' } : execSops(binary, run)
  }
}

function execSops(binary: string, run: SopsRun): Promise<SopsOutcome> {
  return new Promise((resolve) => {
    execFile(
      binary,
      ['decrypt', '--input-type', run.inputType, '--output-type', 'json', '--', run.file],
      {
        env: run.env,
        signal: run.signal,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ kind: 'ok', stdout })
          return
        }
        // Never the error's message: it quotes the command line and stderr.
        const { code } = error as { code?: unknown }
        if (run.signal.aborted) resolve({ kind: 'stopped' })
        else if (typeof code === 'string') resolve({ kind: 'spawn-error', code: safeCode(code) })
        else
          resolve({ kind: 'failed', exitCode: typeof code === 'number' ? code : undefined, stderr })
      },
    ).stdin?.end()
  })
}

function safeCode(code: string): string {
  return /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'unknown error'
}
