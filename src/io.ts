/**
 * The process boundary, injected so the CLI runs in-process in tests
 * (docs/design/engineering-rules.md; yaml's `cli(stdin, done, argv)`). Only `cli/main.ts`
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
  /** Aborted when the process receives SIGTERM or SIGINT (Argo CD's deadline, docs/design/argocd-cmp-contract.md). */
  readonly signal: AbortSignal
}
