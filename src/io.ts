/**
 * The process boundary, injected so the CLI runs in-process in tests
 * (style guide B.1; yaml's `cli(stdin, done, argv)`). Only `cli/main.ts`
 * builds the real one from `process`.
 */
export interface Io {
  /** Reads all of stdin. */
  readonly readStdin: () => Promise<string>
  readonly stdout: (text: string) => void
  /** Everything written here goes through the run's redactor first. */
  readonly stderr: (text: string) => void
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** Aborted when the process receives SIGTERM or SIGINT (Argo CD's deadline, contracts.md §1.7). */
  readonly signal: AbortSignal
}
