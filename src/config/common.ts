import { ConfigError } from '../errors'
import type { Settings } from './settings'

/** Options every backend run shares, parsed from the settings. */
export interface CommonOptions {
  /** `AVP_PATH_VALIDATION`: every secret path must match (unanchored, as in AVP). */
  readonly pathValidation?: RegExp
  /** `AVP_DEADLINE` in milliseconds: the whole run must finish by then. */
  readonly deadlineMs: number
  /** `AVP_MAX_INPUT_BYTES`: the most manifest text (files, stdin or tool output) one run reads. */
  readonly maxInputBytes: number
  /** `AVP_RECORD_VERSIONS` (default true): write the secret-versions annotation (docs/rotation.md). */
  readonly recordVersions: boolean
}

/**
 * Default input limit. Parsing runs at roughly 1 MB per second or more on a
 * busy core, and one document cannot be interrupted while it is parsed, so
 * the limit keeps a run inside the default deadline; Argo CD's own message
 * limit (100 MiB) is far above what a single app needs.
 */
export const DEFAULT_MAX_INPUT_BYTES = 32 * 1024 * 1024
/** Node strings stop near 512 MiB; a bigger limit could not be honoured. */
const MAX_INPUT_BYTES_LIMIT = 512 * 1024 * 1024

/**
 * Default run deadline: Argo CD kills the plugin after its repo-server
 * timeout (60 s by default, minus 100 ms); 50 s leaves time to report the
 * failure instead of being killed silently (docs/design/argocd-cmp-contract.md).
 */
export const DEFAULT_DEADLINE_SECONDS = 50
/** setTimeout overflows above 2^31-1 ms (~24.8 days); one day is plenty. */
const MAX_DEADLINE_SECONDS = 86_400

/** Every issue with the shared keys, one per key, in key order. Empty when all is well. */
export function validateCommon(settings: Settings): string[] {
  return parseCommon(settings).issues
}

/** The shared options, or a `ConfigError` listing every issue at once. */
export function commonOptions(settings: Settings): CommonOptions {
  const { options, issues } = parseCommon(settings)
  if (issues.length > 0) throw new ConfigError(issues)
  return options
}

/**
 * `AVP_DEADLINE` in milliseconds for a backend's own use, never throwing:
 * an invalid value falls back to the default, since the run already reports
 * it once through `commonOptions`.
 */
export function deadlineMsOf(settings: Settings): number {
  return parseCommon(settings).options.deadlineMs
}

function parseCommon(settings: Settings): { options: CommonOptions; issues: string[] } {
  const issues: string[] = []
  const deadline = parseDeadline(settings.get('AVP_DEADLINE'))
  if (typeof deadline === 'string') issues.push(deadline)
  const pattern = settings.get('AVP_PATH_VALIDATION')
  const pathValidation = pattern === undefined ? undefined : compilePathValidation(pattern)
  if (pathValidation === null) {
    issues.push(`AVP_PATH_VALIDATION: ${JSON.stringify(pattern)} is not a valid regular expression`)
  }
  const deadlineMs = typeof deadline === 'number' ? deadline : DEFAULT_DEADLINE_SECONDS * 1000
  const maxBytes = parseMaxInputBytes(settings.get('AVP_MAX_INPUT_BYTES'))
  if (typeof maxBytes === 'string') issues.push(maxBytes)
  const maxInputBytes = typeof maxBytes === 'number' ? maxBytes : DEFAULT_MAX_INPUT_BYTES
  const record = settings.get('AVP_RECORD_VERSIONS')?.trim().toLowerCase()
  if (record !== undefined && record !== 'true' && record !== 'false') {
    issues.push(`AVP_RECORD_VERSIONS: expected true or false, got ${JSON.stringify(record)}`)
  }
  const recordVersions = record !== 'false'
  return {
    options: pathValidation
      ? { pathValidation, deadlineMs, maxInputBytes, recordVersions }
      : { deadlineMs, maxInputBytes, recordVersions },
    issues,
  }
}

/** Bytes, or an issue. Plain decimal digits only. */
function parseMaxInputBytes(value: string | undefined): number | string {
  if (value === undefined) return DEFAULT_MAX_INPUT_BYTES
  const bytes = /^\d+$/.test(value) ? Number(value) : NaN
  if (!(bytes > 0 && bytes <= MAX_INPUT_BYTES_LIMIT)) {
    return `AVP_MAX_INPUT_BYTES: expected a number of bytes between 1 and ${String(MAX_INPUT_BYTES_LIMIT)}, got ${JSON.stringify(value)}`
  }
  return bytes
}

/** Milliseconds, or an issue. Plain decimal seconds only: no `1e3`, `0x10` or ` 5`. */
function parseDeadline(value: string | undefined): number | string {
  if (value === undefined) return DEFAULT_DEADLINE_SECONDS * 1000
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN
  if (!(seconds > 0 && seconds <= MAX_DEADLINE_SECONDS)) {
    return `AVP_DEADLINE: expected a number of seconds between 0 and ${String(MAX_DEADLINE_SECONDS)}, got ${JSON.stringify(value)}`
  }
  return Math.round(seconds * 1000)
}

/**
 * Compiles `AVP_PATH_VALIDATION` as a JavaScript regular expression, or
 * `null` when it is invalid. AVP uses Go RE2 (docs/design/avp-semantics.md); the
 * RE2 spellings that JavaScript lacks but a user may have in an existing
 * pattern are translated: a leading flag group `(?i)`, `(?s)`, `(?m)` (and
 * combinations) becomes RegExp flags, and `\A` / `\z` become `^` / `$`
 * (JavaScript's `$` without `m` matches only at the very end, like RE2's `\z`).
 */
export function compilePathValidation(pattern: string): RegExp | null {
  const flagGroup = /^\(\?([ims]+)\)/.exec(pattern)
  const flags = flagGroup?.[1] === undefined ? '' : [...new Set(flagGroup[1])].sort().join('')
  const body = (flagGroup === null ? pattern : pattern.slice(flagGroup[0].length)).replace(
    /(?<!\\)((?:\\\\)*)\\([Az])/g,
    (_whole, backslashes: string, letter: string) => `${backslashes}${letter === 'A' ? '^' : '$'}`,
  )
  try {
    return new RegExp(body, flags)
  } catch {
    return null
  }
}
