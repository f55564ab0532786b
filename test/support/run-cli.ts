import { spawn } from 'node:child_process'
import path from 'node:path'

/** The built CLI that integration tests run, exactly as Argo CD would. */
export const CLI_PATH = path.resolve(__dirname, '../../dist/cli.cjs')

export interface CliResult {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

export interface CliOptions {
  readonly cwd?: string
  /** The complete environment: nothing is inherited unless passed here (see `baseEnv`). */
  readonly env?: Readonly<Record<string, string | undefined>>
  readonly stdin?: string
  readonly timeoutMs?: number
  /** Another build of the CLI (default `CLI_PATH`). */
  readonly cliPath?: string
}

/**
 * A minimal environment for the CLI: PATH (so helm/kustomize resolve) and
 * HOME, plus the loopback-only AWS safety switches. No credential of the
 * developer's shell leaks into a test.
 */
export function baseEnv(
  extra: Readonly<Record<string, string | undefined>> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: process.env['HOME'] ?? '/tmp',
    AWS_EC2_METADATA_DISABLED: 'true',
    LANG: 'C.UTF-8',
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v
  return env
}

/** Runs `node dist/cli.cjs ...args` and collects its output. Stdin is closed unless given. */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.cliPath ?? CLI_PATH, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: options.env ?? baseEnv(),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    // A command that reads no stdin may exit before the write lands: the pipe
    // then breaks (EPIPE), which says nothing about the run. Any other error is real.
    child.stdin.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') reject(error)
    })
    child.stdin.end(options.stdin ?? '')
  })
}
