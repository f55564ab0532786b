import {
  CmpError,
  ConfigError,
  ExitCode,
  formatProblem,
  ProblemsError,
  type Problem,
} from '../errors'

/**
 * A failed login or an unreachable backend fails every placeholder the same
 * way; thousands of identical lines would bury the cause in Argo CD's UI.
 * Past this many places, one error is shown with a count of the rest.
 */
const SAME_ERROR_SHOWN = 3

/**
 * Turns whatever stopped a run into stderr lines and an exit code. Only this
 * function and `main.ts` decide exit codes (style guide B.3). Every line is
 * one problem; the usage text is never dumped (AVP users' complaint, §1.3).
 */
export function reportFailure(error: unknown): {
  readonly lines: string[]
  readonly exitCode: number
} {
  if (error instanceof ProblemsError) {
    const lines = collapseRepeats(error.problems)
    lines.push(
      `argocd-secret-plugin: ${String(error.problems.length)} problem(s); nothing was written to stdout`,
    )
    return { lines, exitCode: error.exitCode }
  }
  if (error instanceof ConfigError) {
    return {
      lines: error.issues.map((issue) => `error: CONFIG_INVALID: ${issue}`),
      exitCode: error.exitCode,
    }
  }
  if (error instanceof CmpError) {
    return { lines: [`error: ${error.code}: ${error.message}`], exitCode: error.exitCode }
  }
  // Not one of ours: a bug. Its message may quote anything, so it goes out
  // only through the redactor (applied by the caller) and without a stack.
  const what = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'
  return {
    lines: [
      `error: INTERNAL: ${what.split('\n')[0] ?? ''} (this is a bug in argocd-secret-plugin)`,
    ],
    exitCode: ExitCode.INTERNAL,
  }
}

/** Formats problems one per line, keeping at most SAME_ERROR_SHOWN places per identical error. */
function collapseRepeats(problems: readonly Problem[]): string[] {
  const seen = new Map<string, number>()
  const lines: string[] = []
  for (const problem of problems) {
    const key = `${problem.code}\u0000${problem.message}`
    const count = (seen.get(key) ?? 0) + 1
    seen.set(key, count)
    if (count <= SAME_ERROR_SHOWN) lines.push(formatProblem(problem))
  }
  for (const [key, count] of seen) {
    if (count <= SAME_ERROR_SHOWN) continue
    const [code = '', message = ''] = key.split('\u0000')
    lines.push(
      `error: ${code}: ${message} (and ${String(count - SAME_ERROR_SHOWN)} more place(s) with the same error)`,
    )
  }
  return lines
}
