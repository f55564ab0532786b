import {
  CmpError,
  ConfigError,
  ExitCode,
  formatProblem,
  oneLine,
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
 * Past this many lines the report stops and counts the rest: 20,000 failing
 * placeholders would otherwise print megabytes into Argo CD's UI and Redis.
 */
export const MAX_PROBLEM_LINES = 50

/** A placeholder as written can be a whole 400 KB line; a report line stops here. */
export const MAX_LINE_CHARS = 2000

/**
 * Turns whatever stopped a run into stderr lines and an exit code. Only this
 * function and `main.ts` decide exit codes (docs/design/engineering-rules.md). Every line is
 * one problem; the usage text is never dumped (AVP users' complaint; docs/design/avp-semantics.md).
 */
export function reportFailure(error: unknown): {
  readonly lines: string[]
  readonly exitCode: number
} {
  if (error instanceof ProblemsError) {
    const lines = capped(collapseRepeats(error.problems))
    lines.push(
      `argocd-secret-plugin: ${String(error.problems.length)} problem(s); nothing was written to stdout`,
    )
    return { lines, exitCode: error.exitCode }
  }
  if (error instanceof ConfigError) {
    return {
      lines: capped(error.issues.map((issue) => `error: CONFIG_INVALID: ${oneLine(issue)}`)),
      exitCode: error.exitCode,
    }
  }
  if (error instanceof CmpError) {
    return {
      lines: capped([`error: ${error.code}: ${oneLine(error.message)}`]),
      exitCode: error.exitCode,
    }
  }
  // Not one of ours: a bug. Its message may quote anything, so it goes out
  // only through the redactor (applied by the caller) and without a stack.
  const what = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error'
  return {
    lines: capped([
      `error: INTERNAL: ${oneLine(what.split('\n')[0] ?? '')} (this is a bug in argocd-secret-plugin)`,
    ]),
    exitCode: ExitCode.INTERNAL,
  }
}

/**
 * The first MAX_PROBLEM_LINES lines, each cut at MAX_LINE_CHARS, and one more
 * that counts the lines left out.
 */
function capped(lines: readonly string[]): string[] {
  const shown = lines
    .slice(0, MAX_PROBLEM_LINES)
    .map((line) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line))
  const rest = lines.length - shown.length
  if (rest > 0) shown.push(`error: ... and ${String(rest)} more line(s) not shown`)
  return shown
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
      `error: ${code}: ${oneLine(message)} (and ${String(count - SAME_ERROR_SHOWN)} more place(s) with the same error)`,
    )
  }
  return lines
}
