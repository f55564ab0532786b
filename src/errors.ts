/**
 * Error codes and exit codes shared by every layer. A problem found while
 * processing manifests is data (`Problem`), gathered and reported once; an
 * error that stops the run before that point is a thrown `CmpError`.
 * Only `cli/main.ts` turns either into an exit code (docs/design/engineering-rules.md).
 */
import type { FetchFailureCode } from './secrets/ref'

/** Process exit codes. Any non-zero exit means nothing was written to stdout. */
export const ExitCode = {
  OK: 0,
  /** One or more placeholders or documents could not be resolved. */
  UNRESOLVED: 1,
  /** Bad command line or configuration. */
  USAGE: 2,
  /** helm or kustomize failed, timed out or is missing. */
  RENDER: 3,
  /** The run was stopped: its deadline (AVP_DEADLINE) passed or it received SIGTERM. */
  STOPPED: 4,
  /** The plugin could not write: TMPDIR missing, unwritable or full, or stdout closed early. */
  IO: 74,
  /** A bug: an error that is not a `CmpError`. */
  INTERNAL: 70,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** A backend's failure codes (secrets/ref.ts) and the plugin's own. */
export type ErrorCode =
  | FetchFailureCode
  | 'USAGE'
  | 'INPUT_INVALID'
  | 'RENDER_FAILED'
  | 'PLACEHOLDER_SYNTAX'
  /** The operator's `AVP_PATH_VALIDATION` pattern refused the path. */
  | 'PATH_DISALLOWED'
  /** The operator's scoping policy (AVP_SCOPE_POLICY) does not let this app read the path. */
  | 'PATH_OUT_OF_SCOPE'
  | 'KEY_NOT_FOUND'
  | 'MODIFIER_FAILED'
  | 'TYPE_MISMATCH'
  | 'ANNOTATION_INVALID'
  | 'IO_FAILED'
  | 'INTERNAL'

/** Where in the input a problem sits. Every field is optional: a config problem has none. */
export interface Location {
  /** File path as given on the command line (or `<stdin>`). */
  readonly file?: string
  /** 1-based document index within the file. */
  readonly document?: number
  /** `Kind/name` of the manifest. */
  readonly resource?: string
  /** Dot path of the field, e.g. `spec.template.spec.containers[0].image`. */
  readonly field?: string
}

/**
 * One problem of a run. `message` never holds a secret value or credential;
 * `placeholder` is the placeholder exactly as written in the manifest.
 */
export interface Problem {
  readonly code: ErrorCode
  readonly message: string
  readonly location?: Location
  readonly placeholder?: string
}

/** Base class of every error the plugin throws on purpose. */
export abstract class CmpError extends Error {
  abstract readonly code: ErrorCode
  abstract readonly exitCode: ExitCode
}

export class UsageError extends CmpError {
  readonly code = 'USAGE' as const
  readonly exitCode = ExitCode.USAGE
}

/** Invalid configuration; `issues` names every bad key, never a credential's value. */
export class ConfigError extends CmpError {
  readonly code = 'CONFIG_INVALID' as const
  readonly exitCode = ExitCode.USAGE
  constructor(readonly issues: readonly string[]) {
    super(issues.join('; '))
  }
}

/** A render tool (helm, kustomize) failed, timed out or is missing. */
export class RenderError extends CmpError {
  readonly code = 'RENDER_FAILED' as const
  readonly exitCode = ExitCode.RENDER
}

/** TMPDIR or stdout failed: the environment, not the input, is at fault. */
export class IoError extends CmpError {
  readonly code = 'IO_FAILED' as const
  readonly exitCode = ExitCode.IO
}

/** Problems gathered during a run, reported together, one line each. */
export class ProblemsError extends CmpError {
  readonly code: ErrorCode
  readonly exitCode: ExitCode
  constructor(
    readonly problems: readonly Problem[],
    exitCode: ExitCode = ExitCode.UNRESOLVED,
  ) {
    super(`${String(problems.length)} problem(s)`)
    this.code = problems[0]?.code ?? 'INTERNAL'
    this.exitCode = exitCode
  }
}

/** Formats a problem as one line: `error: CODE: message at file#doc Kind/name field (placeholder)`. */
export function formatProblem(problem: Problem): string {
  const where: string[] = []
  const loc = problem.location
  if (loc?.file !== undefined) {
    where.push(loc.document === undefined ? loc.file : `${loc.file}#${String(loc.document)}`)
  }
  if (loc?.resource !== undefined) where.push(loc.resource)
  if (loc?.field !== undefined) where.push(loc.field)
  const at = where.length > 0 ? ` at ${where.join(' ')}` : ''
  const ph = problem.placeholder === undefined ? '' : ` (${problem.placeholder})`
  return `error: ${problem.code}: ${oneLine(problem.message)}${oneLine(at)}${oneLine(ph)}`
}

// Line breaks of any kind (LF, CR, NEL, U+2028, U+2029), the other controls
// and DEL: a file name, `metadata.name` or key holding one could start a line
// of its own and forge an error line, or colour Argo CD's UI.
const NOT_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
const SHORT_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

/**
 * Keeps a report to one line per problem: Argo CD shows stderr verbatim in
 * its UI. Every field printed in an error line goes through here.
 */
export function oneLine(text: string): string {
  return text.replace(
    NOT_ONE_LINE,
    (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** Orders problems by file, document, then field, so reports are deterministic. */
export function compareProblems(a: Problem, b: Problem): number {
  const fa = a.location?.file ?? ''
  const fb = b.location?.file ?? ''
  if (fa !== fb) return fa < fb ? -1 : 1
  const da = a.location?.document ?? 0
  const db = b.location?.document ?? 0
  if (da !== db) return da - db
  const pa = a.location?.field ?? ''
  const pb = b.location?.field ?? ''
  if (pa !== pb) return pa < pb ? -1 : 1
  const ma = a.placeholder ?? a.message
  const mb = b.placeholder ?? b.message
  return ma < mb ? -1 : ma > mb ? 1 : 0
}
